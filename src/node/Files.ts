/**
 * Reading files as bytes, with transparent (bounded) gzip: the shared first step of the loaders.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { GunzipOptions } from '../data/Gzip.js'
import { gunzipIfNeeded } from '../data/Gzip.js'

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * The contents of a file as they are on disk (no decompression); the Left names the file and
 * the reason.
 *
 * @example
 * ```ts
 * import { readRaw } from 'autodiff-ts/node'
 *
 * const r = readRaw('no/such/file.csv')
 * r._tag === 'Left' && r.left.startsWith('file.csv: cannot read no/such/file.csv (ENOENT') // true
 * ```
 * @category files
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
 * The contents of a file, decompressed if gzip (bounded by `options.maxBytes`, see
 * `Data.gunzip`); the Left names the file and the reason.
 *
 * @example
 * ```ts
 * import { readBytes } from 'autodiff-ts/node'
 * import { mkdtempSync, writeFileSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * import { gzipSync } from 'node:zlib'
 *
 * const path = join(mkdtempSync(join(tmpdir(), 'autodiff-ts-')), 'a.csv.gz')
 * writeFileSync(path, gzipSync('1,2\n'))
 * const r = readBytes(path)
 * r._tag === 'Right' && new TextDecoder().decode(r.right) // '1,2\n'
 * ```
 * @category files
 */
export const readBytes = (path: string, options: Omit<GunzipOptions, 'name'> = {}): Either<string, Uint8Array> => {
  const raw = readRaw(path)
  return raw._tag === 'Left' ? raw : gunzipIfNeeded(raw.right, basename(path), options)
}
