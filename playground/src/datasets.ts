/**
 * The data sets of part 3: XOR (the lecture's four points), two circles and two spirals, made
 * from the library's splittable random keys (the same points on every load), and the digits
 * embedded in the library.
 */
import { Data, Random, fromData, type Tensor } from 'autodiff-ts'
import { isLeft, right, type Either } from 'fp-ts/lib/Either.js'

/** A classification data set: examples, labels, the number of classes and, for 2-D sets, the square to draw. */
export interface Classification {
  readonly x: Tensor
  readonly y: Int32Array
  readonly classes: number
  /** The square [lo, hi]^2 shown for a 2-D set; undefined for the digits. */
  readonly view: readonly [number, number] | undefined
}

export type DatasetName = 'xor' | 'circles' | 'spirals' | 'digits'

export const DATASETS: readonly (readonly [DatasetName, string])[] = [
  ['xor', 'XOR, 4 points'],
  ['circles', 'two circles'],
  ['spirals', 'two spirals'],
  ['digits', 'digits, 8×8'],
]

const xor = (): Classification => ({
  x: fromData([4, 2], [0, 0, 0, 1, 1, 0, 1, 1]),
  y: Int32Array.from([0, 1, 1, 0]),
  classes: 2,
  view: [-0.5, 1.5],
})

/** `n` points: half on a disc of radius 0.5, half on a ring from 0.75 to 1, labelled 0 and 1. */
const circles = (n = 200): Classification => {
  const [k1, k2] = Random.split(Random.key(7)) as [Random.Key, Random.Key]
  const angle = Random.uniform(k1, [n], { low: 0, high: 2 * Math.PI }).data
  const u = Random.uniform(k2, [n]).data
  const x = new Float64Array(2 * n)
  const y = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const outer = i % 2
    const r = outer === 1 ? 0.75 + 0.25 * u[i]! : 0.5 * Math.sqrt(u[i]!)
    x[2 * i] = r * Math.cos(angle[i]!)
    x[2 * i + 1] = r * Math.sin(angle[i]!)
    y[i] = outer
  }
  return { x: fromData([n, 2], x), y, classes: 2, view: [-1.2, 1.2] }
}

/** Two interleaved spirals of `n / 2` points each, with a little noise. */
const spirals = (n = 300): Classification => {
  const noise = Random.normal(Random.key(11), [n, 2], { std: 0.03 }).data
  const x = new Float64Array(2 * n)
  const y = new Int32Array(n)
  const half = n / 2
  for (let i = 0; i < n; i++) {
    const c = i < half ? 0 : 1
    const t = ((i % half) + 1) / half
    const a = 1.75 * 2 * Math.PI * t + c * Math.PI
    x[2 * i] = t * Math.cos(a) + noise[2 * i]!
    x[2 * i + 1] = t * Math.sin(a) + noise[2 * i + 1]!
    y[i] = c
  }
  return { x: fromData([n, 2], x), y, classes: 2, view: [-1.2, 1.2] }
}

/** The digits embedded in the library (`Data.loadDigits`), pixels scaled to [0, 1]. */
const digits = (): Either<string, Classification> => {
  const d = Data.loadDigits()
  if (isLeft(d)) return d
  return right({ x: Data.rescale(16)(d.right.x), y: Int32Array.from(d.right.y), classes: 10, view: undefined })
}

/** The named data set. */
export const load = (name: DatasetName): Either<string, Classification> =>
  name === 'digits' ? digits() : right(name === 'xor' ? xor() : name === 'circles' ? circles() : spirals())
