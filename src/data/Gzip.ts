/**
 * gzip decoding in any JS engine, synchronous and bounded: the inflater is `fflate` (pure JS),
 * fed a little input at a time so that decoding stops as soon as the output would pass a limit,
 * and every member's CRC-32 and length are checked, so corrupt data is a Left, never wrong bytes.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { Gunzip } from 'fflate'
import type { Bytes } from './Bytes.js'
import { asBytes } from './Bytes.js'

/**
 * Whether the bytes start with the gzip magic number `1f 8b`.
 *
 * @example
 * ```ts
 * isGzip(Uint8Array.of(0x1f, 0x8b, 8)) // true
 * ```
 * @category bytes
 */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

/**
 * The default limit on the size of decompressed data, 256 MiB (MNIST's training images are
 * 47 MB): larger output is a Left unless a caller raises the limit with `maxBytes`.
 *
 * @example
 * ```ts
 * DEFAULT_MAX_BYTES // 268435456
 * ```
 * @category bytes
 */
export const DEFAULT_MAX_BYTES = 2 ** 28

/**
 * Options of {@link gunzip}: `name` begins the messages of a Left (a file name, default
 * `'gzip'`); `maxBytes` bounds the decompressed size (default {@link DEFAULT_MAX_BYTES}).
 *
 * @example
 * ```ts
 * const options: GunzipOptions = { name: 'train-images.gz', maxBytes: 47_040_016 }
 * ```
 * @category bytes
 */
export interface GunzipOptions {
  /** The name that begins a Left's message; default `'gzip'`. */
  readonly name?: string
  /**
   * The most bytes the output may hold. Decoding stops as soon as it would produce more and
   * returns a Left; memory stays within about `maxBytes` plus 1 MiB whatever the input claims.
   * A decoder that knows its size (an IDX header declares it) passes exactly that.
   */
  readonly maxBytes?: number
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

// CRC-32 (IEEE), slicing by 8: table k maps a byte to its CRC after k more zero bytes, so eight
// bytes take eight lookups and no per-byte dependency chain (about 4x the byte-at-a-time loop).
const CRC_TABLES = ((): Uint32Array => {
  const t = new Uint32Array(8 * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  for (let k = 1; k < 8; k++)
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]!
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]!
    }
  return t
})()

const crc32 = (b: Uint8Array, from: number, to: number): number => {
  const t = CRC_TABLES
  let c = 0xffffffff
  let i = from
  for (; i + 8 <= to; i += 8) {
    const a = c ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24))
    c =
      t[1792 + (a & 0xff)]! ^ t[1536 + ((a >>> 8) & 0xff)]! ^ t[1280 + ((a >>> 16) & 0xff)]! ^ t[1024 + (a >>> 24)]! ^
      t[768 + b[i + 4]!]! ^ t[512 + b[i + 5]!]! ^ t[256 + b[i + 6]!]! ^ t[b[i + 7]!]!
  }
  for (; i < to; i++) c = t[(c ^ b[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const u32le = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0

// One push of n input bytes inflates to at most about 1032 n bytes (deflate's best ratio), so
// the chunk shrinks as the output nears the limit: the overshoot stays under about 1 MiB.
const MAX_CHUNK = 1 << 16
const MIN_CHUNK = 1 << 10
const chunkFor = (room: number): number => Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor(room / 1032)))

/**
 * Decompresses gzip data (one or more members), checking each member's CRC-32 and length and
 * stopping as soon as the output would exceed `maxBytes`. The Left begins with `name`:
 * `train.gz: gzip data is corrupt or truncated (unexpected EOF)`, `... (CRC-32 mismatch)`, or
 * `train.gz: gzip data inflates to more than 1000 bytes (the limit; see the maxBytes option)`.
 *
 * For a format whose header declares its size (IDX), decompress a little first with a small
 * `maxBytes`-free peek ({@link gunzipPrefix}), read the header, then call `gunzip` with
 * `maxBytes` set to exactly the size it declares: a bomb then costs no more than the data it
 * claims to hold. `parseIdx` does this.
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 * import { isLeft, isRight } from 'fp-ts/lib/Either.js'
 * import { gzipSync } from 'fflate'
 *
 * const gz = gzipSync(new TextEncoder().encode('1,2\n'))
 * const r = Data.gunzip(gz, { name: 'a.csv.gz' })
 * isRight(r) && new TextDecoder().decode(r.right) // '1,2\n'
 * const big = Data.gunzip(gzipSync(new Uint8Array(1e6)), { name: 'zeros.gz', maxBytes: 1000 })
 * isLeft(big) && big.left // 'zeros.gz: gzip data inflates to more than 1000 bytes (the limit; see the maxBytes option)'
 * ```
 * @category bytes
 */
export const gunzip = (input: Bytes, options: GunzipOptions = {}): Either<string, Uint8Array> => {
  const name = options.name ?? 'gzip'
  const checked = asBytes(input, name)
  if (checked._tag === 'Left') return checked
  const bytes = checked.right
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const corrupt = (why: string): Either<string, Uint8Array> => left(`${name}: gzip data is corrupt or truncated (${why})`)
  const chunks: Uint8Array[] = []
  let produced = 0
  let over = false
  const members: number[] = [] // input offsets where the second, third, ... member begin
  const memberEnds: number[] = [] // output lengths when each of those began
  const stream = new Gunzip()
  stream.ondata = (data) => {
    produced += data.length
    if (produced > maxBytes) over = true
    else chunks.push(data)
  }
  stream.onmember = (offset) => {
    members.push(offset)
    memberEnds.push(produced)
  }
  try {
    let at = 0
    while (at < bytes.length && !over) {
      const end = Math.min(bytes.length, at + chunkFor(maxBytes - produced))
      stream.push(bytes.subarray(at, end), end === bytes.length)
      at = end
    }
    if (bytes.length === 0) return corrupt('no data')
  } catch (e) {
    if (!over) return corrupt(reason(e))
  }
  if (over) return left(`${name}: gzip data inflates to more than ${maxBytes} bytes (the limit; see the maxBytes option)`)
  const out = new Uint8Array(produced)
  let o = 0
  for (const c of chunks) {
    out.set(c, o)
    o += c.length
  }
  // each member ends with its CRC-32 and length (mod 2^32); fflate does not check them
  const starts = [0, ...memberEnds]
  const trailers = [...members, bytes.length].map((end) => end - 8)
  for (let m = 0; m < trailers.length; m++) {
    const t = trailers[m]!
    const from = starts[m]!
    const to = m + 1 < starts.length ? starts[m + 1]! : produced
    if (t < 0) return corrupt('no trailer')
    if (u32le(bytes, t + 4) !== (to - from) >>> 0) return corrupt('length mismatch')
    if (u32le(bytes, t) !== crc32(out, from, to)) return corrupt('CRC-32 mismatch')
  }
  return right(out)
}

/**
 * The first `n` bytes (or fewer, if the data is shorter) of gzip data, decompressing no more of
 * it than needed: for reading a header before deciding how much to decompress. Corrupt data
 * within those bytes is a Left; checksums are not checked (the data is not read to its end).
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 * import { gzipSync } from 'fflate'
 *
 * const r = Data.gunzipPrefix(gzipSync(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1)), 8)
 * r._tag === 'Right' && r.right // [0, 0, 8, 1, 0, 0, 0, 3]
 * ```
 * @category bytes
 */
export const gunzipPrefix = (input: Bytes, n: number, name = 'gzip'): Either<string, Uint8Array> => {
  const checked = asBytes(input, name)
  if (checked._tag === 'Left') return checked
  const bytes = checked.right
  const out = new Uint8Array(n)
  let produced = 0
  const stream = new Gunzip()
  stream.ondata = (data) => {
    const take = Math.min(data.length, n - produced)
    out.set(data.subarray(0, take), produced)
    produced += take
  }
  try {
    for (let at = 0; at < bytes.length && produced < n; at += MIN_CHUNK)
      stream.push(bytes.subarray(at, Math.min(bytes.length, at + MIN_CHUNK)), at + MIN_CHUNK >= bytes.length)
  } catch (e) {
    if (produced < n) return left(`${name}: gzip data is corrupt or truncated (${reason(e)})`)
  }
  return right(out.slice(0, produced))
}

/**
 * The bytes themselves, or their decompression ({@link gunzip}, with the same options) if they
 * start with the gzip magic number. `name` (a file name) begins the message of a Left.
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 * import { isLeft, isRight } from 'fp-ts/lib/Either.js'
 * import { gzipSync } from 'fflate'
 *
 * const gz = gzipSync(new TextEncoder().encode('1,2\n'))
 * const r = Data.gunzipIfNeeded(gz, 'a.csv.gz')
 * isRight(r) && new TextDecoder().decode(r.right) // '1,2\n'
 * const cut = Data.gunzipIfNeeded(gz.subarray(0, 12), 'a.csv.gz')
 * isLeft(cut) && cut.left // 'a.csv.gz: gzip data is corrupt or truncated (unexpected EOF)'
 * Data.gunzipIfNeeded(Uint8Array.of(49, 44, 50), 'a.csv') // right([49, 44, 50]): not gzip, as is
 * ```
 * @category bytes
 */
export const gunzipIfNeeded = (input: Bytes, name: string, options: Omit<GunzipOptions, 'name'> = {}): Either<string, Uint8Array> => {
  const checked = asBytes(input, name)
  if (checked._tag === 'Left') return checked
  const bytes = checked.right
  return isGzip(bytes) ? gunzip(bytes, { ...options, name }) : right(bytes)
}
