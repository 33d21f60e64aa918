/**
 * The embedded default data set: 1,797 handwritten digits as 8x8 images (E. Alpaydin and
 * C. Kaynak, UCI Optical Recognition of Handwritten Digits, CC BY 4.0; see `data/README.md`).
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left } from 'fp-ts/lib/Either.js'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadLabelledCsv } from './Csv.js'
import type { Dataset } from './Dataset.js'

/**
 * The places where `data/digits.csv.gz` may be, for a module at `moduleUrl`: this module is
 * `src/data/digits.ts` under tsx and vitest, and `dist/src/data/digits.js` once built, so the
 * `data` folder at the package root is two or three levels up.
 *
 * @example
 * ```ts
 * digitsCandidates('file:///pkg/dist/src/data/digits.js') // ['/pkg/dist/data/digits.csv.gz', '/pkg/data/digits.csv.gz']
 * ```
 * @category digits
 */
export const digitsCandidates = (moduleUrl: string): readonly string[] =>
  ['../../data/digits.csv.gz', '../../../data/digits.csv.gz'].map((p) => fileURLToPath(new URL(p, moduleUrl)))

const candidates = (): readonly string[] => digitsCandidates(import.meta.url)

/**
 * Where the embedded `digits.csv.gz` is, or `undefined` if it cannot be found beside this
 * module (in `data/` at the package root).
 *
 * @example
 * ```ts
 * digitsPath() // '/.../autodiff-ts/data/digits.csv.gz'
 * ```
 * @category digits
 */
export const digitsPath = (): string | undefined => candidates().find((p) => existsSync(p))

/**
 * Loads the embedded digits: `x` of shape `[1797, 64]` holding pixel values 0..16 (an 8x8 image
 * per row, row by row) and labels `y` in 0..9, `classes` 10. The file ships with the package in
 * `data/`; the Left says where it was looked for if it is missing, or what is wrong with it.
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
export const loadDigits = (): Either<string, Dataset> => {
  const path = digitsPath()
  return path === undefined
    ? left(`digits.csv.gz: the embedded data set is missing; looked for ${candidates().join(' and ')}`)
    : loadLabelledCsv(path, { label: 'last', classes: 10 })
}
