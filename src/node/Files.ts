/**
 * Reading files as bytes, with transparent (bounded) gzip: the shared first step of the loaders.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { GunzipOptions } from '../data/Gzip.js'
import { gunzipIfNeeded } from '../data/Gzip.js'

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const kindOf = (st: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean }): string =>
  st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : st.isDirectory() ? 'a directory' : 'a special file'

/**
 * The bytes of a regular file. The file is opened without blocking and checked to be a regular
 * file before it is read, so a FIFO, a device or a socket is refused at once instead of
 * blocking the process forever.
 *
 * @throws Error naming the path and why it cannot be read.
 * @example
 * ```ts
 * import { readRegularFile } from 'autodiff-ts/node'
 *
 * readRegularFile('/dev/zero') // throws Error
 * ```
 * @category files
 */
export const readRegularFile = (path: string): Uint8Array => {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new Error(`${path} is ${kindOf(st)}, not a regular file`)
    const raw = readFileSync(fd)
    return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes a file all at once or not at all: into a temporary file beside it, then renamed over
 * it, so that a reader never sees it half-written and a failed write leaves the old file as it
 * was. An existing path that is not a regular file (a FIFO, a device, a directory) is refused
 * at once, never opened.
 *
 * @throws Error naming the path and why it cannot be written.
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 *
 * import { writeFileAtomically } from 'autodiff-ts/node'
 *
 * const path = join(mkdtempSync(join(tmpdir(), 'autodiff-ts-')), 'a.txt')
 * writeFileAtomically(path, 'hello')
 * readFileSync(path, 'utf8') // 'hello'
 * ```
 * @category files
 */
export const writeFileAtomically = (path: string, data: string | Uint8Array): void => {
  let st
  try {
    st = statSync(path)
  } catch {
    st = undefined
  }
  if (st !== undefined && !st.isFile()) throw new Error(`${path} is ${kindOf(st)}, not a regular file`)
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true })
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`)
  try {
    writeFileSync(temp, data, { flag: 'wx' })
    renameSync(temp, path)
  } catch (e) {
    rmSync(temp, { force: true })
    throw e
  }
}

/**
 * The contents of a file as they are on disk (no decompression); the Left names the file and
 * the reason. A FIFO, a device or a socket is a Left at once (never a read that blocks).
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
    return right(readRegularFile(path))
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
