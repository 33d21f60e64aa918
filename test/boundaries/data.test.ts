/**
 * Issue 13, rows "a 300 KB CSV of 1e5 columns and 1e5 blank lines", "an ArrayBuffer instead of a
 * Uint8Array to the IDX decoder", "a 1 MB gzip IDX file that inflates to 1 GiB", "IDX pixel
 * product" and `Data.fromIdx`'s aliasing.
 */
import { describe, expect, it } from 'vitest'
import { gzipSync } from 'node:zlib'
import * as Data from '../../src/data/index.js'
import { tensor } from '../../src/Tensor.js'
import { err, ok } from '../either.js'

describe('CSV sizes', () => {
  it('1e5 columns and 1e5 blank lines: memory follows the cells read (a Right, not a RangeError)', () => {
    const text = new Array(100_000).fill('0').join(',') + '\n'.repeat(100_000)
    const t0 = Date.now()
    const m = ok(Data.parseCsv(text))
    expect(m.shape).toEqual([1, 100_000])
    expect(Date.now() - t0).toBeLessThan(5000)
  })
  it('more cells than maxCells is a Left naming the row and the limit', () => {
    expect(err(Data.parseCsv('1,2\n3,4\n', { maxCells: 3 }))).toBe('csv row 2: more than 3 cells (the limit; see the maxCells option)')
    expect(err(Data.parseCsv('1,2\n', { maxCells: 0 }))).toBe('csv: maxCells must be a positive integer, found 0')
    expect(ok(Data.parseCsv('1,2\n3,4\n', { maxCells: 4 })).shape).toEqual([2, 2])
  })
})

describe('IDX bytes', () => {
  const bytes = Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1)
  it('an ArrayBuffer (or any view of bytes) decodes as a Uint8Array does', () => {
    const expected = Array.from(ok(Data.parseIdx(bytes)).tensor.data)
    expect(Array.from(ok(Data.parseIdx(bytes.slice().buffer)).tensor.data)).toEqual(expected)
    const offset = new Uint8Array(20)
    offset.set(bytes, 5)
    expect(Array.from(ok(Data.parseIdx(new DataView(offset.buffer, 5, bytes.length))).tensor.data)).toEqual(expected)
    const gz = gzipSync(bytes)
    expect(Array.from(ok(Data.parseIdx(gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.byteLength))).tensor.data)).toEqual(expected)
  })
  it('anything else is a Left naming what was found, not a TypeError from DataView', () => {
    for (const u of ['0101', 3, null, [0, 0, 8, 1], {}])
      expect(err(Data.parseIdx(u as never, { name: 'x' }))).toMatch(/^x: expected bytes \(a Uint8Array or an ArrayBuffer\), found /)
    expect(err(Data.gunzip('abc' as never))).toMatch(/^gzip: expected bytes/)
  })
  it('a gzip IDX whose data inflates far past what its header declares stops early', () => {
    const big = new Uint8Array(64 * 2 ** 20) // 64 MiB of zeros after a header declaring 3 bytes
    big.set(bytes.subarray(0, 8))
    const gz = gzipSync(big)
    expect(gz.length).toBeLessThan(2 ** 20)
    const t0 = Date.now()
    expect(err(Data.parseIdx(gz, { name: 'bomb.gz' }))).toMatch(/^bomb\.gz: gzip data inflates to more than \d+ bytes/)
    expect(Date.now() - t0).toBeLessThan(1000)
  })
  it('fromIdx checks the pixel product and copies: x shares no memory with the images', () => {
    const images: Data.Idx = { type: 'ubyte', tensor: tensor([[[1, 2], [3, 4]]]) }
    const labels: Data.Idx = { type: 'ubyte', tensor: tensor([3]) }
    const d = ok(Data.fromIdx(images, labels))
    ;(d.x.data as Float64Array)[0] = 99
    expect(images.tensor.data[0]).toBe(1)
    const lying: Data.Idx = { type: 'ubyte', tensor: { shape: [1, 2 ** 40, 2 ** 40], data: new Float64Array(0) } }
    expect(err(Data.fromIdx(lying, labels))).toMatch(/^images: expected images of shape \[n, \.\.\.\] holding n × [\d.e+]+ values, found shape \[1, 1099511627776, 1099511627776\] holding 0$/)
  })
})
