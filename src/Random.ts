/**
 * Explicit, splittable pseudo-random keys, as in JAX. There is no global generator: every
 * random function takes a {@link Key} and is a pure function of it, so the same key gives the
 * same bits on every machine and every run.
 *
 * The generator is JAX's: Threefry-2x32-20 used as a hash of a 64-bit counter under the key,
 * with JAX's "partitionable" counter layout (its default since JAX 0.5). `split(k, n)[i]` is
 * the hash of counter `i`, and the `i`-th element of a sample draws the 64 bits of counter `i`.
 *
 * The rule, as in JAX: **use a key once.** Either split it or sample from it, never both, and
 * never sample twice from the same key (the two samples would be equal, or correlated).
 *
 * ```ts
 * const [kw, kb, kdata] = split(key(42), 3)
 * const w = glorotUniform(kw, [784, 128])
 * const noise = normal(kdata, [128], { std: 0.1 })
 * ```
 *
 * @packageDocumentation
 */
import { ShapeError } from './ShapeError.js'
import type { Shape, Tensor } from './Tensor.js'
import { wrap } from './Tensor.js'
import { assertValidShape, shapeSize } from './kernels/shape.js'
import type { Key } from './random/key.js'
import { assertKey } from './random/key.js'
import { threefryBlock } from './random/threefry.js'
import { normalQuantile } from './random/normalQuantile.js'

export { threefry2x32 } from './random/threefry.js'
export type { Key } from './random/key.js'
export { assertKey, decodeKey, foldIn, fromWords, isKey, key, split } from './random/key.js'

const TWO_M52 = 2 ** -52

/** `n` draws of 52 random bits each, as integers in `[0, 2^52)`: the top 52 of 64 bits. */
const mantissas = (op: string, key: Key, n: number): Float64Array => {
  assertKey(op, key)
  const words = new Uint32Array(2 * n)
  threefryBlock(key.k0, key.k1, 0, 0, n, words)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = words[2 * i]! * 1048576 + (words[2 * i + 1]! >>> 12)
  return out
}

const checkShape = (op: string, shape: Shape): number => {
  assertValidShape(op, shape)
  return shapeSize(shape)
}

/** The largest double below `x` (for finite `x` > -MAX_VALUE). */
const below = (x: number): number => {
  if (x === 0) return -Number.MIN_VALUE
  const b = new Float64Array([x])
  const w = new BigInt64Array(b.buffer)
  w[0] = x > 0 ? w[0]! - 1n : w[0]! + 1n
  return b[0]!
}

/**
 * Options of {@link uniform}: the interval `[low, high)`.
 *
 * @example
 * ```ts
 * const options: UniformOptions = { low: -1, high: 1 }
 * uniform(key(0), [100], options).data.every((u) => u >= -1 && u < 1) // true
 * ```
 * @category sampling
 */
export interface UniformOptions {
  /** The lower end, included; default 0. */
  readonly low?: number
  /** The upper end, excluded; default 1. */
  readonly high?: number
}

/**
 * A tensor of independent uniform samples in `[low, high)` (default `[0, 1)`). Each element takes
 * the top 52 of its 64 random bits as a multiple `u` of `2^-52` in `[0, 1)` and returns
 * `u (high - low) + low`, as JAX's float64 `random.uniform`; in the rare case that rounding
 * reaches `high`, the largest double below `high` is returned instead.
 *
 * @throws ShapeError if the shape is invalid; RangeError unless `low < high`, both finite.
 * @example
 * ```ts
 * const u = uniform(key(0), [2, 3], { low: -1, high: 1 })
 * ```
 * @category sampling
 */
export const uniform = (key: Key, shape: Shape, options: UniformOptions = {}): Tensor => {
  const { low = 0, high = 1 } = options
  const n = checkShape('Random.uniform', shape)
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high))
    throw new RangeError(`Random.uniform: expected finite low < high, got low ${low} and high ${high}`)
  const width = high - low
  if (!Number.isFinite(width)) throw new RangeError(`Random.uniform: the width high - low overflows for ${low}, ${high}`)
  const out = mantissas('Random.uniform', key, n)
  const top = below(high)
  for (let i = 0; i < n; i++) {
    const v = out[i]! * TWO_M52 * width + low
    out[i] = v < low ? low : v < high ? v : top
  }
  return wrap(shape, out)
}

/**
 * Options of {@link normal}.
 *
 * @example
 * ```ts
 * const options: NormalOptions = { mean: 3, std: 0 }
 * Array.from(normal(key(0), [2], options).data) // [3, 3]: std 0 leaves the mean
 * ```
 * @category sampling
 */
export interface NormalOptions {
  /** The mean; default 0. */
  readonly mean?: number
  /** The standard deviation, non-negative; default 1. */
  readonly std?: number
}

/**
 * A tensor of independent normal samples, `mean + std z`. Each `z` is the inverse normal CDF
 * (Wichura's AS 241, relative accuracy about 1e-16) of `u = (m + 1/2) 2^-52`, where `m` is the
 * top 52 of the element's 64 random bits: `u` lies strictly inside `(0, 1)`, so `|z| < 8.3`
 * and every sample is finite. Only correctly rounded arithmetic is used, so the bits are the
 * same on every engine. (JAX uses `erfinv` of a uniform instead, so the values differ from JAX.)
 *
 * @throws ShapeError if the shape is invalid; RangeError unless `mean` is finite and `std` is
 *   finite and non-negative.
 * @example
 * ```ts
 * const z = normal(key(1), [1000]) // standard normal
 * const w = normal(key(2), [3, 4], { mean: 1, std: 0.1 })
 * ```
 * @category sampling
 */
export const normal = (key: Key, shape: Shape, options: NormalOptions = {}): Tensor => {
  const { mean = 0, std = 1 } = options
  const n = checkShape('Random.normal', shape)
  if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0))
    throw new RangeError(`Random.normal: expected a finite mean and a finite std >= 0, got mean ${mean} and std ${std}`)
  const out = mantissas('Random.normal', key, n)
  for (let i = 0; i < n; i++) out[i] = mean + std * normalQuantile((out[i]! + 0.5) * TWO_M52)
  return wrap(shape, out)
}

/**
 * Options of {@link bernoulli}.
 *
 * @example
 * ```ts
 * const options: BernoulliOptions = { p: 1 }
 * Array.from(bernoulli(key(0), [3], options).data) // [1, 1, 1]
 * ```
 * @category sampling
 */
export interface BernoulliOptions {
  /** The probability of a 1, in `[0, 1]`; default 0.5. */
  readonly p?: number
}

/**
 * A tensor of independent Bernoulli samples: 1 with probability `p`, else 0 (as float64, ready
 * to multiply, for example as a dropout mask). An element is 1 when its uniform `u < p`, so
 * `p = 0` gives all zeros and `p = 1` all ones.
 *
 * @throws ShapeError if the shape is invalid; RangeError unless `p` is in `[0, 1]`.
 * @example
 * ```ts
 * const keep = bernoulli(key(3), [4, 5], { p: 0.9 })
 * ```
 * @category sampling
 */
export const bernoulli = (key: Key, shape: Shape, options: BernoulliOptions = {}): Tensor => {
  const { p = 0.5 } = options
  const n = checkShape('Random.bernoulli', shape)
  if (!(p >= 0 && p <= 1)) throw new RangeError(`Random.bernoulli: expected a probability p in [0, 1], got ${p}`)
  const out = mantissas('Random.bernoulli', key, n)
  for (let i = 0; i < n; i++) out[i] = out[i]! * TWO_M52 < p ? 1 : 0
  return wrap(shape, out)
}

/**
 * A uniformly random permutation of `0, 1, ..., n - 1`, by the Fisher-Yates shuffle: step `i`
 * (from `n - 1` down to 1) swaps position `i` with position `floor(u (i + 1))`, where `u` is the
 * uniform of counter `i`. The bias from using 52-bit uniforms is below `n 2^-52`.
 *
 * @throws RangeError if `n` is not a non-negative integer.
 * @example
 * ```ts
 * permutation(key(0), 5) // e.g. [3, 0, 4, 1, 2]
 * ```
 * @category sampling
 */
export const permutation = (key: Key, n: number): readonly number[] => {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Random.permutation: expected a non-negative integer, got ${n}`)
  const u = mantissas('Random.permutation', key, n)
  const p = new Array<number>(n)
  for (let i = 0; i < n; i++) p[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(u[i]! * TWO_M52 * (i + 1)))
    const t = p[i]!
    p[i] = p[j]!
    p[j] = t
  }
  return Object.freeze(p)
}

/**
 * The elements of `xs` in a uniformly random order (a new array; `xs` is untouched):
 * `xs` read through {@link permutation}.
 *
 * @example
 * ```ts
 * shuffle(key(0), ['a', 'b', 'c']) // e.g. ['c', 'a', 'b']
 * ```
 * @category sampling
 */
export const shuffle = <A>(key: Key, xs: readonly A[]): readonly A[] => {
  assertKey('Random.shuffle', key)
  return Object.freeze(permutation(key, xs.length).map((i) => xs[i]!))
}

/**
 * Options of the initialisers.
 *
 * @example
 * ```ts
 * const options: InitOptions = { gain: 2 }
 * glorotUniform(key(0), [3, 5], options).data.every((w) => Math.abs(w) < 2 * Math.sqrt(6 / 8)) // true
 * ```
 * @category initialisers
 */
export interface InitOptions {
  /** A factor on the scale, as PyTorch's `gain`; default 1 for Glorot, `sqrt(2)` for He (ReLU). */
  readonly gain?: number
}

const fans = (op: string, shape: Shape): readonly [number, number] => {
  if (shape.length !== 2) throw new ShapeError(op, 'a weight shape [fanIn, fanOut]', [shape])
  assertValidShape(op, shape)
  const [fanIn, fanOut] = shape as readonly [number, number]
  if (fanIn === 0 || fanOut === 0) throw new ShapeError(op, 'positive fanIn and fanOut', [shape])
  return [fanIn, fanOut]
}

const gainOf = (op: string, options: InitOptions, fallback: number): number => {
  const g = options.gain ?? fallback
  if (!(Number.isFinite(g) && g > 0)) throw new RangeError(`${op}: expected a positive finite gain, got ${g}`)
  return g
}

/**
 * Glorot (Xavier) uniform initialisation of a weight of shape `[fanIn, fanOut]`: uniform on
 * `[-a, a)` with `a = gain sqrt(6 / (fanIn + fanOut))`, as PyTorch's `xavier_uniform_`. Suits
 * tanh and sigmoid layers.
 *
 * @throws ShapeError unless the shape is `[fanIn, fanOut]` with both positive; RangeError for a
 *   bad gain.
 * @example
 * ```ts
 * const W = glorotUniform(key(0), [64, 10]) // |w| < sqrt(6 / 74)
 * ```
 * @category initialisers
 */
export const glorotUniform = (key: Key, shape: Shape, options: InitOptions = {}): Tensor => {
  assertKey('Random.glorotUniform', key)
  const [fanIn, fanOut] = fans('Random.glorotUniform', shape)
  const a = gainOf('Random.glorotUniform', options, 1) * Math.sqrt(6 / (fanIn + fanOut))
  return uniform(key, shape, { low: -a, high: a })
}

/**
 * Glorot (Xavier) normal initialisation of a weight of shape `[fanIn, fanOut]`: normal with mean
 * 0 and standard deviation `gain sqrt(2 / (fanIn + fanOut))`, as PyTorch's `xavier_normal_`
 * (not truncated).
 *
 * @throws ShapeError unless the shape is `[fanIn, fanOut]` with both positive; RangeError for a
 *   bad gain.
 * @example
 * ```ts
 * const W = glorotNormal(key(0), [64, 10])
 * ```
 * @category initialisers
 */
export const glorotNormal = (key: Key, shape: Shape, options: InitOptions = {}): Tensor => {
  assertKey('Random.glorotNormal', key)
  const [fanIn, fanOut] = fans('Random.glorotNormal', shape)
  const std = gainOf('Random.glorotNormal', options, 1) * Math.sqrt(2 / (fanIn + fanOut))
  return normal(key, shape, { std })
}

/**
 * He (Kaiming) uniform initialisation of a weight of shape `[fanIn, fanOut]` for ReLU layers:
 * uniform on `[-a, a)` with `a = gain sqrt(3 / fanIn)` and default gain `sqrt(2)`, so
 * `a = sqrt(6 / fanIn)`, as PyTorch's `kaiming_uniform_(mode='fan_in', nonlinearity='relu')`.
 *
 * @throws ShapeError unless the shape is `[fanIn, fanOut]` with both positive; RangeError for a
 *   bad gain.
 * @example
 * ```ts
 * const W = heUniform(key(0), [784, 128]) // |w| < sqrt(6 / 784)
 * ```
 * @category initialisers
 */
export const heUniform = (key: Key, shape: Shape, options: InitOptions = {}): Tensor => {
  assertKey('Random.heUniform', key)
  const [fanIn] = fans('Random.heUniform', shape)
  const a = gainOf('Random.heUniform', options, Math.SQRT2) * Math.sqrt(3 / fanIn)
  return uniform(key, shape, { low: -a, high: a })
}

/**
 * He (Kaiming) normal initialisation of a weight of shape `[fanIn, fanOut]` for ReLU layers:
 * normal with mean 0 and standard deviation `gain / sqrt(fanIn)`, default gain `sqrt(2)`, as
 * PyTorch's `kaiming_normal_(mode='fan_in', nonlinearity='relu')`.
 *
 * @throws ShapeError unless the shape is `[fanIn, fanOut]` with both positive; RangeError for a
 *   bad gain.
 * @example
 * ```ts
 * const W = heNormal(key(0), [784, 128]) // std sqrt(2 / 784)
 * ```
 * @category initialisers
 */
export const heNormal = (key: Key, shape: Shape, options: InitOptions = {}): Tensor => {
  assertKey('Random.heNormal', key)
  const [fanIn] = fans('Random.heNormal', shape)
  const std = gainOf('Random.heNormal', options, Math.SQRT2) / Math.sqrt(fanIn)
  return normal(key, shape, { std })
}
