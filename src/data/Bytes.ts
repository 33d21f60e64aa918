/**
 * Reading files as bytes, with transparent gzip: the shared first step of the loaders.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { gunzipSync } from 'node:zlib'

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

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * The bytes themselves, or their decompression if they start with the gzip magic number. `name`
 * (a file name) begins the message of a Left, e.g. `train.gz: gzip data is corrupt or truncated
 * (unexpected end of file)`.
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 * import { isLeft, isRight } from 'fp-ts/lib/Either.js'
 * import { gzipSync } from 'node:zlib'
 *
 * const r = Data.gunzipIfNeeded(gzipSync('1,2\n'), 'a.csv.gz')
 * isRight(r) && new TextDecoder().decode(r.right) // '1,2\n'
 * const cut = Data.gunzipIfNeeded(gzipSync('1,2\n').subarray(0, 12), 'a.csv.gz')
 * isLeft(cut) && cut.left // 'a.csv.gz: gzip data is corrupt or truncated (unexpected end of file)'
 * ```
 * @category bytes
 */
export const gunzipIfNeeded = (bytes: Uint8Array, name: string): Either<string, Uint8Array> => {
  if (!isGzip(bytes)) return right(bytes)
  try {
    const out = gunzipSync(bytes)
    return right(new Uint8Array(out.buffer, out.byteOffset, out.byteLength))
  } catch (e) {
    return left(`${name}: gzip data is corrupt or truncated (${reason(e)})`)
  }
}

/**
 * The contents of a file, decompressed if gzip; the Left names the file and the reason, e.g.
 * `digits.csv: cannot read /data/digits.csv (ENOENT: no such file or directory, ...)`.
 *
 * @example
 * ```ts
 * readBytes('data/digits.csv.gz') // right(the decompressed CSV bytes)
 * ```
 * @category bytes
 */
export const readBytes = (path: string): Either<string, Uint8Array> => {
  const raw = readRaw(path)
  return raw._tag === 'Left' ? raw : gunzipIfNeeded(raw.right, basename(path))
}

/**
 * The contents of a file as they are on disk (no decompression); the Left names the file and
 * the reason.
 *
 * @example
 * ```ts
 * readRaw('data/digits.csv.gz') // right(the gzip bytes)
 * ```
 * @category bytes
 */
export const readRaw = (path: string): Either<string, Uint8Array> => {
  try {
    const raw = readFileSync(path)
    return right(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength))
  } catch (e) {
    return left(`${basename(path)}: cannot read ${path} (${reason(e)})`)
  }
}

/**
 * Decodes bytes as UTF-8 text, rejecting malformed sequences: the Left names `name`.
 *
 * @example
 * ```ts
 * utf8(Uint8Array.of(0x31, 0x2c, 0x32), 'a.csv') // right('1,2')
 * ```
 * @category bytes
 */
export const utf8 = (bytes: Uint8Array, name: string): Either<string, string> => {
  try {
    return right(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    return left(`${name}: the file is not valid UTF-8 text`)
  }
}
