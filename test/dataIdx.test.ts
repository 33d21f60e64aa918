import { afterAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Either } from 'fp-ts/lib/Either.js'
import { encodeIdx, magic, parseIdx } from '../src/data/Idx.js'
import type { IdxType } from '../src/data/Idx.js'
import { fromIdx } from '../src/data/Mnist.js'
import { loadFashionMnist, loadIdx, loadMnist } from '../src/node/index.js'
import { fromData } from '../src/Tensor.js'
import { scalarValue } from '../laws/index.js'
import { ok, err } from './either.js'

/** IDX bytes written out by hand: big-endian magic, dimensions, then the items. */
const be32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
const idxBytes = (type: number, shape: number[], items: number[]): Uint8Array =>
  Uint8Array.from([0, 0, type, shape.length, ...shape.flatMap(be32), ...items])

const dir = mkdtempSync(join(tmpdir(), 'autodiff-idx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('parseIdx', () => {
  it('reads the bytes of an MNIST labels and images file', () => {
    const labels = ok(parseIdx(idxBytes(0x08, [3], [7, 2, 1])))
    expect(labels.type).toBe('ubyte')
    expect(labels.tensor.shape).toEqual([3])
    expect(Array.from(labels.tensor.data)).toEqual([7, 2, 1])
    const images = ok(parseIdx(idxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]), { type: 'ubyte', rank: 3 }))
    expect(images.tensor.shape).toEqual([2, 2, 3])
    expect(Array.from(images.tensor.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255])
  })

  it('reads the other IDX types, big-endian', () => {
    expect(Array.from(ok(parseIdx(idxBytes(0x09, [2], [0xff, 0x7f]))).tensor.data)).toEqual([-1, 127])
    expect(Array.from(ok(parseIdx(idxBytes(0x0b, [2], [0x01, 0x02, 0xff, 0xfe]))).tensor.data)).toEqual([258, -2])
    expect(Array.from(ok(parseIdx(idxBytes(0x0c, [1], [0xff, 0xff, 0xff, 0xfd]))).tensor.data)).toEqual([-3])
    // 1.5 as float32 is 0x3fc00000; as float64 0x3ff8000000000000
    expect(Array.from(ok(parseIdx(idxBytes(0x0d, [1], [0x3f, 0xc0, 0, 0]))).tensor.data)).toEqual([1.5])
    expect(Array.from(ok(parseIdx(idxBytes(0x0e, [1], [0x3f, 0xf8, 0, 0, 0, 0, 0, 0]))).tensor.data)).toEqual([1.5])
    expect(ok(parseIdx(idxBytes(0x0e, [0, 5], []))).tensor.shape).toEqual([0, 5])
  })

  it('gives the magic numbers of MNIST', () => {
    expect(magic('ubyte', 3)).toBe(0x00000803)
    expect(magic('ubyte', 1)).toBe(0x00000801)
  })

  it('round-trips every type through encodeIdx, plain and gzip', () => {
    const ranges: Record<IdxType, fc.Arbitrary<number>> = {
      ubyte: fc.integer({ min: 0, max: 255 }),
      byte: fc.integer({ min: -128, max: 127 }),
      short: fc.integer({ min: -32768, max: 32767 }),
      int: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      // every float32 / float64 (mostly tiny or huge), and ordinary magnitudes spread evenly
      float: fc.oneof(fc.float({ noNaN: true }), scalarValue({ min: -1e3, max: 1e3 })).map(Math.fround),
      double: fc.oneof(fc.double({ noNaN: true }), scalarValue({ min: -1e3, max: 1e3 })),
    }
    for (const type of Object.keys(ranges) as IdxType[]) {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), fc.infiniteStream(ranges[type]), (shape, s) => {
          const n = shape.reduce((a, b) => a * b, 1)
          const t = fromData(shape, [...s.take(n)])
          const bytes = encodeIdx(t, type)
          for (const input of [bytes, gzipSync(bytes)]) {
            const back = ok(parseIdx(input))
            expect(back.type).toBe(type)
            expect(back.tensor.shape).toEqual(shape)
            expect(new Uint8Array(back.tensor.data.buffer)).toEqual(new Uint8Array(t.data.buffer))
          }
        }),
        { numRuns: 30 },
      )
    }
  })

  it('names the offset of a truncated or overlong file', () => {
    expect(err(parseIdx(idxBytes(0x08, [3], [7]), { name: 'labels' }))).toBe(
      'labels: byte 8: expected 3 bytes of data for shape [3], found 1 (file truncated)',
    )
    expect(err(parseIdx(idxBytes(0x08, [2], [7, 8, 9]), { name: 'labels' }))).toBe(
      'labels: byte 8: expected 2 bytes of data for shape [2], found 3 (trailing bytes after the data)',
    )
    expect(err(parseIdx(Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 2, 0, 0), { name: 'img' }))).toBe(
      'img: byte 8: expected the size of dimension 2 of 3, found the end of the data (file truncated)',
    )
    expect(err(parseIdx(Uint8Array.of(0, 0), { name: 'img', type: 'ubyte', rank: 3 }))).toBe(
      'img: byte 0: expected magic number 0x00000803 (ubyte, 3 dimensions), found only 2 bytes (file truncated)',
    )
  })

  it('names a wrong magic number, with what it would have meant', () => {
    const labels = idxBytes(0x08, [3], [7, 2, 1])
    expect(err(parseIdx(labels, { name: 'train-images', type: 'ubyte', rank: 3 }))).toBe(
      'train-images: byte 0: expected magic number 0x00000803 (ubyte, 3 dimensions), found 0x00000801 (ubyte, 1 dimension)',
    )
    expect(err(parseIdx(Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0), { name: 'x.zip' }))).toBe(
      'x.zip: byte 0: expected an IDX magic number 0x0000TTRR (TT the type, RR the rank), found 0x504b0304: not an IDX file',
    )
    expect(err(parseIdx(Uint8Array.of(0, 0, 7, 1, 0, 0, 0, 0), { name: 'odd' }))).toBe(
      'odd: byte 2: unknown IDX element type 0x07 (expected 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float or 0x0e double)',
    )
  })

  it('counts offsets in the decompressed data for gzip input, and reports broken gzip', () => {
    expect(err(parseIdx(gzipSync(idxBytes(0x08, [3], [7])), { name: 'l.gz' }))).toBe(
      'l.gz: byte 8 (decompressed): expected 3 bytes of data for shape [3], found 1 (file truncated)',
    )
    const gz = gzipSync(idxBytes(0x08, [3], [7, 2, 1]))
    expect(err(parseIdx(gz.subarray(0, gz.length - 3), { name: 'l.gz' }))).toMatch(/^l\.gz: gzip data is corrupt or truncated \(/)
  })

  it('does not allocate for a header that claims more data than there is', () => {
    // 4 dimensions of 0xffffffff: 2^128 bytes claimed
    const huge = Uint8Array.from([0, 0, 8, 4, ...Array.from({ length: 16 }, () => 255), 1, 2, 3])
    expect(err(parseIdx(huge))).toMatch(/^idx: byte 20: expected .* bytes of data for shape \[4294967295, 4294967295, 4294967295, 4294967295\], found 3 \(file truncated\)$/)
  })
})

describe('MNIST files', () => {
  // a 5-image "MNIST" of 4x3 pixels, written as the four standard files, gzip-compressed
  const pixels = Array.from({ length: 5 * 12 }, (_, i) => (i * 37) % 256)
  const labels = [3, 0, 9, 1, 4]
  const mnist = join(dir, 'mnist')
  const files = (prefix: string, imgs: Uint8Array, labs: Uint8Array, gzip = true): void => {
    writeFileSync(join(mnist, `${prefix}-images-idx3-ubyte${gzip ? '.gz' : ''}`), gzip ? gzipSync(imgs) : imgs)
    writeFileSync(join(mnist, `${prefix}-labels-idx1-ubyte${gzip ? '.gz' : ''}`), gzip ? gzipSync(labs) : labs)
  }
  rmSync(mnist, { recursive: true, force: true })
  mkdirSync(mnist)
  files('train', idxBytes(0x08, [5, 4, 3], pixels), idxBytes(0x08, [5], labels))
  files('t10k', idxBytes(0x08, [5, 4, 3], pixels), idxBytes(0x08, [5], labels), false)

  it('load into a data set with one flattened image per row, gzip or plain', () => {
    for (const split of ['train', 'test'] as const) {
      const d = ok(loadMnist(mnist, split))
      expect(d.x.shape).toEqual([5, 12])
      expect(Array.from(d.x.data)).toEqual(pixels)
      expect(Array.from(d.y)).toEqual(labels)
      expect(d.classes).toBe(10)
    }
  })

  it('name the labels file, the byte and the item of a label out of range', () => {
    const bad = join(dir, 'bad')
    mkdirSync(bad)
    writeFileSync(join(bad, 'train-images-idx3-ubyte'), idxBytes(0x08, [5, 4, 3], pixels))
    writeFileSync(join(bad, 'train-labels-idx1-ubyte'), idxBytes(0x08, [5], [3, 0, 12, 1, 4]))
    expect(err(loadMnist(bad, 'train'))).toBe('train-labels-idx1-ubyte: byte 10 (item 2): label 12 is out of range 0..9')
  })

  it('report images and labels that disagree in count, or files swapped', () => {
    const bad = join(dir, 'count')
    mkdirSync(bad)
    writeFileSync(join(bad, 'train-images-idx3-ubyte'), idxBytes(0x08, [5, 4, 3], pixels))
    writeFileSync(join(bad, 'train-labels-idx1-ubyte'), idxBytes(0x08, [4], [3, 0, 1, 1]))
    expect(err(loadMnist(bad, 'train'))).toBe('train-images-idx3-ubyte holds 5 images but train-labels-idx1-ubyte holds 4 labels')
    writeFileSync(join(bad, 'train-images-idx3-ubyte'), idxBytes(0x08, [5], labels))
    expect(err(loadMnist(bad, 'train'))).toBe(
      'train-images-idx3-ubyte: byte 0: expected magic number 0x00000803 (ubyte, 3 dimensions), found 0x00000801 (ubyte, 1 dimension)',
    )
  })

  it('say which file is missing, and how to install Fashion-MNIST', () => {
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    expect(err(loadMnist(empty, 'train'))).toBe(`${empty}: cannot find train-images-idx3-ubyte.gz or train-images-idx3-ubyte`)
    expect(err(loadFashionMnist('test', empty))).toMatch(/cannot find t10k-images-idx3-ubyte\.gz .*apt-get install dataset-fashion-mnist/)
  })

  it('fromIdx rejects labels that are not a vector', () => {
    const images = ok(parseIdx(idxBytes(0x08, [2, 1, 1], [0, 1])))
    const notVector = ok(parseIdx(idxBytes(0x08, [2, 1], [0, 1])))
    expect(err(fromIdx(images, notVector))).toBe('labels: expected a vector of labels [n], found shape [2, 1]')
  })

  it('loadIdx names a missing file', () => {
    expect(err(loadIdx(join(dir, 'nope.idx')))).toMatch(/^nope\.idx: cannot read .*nope\.idx \(ENOENT/)
  })
})

describe('fuzzing the IDX parser: it returns, never throws', () => {
  const valid = idxBytes(0x08, [3, 2, 2], Array.from({ length: 12 }, (_, i) => i * 20))
  const check = (b: Uint8Array): Either<string, unknown> => {
    const r = parseIdx(b, { name: 'f' })
    if (r._tag === 'Left') expect(r.left).toMatch(/^f: /)
    return r
  }

  it('on random bytes, with and without a valid-looking start', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void check(b)), { numRuns: 3000 })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 100 }), (t, r, rest) =>
        void check(Uint8Array.from([0, 0, t, r, ...rest])),
      ),
      { numRuns: 3000 },
    )
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void check(Uint8Array.from([0x1f, 0x8b, ...b]))), { numRuns: 1000 })
  })

  it('on every truncation of a valid file, plain or gzip: always an error', () => {
    const gz = gzipSync(valid)
    for (let n = 0; n < valid.length; n++) expect(check(valid.subarray(0, n))._tag).toBe('Left')
    for (let n = 0; n < gz.length; n++) expect(check(gz.subarray(0, n))._tag).toBe('Left')
  })

  it('on random mutations of a valid file', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const b = Uint8Array.from(valid)
        for (const [i, v] of edits) b[i % b.length] = v
        const r = check(b)
        // the header alone decides the outcome: a mutation of the data bytes still decodes
        const headerIntact = b.subarray(0, 16).every((v, i) => v === valid[i])
        expect(r._tag).toBe(headerIntact ? 'Right' : r._tag)
      }),
      { numRuns: 3000 },
    )
  })
})
