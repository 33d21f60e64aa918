/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun, Cortes and Burges): a big-endian header,
 * then the array. The header is a magic number `00 00 TT RR` (TT the element type, RR the number
 * of dimensions), then each dimension as an unsigned 32-bit integer. Files may be gzip-compressed;
 * that is detected from their first bytes.
 *
 * Every part of the header and the length are validated, and a Left names the file, the byte
 * offset and the problem: `train-images-idx3-ubyte.gz: byte 16 (decompressed): expected
 * 47040000 bytes of data for shape [60000, 28, 28], found 47039000 (file truncated)`.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { chain, left, right } from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import type { Bytes } from './Bytes.js'
import { asBytes } from './Bytes.js'
import { DEFAULT_MAX_BYTES, gunzip, gunzipPrefix, isGzip } from './Gzip.js'

/**
 * The element types of IDX: unsigned and signed bytes, 16- and 32-bit signed integers, 32- and
 * 64-bit floats (all big-endian).
 *
 * @example
 * ```ts
 * const type: IdxType = 'ubyte'
 * magic(type, 3) // 0x00000803
 * ```
 * @category idx
 */
export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double'

const CODES: Readonly<Record<IdxType, number>> = { ubyte: 0x08, byte: 0x09, short: 0x0b, int: 0x0c, float: 0x0d, double: 0x0e }
const SIZES: Readonly<Record<IdxType, number>> = { ubyte: 1, byte: 1, short: 2, int: 4, float: 4, double: 8 }
const TYPE_OF = new Map<number, IdxType>(Object.entries(CODES).map(([t, c]) => [c, t as IdxType]))

/**
 * A decoded IDX array: its element type and its values as a float64 tensor of the stored shape.
 *
 * @example
 * ```ts
 * const r = parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 7, 9))
 * const idx: Idx | undefined = r._tag === 'Right' ? r.right : undefined
 * idx?.type // 'ubyte'
 * ```
 * @category idx
 */
export interface Idx {
  /** The element type the file declared. */
  readonly type: IdxType
  /** The values, shape as stored (e.g. `[60000, 28, 28]` for MNIST images). */
  readonly tensor: Tensor
}

/**
 * Options of {@link parseIdx} (and `autodiff-ts/node`'s `loadIdx`).
 *
 * @example
 * ```ts
 * const options: IdxOptions = { name: 'labels', type: 'ubyte', rank: 3 }
 * const r = parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 1, 5), options)
 * r._tag === 'Left' && r.left // 'labels: byte 0: expected magic number 0x00000803 (ubyte, 3 dimensions), found 0x00000801 (ubyte, 1 dimension)'
 * ```
 * @category idx
 */
export interface IdxOptions {
  /** The name used in messages; default `'idx'` for bytes, the file's base name for a path. */
  readonly name?: string
  /** The element type the file must declare, if any (for MNIST: `'ubyte'`). */
  readonly type?: IdxType
  /** The number of dimensions the file must declare, if any (MNIST images 3, labels 1). */
  readonly rank?: number
  /**
   * The most bytes gzip input may inflate to. Default: the size the header declares (read
   * first) plus 64 KiB, at most `DEFAULT_MAX_BYTES` (256 MiB), so a gzip bomb is a Left as soon
   * as it inflates past what its header claims; raise it for larger files.
   */
  readonly maxBytes?: number
}

const hex8 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`
const dims = (r: number): string => `${r} dimension${r === 1 ? '' : 's'}`

/**
 * The IDX magic number of a type and rank: `magic('ubyte', 3)` is `0x00000803`, MNIST's images.
 *
 * @example
 * ```ts
 * magic('ubyte', 1) // 0x00000801, MNIST's labels
 * ```
 * @category idx
 */
export const magic = (type: IdxType, rank: number): number => (CODES[type] << 8) | rank

const describeMagic = (m: number): string => {
  const t = TYPE_OF.get((m >>> 8) & 0xff)
  return m >>> 16 === 0 && t !== undefined ? `${hex8(m)} (${t}, ${dims(m & 0xff)})` : hex8(m)
}

/**
 * Decodes IDX bytes (gzip-compressed or plain; a `Uint8Array` or an `ArrayBuffer`). The header, the optional expected type and rank,
 * and the length are checked before anything is decoded; on any problem the Left names the byte
 * offset (in the decompressed data for gzip input) and what was expected and found.
 *
 * @example
 * ```ts
 * // magic 0x00000801 (ubyte, 1 dimension), 3 items, then the items
 * parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1)) // right({ type: 'ubyte', tensor: [7, 2, 1] })
 * parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 7), { name: 'labels' })
 * // left('labels: byte 8: expected 3 bytes of data for shape [3], found 1 (file truncated)')
 * ```
 * @category idx
 */
export const parseIdx = (bytes: Bytes, options: IdxOptions = {}): Either<string, Idx> => {
  const name = options.name ?? 'idx'
  const checked = asBytes(bytes, name)
  if (checked._tag === 'Left') return checked
  const input = checked.right
  if (!isGzip(input)) return decode(input, name, '', options)
  // the header first (magic and up to 255 dimensions), then no more than the size it declares
  return pipe(
    gunzipPrefix(input, 4 + 4 * 255, name),
    chain((head) => {
      const declared = declaredSize(head)
      // a malformed header: decode says what is wrong with it without inflating the rest
      if (declared === undefined) return decode(head, name, ' (decompressed)', options)
      return pipe(
        gunzip(input, { name, maxBytes: options.maxBytes ?? Math.min(DEFAULT_MAX_BYTES, declared + SLACK) }),
        chain((bytes) => decode(bytes, name, ' (decompressed)', options)),
      )
    }),
  )
}

/** Room past the declared size, so that a few trailing bytes are reported by decode as such. */
const SLACK = 1 << 16

/** The size in bytes of the IDX file a header declares, or undefined if the header is malformed. */
const declaredSize = (head: Uint8Array): number | undefined => {
  const type = TYPE_OF.get(head[2] ?? -1)
  const rank = head[3] ?? 0
  const header = 4 + 4 * rank
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || type === undefined || head.length < header) return undefined
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  let count = 1
  for (let i = 0; i < rank; i++) count *= view.getUint32(4 + 4 * i)
  return header + count * SIZES[type]
}

const decode = (bytes: Uint8Array, name: string, note: string, options: IdxOptions): Either<string, Idx> => {
  const at = (offset: number): string => `${name}: byte ${offset}${note}`
  const n = bytes.length
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const wanted =
    options.type !== undefined && options.rank !== undefined
      ? `magic number ${describeMagic(magic(options.type, options.rank))}`
      : 'an IDX magic number 0x0000TTRR (TT the type, RR the rank)'
  if (n < 4) return left(`${at(0)}: expected ${wanted}, found only ${n} byte${n === 1 ? '' : 's'} (file truncated)`)
  const m = view.getUint32(0)
  if (m >>> 16 !== 0) return left(`${at(0)}: expected ${wanted}, found ${hex8(m)}: not an IDX file`)
  const type = TYPE_OF.get(bytes[2]!)
  if (type === undefined)
    return left(
      `${at(2)}: unknown IDX element type 0x${bytes[2]!.toString(16).padStart(2, '0')} ` +
        '(expected 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float or 0x0e double)',
    )
  const rank = bytes[3]!
  if ((options.type !== undefined && options.type !== type) || (options.rank !== undefined && options.rank !== rank))
    return left(`${at(0)}: expected ${wanted}, found ${describeMagic(m)}`)
  const header = 4 + 4 * rank
  const shape: number[] = []
  for (let i = 0; i < rank; i++) {
    const o = 4 + 4 * i
    if (o + 4 > n)
      return left(`${at(o)}: expected the size of dimension ${i + 1} of ${rank}, found the end of the data (file truncated)`)
    shape.push(view.getUint32(o))
  }
  const count = shape.reduce((a, b) => a * b, 1)
  const size = SIZES[type]
  const expected = count * size
  const found = n - header
  if (found !== expected)
    return left(
      `${at(header)}: expected ${expected} bytes of data for shape [${shape.join(', ')}], found ${found} ` +
        (found < expected ? '(file truncated)' : '(trailing bytes after the data)'),
    )
  const out = new Float64Array(count)
  switch (type) {
    case 'ubyte':
      for (let i = 0; i < count; i++) out[i] = bytes[header + i]!
      break
    case 'byte':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(header + i)
      break
    case 'short':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(header + 2 * i)
      break
    case 'int':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(header + 4 * i)
      break
    case 'float':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(header + 4 * i)
      break
    case 'double':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(header + 8 * i)
      break
  }
  return right(Object.freeze({ type, tensor: wrap(shape, out) }))
}

/**
 * Encodes a tensor as IDX bytes (uncompressed) of the given element type: the inverse of
 * {@link parseIdx}, for writing test fixtures and small data sets. Values are converted as a
 * `DataView` setter does (integers wrap, floats round).
 *
 * @throws RangeError if the tensor has more than 255 dimensions.
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 *
 * const bytes = Data.encodeIdx(tensor([7, 2, 1]), 'ubyte')
 * bytes // [0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]: magic 0x00000801 (ubyte, 1 dimension), 3 items, the items
 * Data.parseIdx(bytes) // { _tag: 'Right', right: { type: 'ubyte', tensor: [7, 2, 1] } }
 * ```
 * @category idx
 */
export const encodeIdx = (t: Tensor, type: IdxType): Uint8Array => {
  const rank = t.shape.length
  if (rank > 255) throw new RangeError(`encodeIdx: IDX allows at most 255 dimensions, got ${rank}`)
  const header = 4 + 4 * rank
  const size = SIZES[type]
  const out = new Uint8Array(header + t.data.length * size)
  const view = new DataView(out.buffer)
  view.setUint32(0, magic(type, rank))
  t.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d))
  const d = t.data
  for (let i = 0; i < d.length; i++) {
    const o = header + i * size
    const v = d[i]!
    if (type === 'ubyte') view.setUint8(o, v)
    else if (type === 'byte') view.setInt8(o, v)
    else if (type === 'short') view.setInt16(o, v)
    else if (type === 'int') view.setInt32(o, v)
    else if (type === 'float') view.setFloat32(o, v)
    else view.setFloat64(o, v)
  }
  return out
}
