/**
 * The embedded default data set: 1,797 handwritten digits as 8x8 images (E. Alpaydin and
 * C. Kaynak, UCI Optical Recognition of Handwritten Digits, CC BY 4.0; see `data/README.md`).
 * The gzip-compressed CSV is part of the code (`digitsGz.ts`, generated from
 * `data/digits.csv.gz`), so it loads in any JS engine, with no file system.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { parseLabelledCsvBytes } from './Csv.js'
import type { Dataset } from './Dataset.js'
import { DIGITS_CSV_GZ_BASE64 } from './digitsGz.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** The bytes of base64 text (standard alphabet, `=` padding), decoded without `atob` or `Buffer`. */
const fromBase64 = (text: string): Uint8Array => {
  const value = new Int8Array(128).fill(-1)
  for (let i = 0; i < ALPHABET.length; i++) value[ALPHABET.charCodeAt(i)] = i
  const body = text.replace(/=+$/, '')
  const out = new Uint8Array(Math.floor((body.length * 3) / 4))
  let bits = 0
  let acc = 0
  let o = 0
  for (let i = 0; i < body.length; i++) {
    const v = value[body.charCodeAt(i)] ?? -1
    if (v < 0) throw new TypeError(`fromBase64: not a base64 character at ${i}`)
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >>> bits) & 0xff
    }
  }
  return out
}

/**
 * The bytes of `data/digits.csv.gz` as embedded in the code: gzip-compressed CSV, 1,797 rows of
 * 64 pixel values 0..16 then the label 0..9. A fresh copy on every call.
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 *
 * const gz = Data.digitsCsvGz()
 * Data.isGzip(gz) // true
 * ```
 * @category digits
 */
export const digitsCsvGz = (): Uint8Array => fromBase64(DIGITS_CSV_GZ_BASE64)

/**
 * Loads the embedded digits: `x` of shape `[1797, 64]` holding pixel values 0..16 (an 8x8 image
 * per row, row by row) and labels `y` in 0..9, `classes` 10. The data is part of the code, so
 * this works in any JS engine; the Either is Right unless the embedded bytes were damaged.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * pipe(loadDigits(), E.map((d) => d.x.shape)) // right([1797, 64])
 * ```
 * @category digits
 */
export const loadDigits = (): Either<string, Dataset> =>
  parseLabelledCsvBytes(digitsCsvGz(), { name: 'digits.csv.gz', label: 'last', classes: 10 })
