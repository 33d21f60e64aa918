import { afterAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { parseLabelledCsv } from '../src/data/Csv.js'
import { loadLabelledCsv } from '../src/node/index.js'
import { encodeIdx, parseIdx } from '../src/data/Idx.js'
import { wrap } from '../src/Tensor.js'
import { classCounts } from '../src/data/Dataset.js'
import { digitsCsvGz, loadDigits } from '../src/data/digits.js'
import { DIGITS_FILE, DIGITS_MODULE, digitsModule } from '../scripts/embed-digits.js'
import { ok } from './either.js'


describe('loadDigits', () => {
  const d = ok(loadDigits())

  it('gives 1797 images of 64 pixels and 10 classes', () => {
    expect(d.x.shape).toEqual([1797, 64])
    expect(d.y.length).toBe(1797)
    expect(d.classes).toBe(10)
  })

  it('holds the published data: class counts, pixel range and sum, first and last rows', () => {
    // class counts of the UCI test set (optdigits.tes) as its description lists them
    expect(classCounts(d)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    // the following were computed from the file with Python's gzip module, independently
    const px = Array.from(d.x.data)
    expect(px.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true)
    expect(px.reduce((a, b) => a + b, 0)).toBe(561718)
    expect(Array.from(d.y).reduce((a, c, i) => a + c * i, 0)).toBe(7264791)
    expect(px.slice(0, 10)).toEqual([0, 0, 5, 13, 9, 1, 0, 0, 0, 0])
    expect(d.y[0]).toBe(0)
    expect(px.slice(1796 * 64, 1796 * 64 + 16)).toEqual([0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0])
    expect(d.y[1796]).toBe(8)
  })

  it('embeds data/digits.csv.gz byte for byte, in a module generated from it (npm run embed:digits)', () => {
    const file = readFileSync(DIGITS_FILE)
    expect(readFileSync(DIGITS_MODULE, 'utf8')).toBe(digitsModule(file))
    expect(Buffer.from(digitsCsvGz()).equals(file)).toBe(true)
  })

  it('hands out a fresh copy of the bytes: writing into one changes no later load', () => {
    const a = digitsCsvGz()
    a.fill(0)
    expect(Buffer.from(digitsCsvGz()).equals(readFileSync(DIGITS_FILE))).toBe(true)
    expect(ok(loadDigits()).x.shape).toEqual([1797, 64])
  })
})

describe('fuzzing with the real digits file', () => {
  const path = DIGITS_FILE
  const gz = readFileSync(path)
  const text = gunzipSync(gz).toString('utf8')
  const dir = mkdtempSync(join(tmpdir(), 'autodiff-digits-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('every truncation of the gzip file is an error naming the file', () => {
    const cut = join(dir, 'digits.csv.gz')
    fc.assert(
      fc.property(fc.integer({ min: 0, max: gz.length - 1 }), (n) => {
        writeFileSync(cut, gz.subarray(0, n))
        const r = loadLabelledCsv(cut, { classes: 10 })
        expect(r._tag).toBe('Left')
        // 0 or 1 bytes are not yet a gzip header: they are read as (bad) text
        if (r._tag === 'Left') expect(r.left).toMatch(n < 2 ? /^digits\.csv\.gz[: ]/ : /^digits\.csv\.gz: gzip data is corrupt or truncated/)
      }),
      { numRuns: 200 },
    )
  })

  it('a truncation of the text gives an error or a prefix of the rows, never a throw', () => {
    const full = ok(parseLabelledCsv(text, { classes: 10 }))
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), (n) => {
        const r = parseLabelledCsv(text.slice(0, n), { name: 'digits.csv', classes: 10 })
        if (r._tag === 'Left') expect(r.left).toMatch(/^digits\.csv( row \d+(, column \d+)?)?: /)
        else {
          // a cut at a line end, or inside the last row's label (which CSV cannot detect); a cut
          // first line is a valid CSV of fewer columns
          const [rows, f] = r.right.x.shape as [number, number]
          if (rows > 1) expect(f).toBe(64)
          expect(Array.from(r.right.x.data)).toEqual(Array.from(full.x.data.subarray(0, rows * f)))
          expect(Array.from(r.right.y.subarray(0, rows - 1))).toEqual(Array.from(full.y.subarray(0, rows - 1)))
        }
      }),
      { numRuns: 500 },
    )
  })

  it('every truncation of the digits written as IDX, plain or gzip, is an error', () => {
    const images = encodeIdx(wrap([1797, 8, 8], Float64Array.from(ok(loadDigits()).x.data)), 'ubyte')
    const zipped = gzipSync(images)
    expect(ok(parseIdx(images, { type: 'ubyte', rank: 3 })).tensor.shape).toEqual([1797, 8, 8])
    fc.assert(
      fc.property(fc.integer({ min: 0, max: images.length - 1 }), fc.integer({ min: 0, max: zipped.length - 1 }), (n, m) => {
        expect(parseIdx(images.subarray(0, n), { type: 'ubyte', rank: 3 })._tag).toBe('Left')
        expect(parseIdx(zipped.subarray(0, m), { type: 'ubyte', rank: 3 })._tag).toBe('Left')
      }),
      { numRuns: 300 },
    )
  })
})
