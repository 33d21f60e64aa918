/**
 * What a law of one differentiable function samples ({@link DiffSample}: an input, tangents,
 * cotangents, a scalar) and the options it takes, with the arithmetic the laws do on trees
 * ravelled into vectors.
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import type { Diff } from '../src/Diff.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import { like, scalarValue } from './arbitraries-tensor.js'
import type { ValueOptions } from './arbitraries-tensor.js'
import { DEFAULT_DIRECTION, shapedLike } from './tensor-points.js'
import type { RunOptions, Tolerances } from './law-runner.js'

/**
 * What the laws of one `Diff` need: an arbitrary of inputs, and optionally the range of tangents
 * and cotangents, tolerances and run options.
 *
 * Choose the input arbitrary inside the function's domain and away from its kinks (finite
 * differences straddling a kink disagree with any one-sided convention).
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { checkDiff, tensor, type DiffLawOptions } from 'autodiff-ts/laws'
 * import type { Tensor } from 'autodiff-ts'
 *
 * const options: DiffLawOptions<Tensor> = { arbitrary: tensor({ min: 0.5, max: 4 }), numRuns: 50 }
 * checkDiff(ops.log, options).length > 0 // true: every law passed (checkDiff throws otherwise)
 * ```
 *
 * @category model
 */
export interface DiffLawOptions<A> extends RunOptions, Tolerances {
  /** The inputs to sample. */
  readonly arbitrary: Arbitrary<A>
  /** Range of tangent and cotangent entries; default `[-1, 1]`, entries below `1e-6` in magnitude flushed to 0. */
  readonly direction?: ValueOptions
}

/**
 * One sampled point of a `Diff<A, B>`: an input, two tangents, two cotangents and a scalar.
 * `c` and `c2` are undefined when `apply(x)` threw or returned something that is not a tree.
 *
 * @example
 * ```ts
 * import { ops, type Tensor } from 'autodiff-ts'
 * import { diffSample, tensor, type DiffSample } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * const [s]: DiffSample<Tensor, Tensor>[] = fc.sample(diffSample(ops.exp, tensor()), { numRuns: 1, seed: 2 })
 * s?.c?.shape.length === s?.x.shape.length // true: exp keeps the shape, so c is shaped like x
 * ```
 *
 * @category model
 */
export interface DiffSample<A, B> {
  /** The input. */
  readonly x: A
  /** A tangent, shaped like `x`. */
  readonly t: A
  /** A second tangent, shaped like `x`. */
  readonly t2: A
  /** A cotangent, shaped like `f(x)`. */
  readonly c: B | undefined
  /** A second cotangent, shaped like `f(x)`. */
  readonly c2: B | undefined
  /** A scalar in `[-4, 4]`, for homogeneity. */
  readonly k: number
}

/**
 * The arbitrary of {@link DiffSample}s of `d`: inputs from `arbitrary`, tangents shaped like the
 * input, cotangents shaped like the output, and a scalar in `[-4, 4]`.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { diffSample, tensor } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * const [s] = fc.sample(diffSample(ops.exp, tensor({ maxRank: 1 })), { numRuns: 1, seed: 1 })
 * s?.t.shape.length === s?.x.shape.length // true: the tangent is shaped like the input
 * ```
 *
 * @category arbitraries
 */
export const diffSample = <A extends Tree, B extends Tree>(
  d: Diff<A, B>,
  arbitrary: Arbitrary<A>,
  direction: ValueOptions = DEFAULT_DIRECTION,
): Arbitrary<DiffSample<A, B>> =>
  arbitrary.chain((x) => {
    const out = shapedLike(() => d.apply(x), direction)
    return fc.record({
      x: fc.constant(x),
      t: like(x, direction),
      t2: like(x, direction),
      c: out,
      c2: out,
      k: scalarValue({ min: -4, max: 4 }),
    })
  })

/** The tolerances of a law, defaults filled in. @internal */
export interface Tol {
  readonly rtol: number
  readonly identityRtol: number
  readonly atol: number
}

/** Tolerances with their defaults: `rtol` 1e-6, `identityRtol` 1e-9, `atol` 1e-9. @internal */
export const tolerances = (o: Tolerances): Tol => ({
  rtol: o.rtol ?? 1e-6,
  identityRtol: o.identityRtol ?? 1e-9,
  atol: o.atol ?? 1e-9,
})

/** A tree's leaves in one vector. @internal */
export const vec = (t: unknown): Float64Array => T.ravel(t as Tree)[0]

/** `|a_i b_i|` elementwise. @internal */
export const absProducts = (a: Float64Array, b: Float64Array): Float64Array => {
  const out = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = Math.abs(a[i]! * b[i]!)
  return out
}

/** The sum of a vector's entries. @internal */
export const sumOf = (v: Float64Array): number => {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i]!
  return s
}

/** The inner product of two vectors. @internal */
export const dotV = (a: Float64Array, b: Float64Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** The largest magnitude in a vector (0 if empty). @internal */
export const maxAbs = (v: Float64Array): number => {
  let m = 0
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!))
  return m
}

/** Whether two vectors hold the same numbers bit for bit (`Object.is`, so NaN equals NaN). @internal */
export const sameVector = (a: Float64Array, b: Float64Array): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false
  return true
}
