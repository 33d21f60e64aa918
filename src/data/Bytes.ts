/**
 * Bytes to text: the step between a decompressed file and a text decoder.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'

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
