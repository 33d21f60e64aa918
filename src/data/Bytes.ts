/**
 * Bytes at the boundary: what the decoders accept as bytes ({@link Bytes}: a `Uint8Array`, any
 * other typed array or `DataView` seen as its bytes, or an `ArrayBuffer`), and bytes to text.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { describeValue } from '../describe.js'

/**
 * Bytes as every decoder of this library accepts them: a `Uint8Array` (a Node `Buffer` is one),
 * an `ArrayBuffer` (what `fetch(...).arrayBuffer()` and `FileReader` give), or any other
 * `ArrayBufferView`, read as its bytes.
 *
 * @example
 * ```ts
 * const b: Bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]).buffer
 * asBytes(b, 'idx')._tag // 'Right'
 * ```
 * @category bytes
 */
export type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView

/**
 * The bytes of a {@link Bytes} value as a `Uint8Array` view (no copy), or a Left naming `name`
 * and what was found instead.
 *
 * @example
 * ```ts
 * asBytes(new ArrayBuffer(2), 'idx') // right(Uint8Array [0, 0])
 * asBytes('0101' as never, 'idx') // left('idx: expected bytes (a Uint8Array or an ArrayBuffer), found the string "0101"')
 * ```
 * @category bytes
 */
export const asBytes = (input: Bytes, name: string): Either<string, Uint8Array> =>
  input instanceof Uint8Array
    ? right(input)
    : input instanceof ArrayBuffer
      ? right(new Uint8Array(input))
      : ArrayBuffer.isView(input)
        ? right(new Uint8Array(input.buffer, input.byteOffset, input.byteLength))
        : left(`${name}: expected bytes (a Uint8Array or an ArrayBuffer), found ${describeValue(input)}`)

/**
 * Decodes bytes as UTF-8 text, rejecting malformed sequences: the Left names `name`.
 *
 * @example
 * ```ts
 * utf8(Uint8Array.of(0x31, 0x2c, 0x32), 'a.csv') // right('1,2')
 * ```
 * @category bytes
 */
export const utf8 = (bytes: Bytes, name: string): Either<string, string> => {
  const b = asBytes(bytes, name)
  if (b._tag === 'Left') return b
  try {
    return right(new TextDecoder('utf-8', { fatal: true }).decode(b.right))
  } catch {
    return left(`${name}: the file is not valid UTF-8 text`)
  }
}
