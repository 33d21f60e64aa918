import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { gzipSync } from 'node:zlib'
import { gunzip, gunzipIfNeeded, gunzipPrefix } from '../src/data/Gzip.js'
import { parseIdx } from '../src/data/Idx.js'
import { ok, err } from './either.js'

/** 1 GiB of zeros in about 1 MB: 1024 gzip members of 1 MiB each (cheap to make, unlike one member). */
const zeros1GiB = (): Buffer => {
  const member = gzipSync(Buffer.alloc(2 ** 20))
  return Buffer.concat(Array.from({ length: 1024 }, () => member))
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b))

describe('gunzip (fflate, bounded, checked)', () => {
  it("agrees with Node's zlib on random data, at every compression level, in one member or several", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 9 }), (parts, level) => {
        const gz = Buffer.concat(parts.map((p) => gzipSync(p, { level })))
        expect(same(ok(gunzip(gz)), Buffer.concat(parts))).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('every truncation and every flipped bit of the data or the trailer is a Left, never wrong bytes', () => {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251))
    const gz = gzipSync(data)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: gz.length - 1 }), fc.integer({ min: 10, max: gz.length - 1 }), fc.integer({ min: 0, max: 7 }), (n, at, bit) => {
        expect(err(gunzip(gz.subarray(0, n), { name: 'a.gz' }))).toMatch(/^a\.gz: gzip data is corrupt or truncated \(/)
        const flipped = Buffer.from(gz)
        flipped[at]! ^= 1 << bit
        const r = gunzip(flipped, { name: 'a.gz' })
        if (r._tag === 'Left') expect(r.left).toMatch(/^a\.gz: gzip data is corrupt or truncated \(/)
        else expect(same(r.right, data)).toBe(true) // a flip that deflate and the checks cannot see must not change the data
      }),
      { numRuns: 300 },
    )
  })

  it('a checksum that does not match is a Left: the data decodes but is wrong', () => {
    const gz = Buffer.from(gzipSync(Buffer.from('hello, world')))
    gz[gz.length - 8]! ^= 1
    expect(err(gunzip(gz, { name: 'h.gz' }))).toBe('h.gz: gzip data is corrupt or truncated (CRC-32 mismatch)')
    const len = Buffer.from(gzipSync(Buffer.from('hello, world')))
    len[len.length - 4]! ^= 1
    expect(err(gunzip(len, { name: 'h.gz' }))).toBe('h.gz: gzip data is corrupt or truncated (length mismatch)')
  })

  it('stops as soon as the output would pass maxBytes: a 1 MB bomb of 1 GiB is a quick Left', () => {
    const bomb = zeros1GiB()
    expect(bomb.length).toBeLessThan(1.1e6)
    const t = performance.now()
    expect(err(gunzip(bomb, { name: 'bomb.gz', maxBytes: 1e6 }))).toBe(
      'bomb.gz: gzip data inflates to more than 1000000 bytes (the limit; see the maxBytes option)',
    )
    expect(performance.now() - t).toBeLessThan(1000)
    // exactly at the limit is fine, one byte under is not
    const gz = gzipSync(Buffer.alloc(5000, 1))
    expect(ok(gunzip(gz, { maxBytes: 5000 })).length).toBe(5000)
    expect(err(gunzip(gz, { maxBytes: 4999 }))).toMatch(/more than 4999 bytes/)
  })

  it('gunzipPrefix decompresses only the start; gunzipIfNeeded passes plain bytes through', () => {
    const data = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 256))
    expect(same(ok(gunzipPrefix(gzipSync(data), 10)), data.subarray(0, 10))).toBe(true)
    expect(ok(gunzipPrefix(gzipSync(Buffer.from('ab')), 10)).length).toBe(2)
    const plain = Uint8Array.of(1, 2, 3)
    expect(ok(gunzipIfNeeded(plain, 'p'))).toBe(plain)
  })
})

describe('parseIdx bounds gunzip by the size its header declares', () => {
  const header = Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 10) // ubyte, one dimension of 10
  it('a gzip IDX that declares 10 bytes but inflates to 1 GiB is a quick Left', () => {
    const bomb = Buffer.concat([gzipSync(header), zeros1GiB()])
    const t = performance.now()
    expect(err(parseIdx(bomb, { name: 'labels.gz' }))).toBe(
      `labels.gz: gzip data inflates to more than ${18 + 65536} bytes (the limit; see the maxBytes option)`,
    )
    expect(performance.now() - t).toBeLessThan(1000)
  })

  it('a few trailing bytes are still reported as such, and a malformed header without inflating the rest', () => {
    expect(err(parseIdx(gzipSync(Buffer.concat([header, Buffer.alloc(12)])), { name: 'l.gz' }))).toBe(
      'l.gz: byte 8 (decompressed): expected 10 bytes of data for shape [10], found 12 (trailing bytes after the data)',
    )
    expect(err(parseIdx(gzipSync(Buffer.concat([Buffer.from('PK'), Buffer.alloc(2 ** 24)])), { name: 'z.gz' }))).toMatch(
      /^z\.gz: byte 0 \(decompressed\): expected an IDX magic number .*: not an IDX file$/,
    )
    expect(ok(parseIdx(gzipSync(Buffer.concat([header, Buffer.alloc(10, 3)])))).tensor.shape).toEqual([10])
  })
})
