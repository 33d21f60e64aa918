/**
 * fast-check arbitraries for scalar laws: finite points in a range and away from kinks, vectors
 * of such points, and unit directions.
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'

/**
 * Where to sample a scalar function: a finite range and the points to keep away from.
 *
 * @category arbitraries
 */
export interface PointOptions {
  /** Smallest point; default -10. */
  readonly min?: number
  /** Largest point; default 10. */
  readonly max?: number
  /**
   * Where the function is not smooth or not defined (kinks, jumps, poles, ends of its domain):
   * sampled points keep at least `margin` away, and finite differences never straddle one.
   */
  readonly kinks?: readonly number[]
  /** The least distance of a point from a kink; default `1e-3`. */
  readonly margin?: number
}

/**
 * The distance from `x` to the nearest of `kinks` (`Infinity` if there are none).
 *
 * @example
 * ```ts
 * import { distanceToKinks } from 'autodiff-ts/laws'
 *
 * distanceToKinks(0.3, [0, 1]) // 0.3
 * ```
 *
 * @category arbitraries
 */
export const distanceToKinks = (x: number, kinks: readonly number[]): number => {
  let d = Infinity
  for (const k of kinks) d = Math.min(d, Math.abs(x - k))
  return d
}

/**
 * A finite double in `[min, max]` at least `margin` away from every kink (points that fall near
 * a kink are pushed out to `kink +- margin`; those that cannot be are dropped).
 *
 * @example
 * ```ts
 * import { scalarPoint } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * // a point for |x|: anywhere in [-5, 5] but not within 1e-3 of 0
 * fc.sample(scalarPoint({ min: -5, max: 5, kinks: [0] }), 3)
 * ```
 *
 * @category arbitraries
 */
export const scalarPoint = (options: PointOptions = {}): Arbitrary<number> => {
  const { min = -10, max = 10, kinks = [], margin = 1e-3 } = options
  if (!(min <= max) || !Number.isFinite(min) || !Number.isFinite(max))
    throw new RangeError(`scalarPoint: expected finite min <= max, got [${min}, ${max}]`)
  const inRange = (x: number): boolean => x >= min && x <= max
  const away = (x: number): boolean => distanceToKinks(x, kinks) >= margin
  const push = (x: number): number => {
    for (const k of kinks) if (Math.abs(x - k) < margin) return x < k ? k - margin : k + margin
    return x
  }
  // Mostly spread evenly over the range (fast-check's `fc.double` alone draws about 90% of its
  // values in [-10, 10] below 1e-10 in magnitude, which would test a function almost only at 0),
  // with one draw in five from `fc.double` to still reach tiny values and the ends.
  return fc
    .oneof(
      { weight: 4, arbitrary: uniform(min, max) },
      { weight: 1, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
    )
    .map((x) => (away(x) ? x : push(x)))
    .filter((x) => inRange(x) && away(x))
}

/**
 * A vector of `ranges.length` points, entry `i` drawn by {@link scalarPoint} with `ranges[i]`.
 *
 * @example
 * ```ts
 * import { scalarVector } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * // a point (x, y) with x > 0, for x^y
 * fc.sample(scalarVector([{ min: 0.1, max: 4 }, { min: -3, max: 3 }]), 2)
 * ```
 *
 * @category arbitraries
 */
export const scalarVector = (ranges: readonly PointOptions[]): Arbitrary<readonly number[]> =>
  fc.tuple(...ranges.map(scalarPoint)).map((xs) => xs.slice())

/**
 * A vector of `dim` points, each in the same range.
 *
 * @example
 * ```ts
 * import { smallVector } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(smallVector(3, { min: -1, max: 1 }), 1) // e.g. [[0.25, -0.5, 1e-9]]
 * ```
 *
 * @category arbitraries
 */
export const smallVector = (dim: number, options: PointOptions = {}): Arbitrary<readonly number[]> =>
  scalarVector(Array.from({ length: dim }, () => options))

/**
 * A double spread evenly over `[min, max]` (2^32 steps), without fast-check's bias towards
 * extreme and tiny values: for directions and cotangents, where a tiny or axis-aligned draw would
 * make a law pass vacuously.
 *
 * @example
 * ```ts
 * import { uniform } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(uniform(0.5, 2), 3) // three numbers spread over [0.5, 2]
 * ```
 *
 * @category arbitraries
 */
export const uniform = (min: number, max: number): Arbitrary<number> =>
  fc.nat({ max: 0xffffffff }).map((k) => min + ((max - min) * k) / 0xffffffff)

/**
 * A unit vector of dimension `dim` (Euclidean norm 1), for directional derivatives, with its
 * entries spread evenly (see {@link uniform}). `dim = 0` gives the empty vector.
 *
 * @example
 * ```ts
 * import { unitDirection } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(unitDirection(2), 1) // e.g. [[0.6, -0.8]]
 * ```
 *
 * @category arbitraries
 */
export const unitDirection = (dim: number): Arbitrary<readonly number[]> =>
  fc.array(uniform(-1, 1), { minLength: dim, maxLength: dim }).map((v) => {
    const norm = Math.hypot(...v)
    // a direction too short to normalise accurately becomes the first axis
    return norm < 1e-3 ? v.map((_, i) => (i === 0 ? 1 : 0)) : v.map((x) => x / norm)
  })
