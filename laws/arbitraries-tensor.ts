/**
 * fast-check arbitraries for tensors and trees: shapes, tensors with finite entries in a chosen
 * range, pairs of equal or broadcast-compatible shapes, matmul-compatible pairs, random trees, and
 * trees shaped like a given one (for tangents and cotangents).
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import { wrap } from '../src/Tensor.js'
import type { Shape, Tensor } from '../src/Tensor.js'
import { isTensor } from '../src/Tensor.js'
import type { Tree } from '../src/Tree.js'

/**
 * Bounds of the shapes drawn by {@link shape}.
 *
 * @example
 * ```ts
 * import { shape, type ShapeOptions } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * const matrices: ShapeOptions = { minRank: 2, maxRank: 2, maxDim: 3 }
 * fc.sample(shape(matrices), { numRuns: 1, seed: 1 })[0]?.length // 2
 * ```
 *
 * @category arbitraries
 */
export interface ShapeOptions {
  /** Smallest rank; default 0 (a scalar tensor). */
  readonly minRank?: number
  /** Largest rank; default 3. */
  readonly maxRank?: number
  /** Smallest dimension; default 1. */
  readonly minDim?: number
  /** Largest dimension; default 4. */
  readonly maxDim?: number
}

/**
 * The range of the entries drawn by {@link tensorOf} and friends. Entries are finite doubles in
 * `[min, max]`, never NaN.
 *
 * @example
 * ```ts
 * import { tensorOf, type ValueOptions } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * const positive: ValueOptions = { min: 0.5, max: 2 }
 * const [t] = fc.sample(tensorOf([3], positive), { numRuns: 1, seed: 1 })
 * t !== undefined && Math.min(...t.data) >= 0.5 // true
 * ```
 *
 * @category arbitraries
 */
export interface ValueOptions {
  /** Smallest entry; default -10. */
  readonly min?: number
  /** Largest entry; default 10. */
  readonly max?: number
  /**
   * Entries of smaller magnitude than this are replaced by 0 (so that no direction is subnormal);
   * default 0 (keep everything).
   */
  readonly flushBelow?: number
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER

/**
 * One finite double in the range of `options`, spread over the whole range: a 53-bit integer
 * mapped linearly onto `[min, max]`, so shrinking goes toward the midpoint. (fast-check's own
 * `fc.double({ min, max })` picks uniformly among representable doubles, so about 90% of its
 * draws in `[-10, 10]` are smaller than `1e-10` in magnitude, which would test a function almost
 * only at 0.) About one draw in seven lands near the midpoint, where fast-check biases integers.
 *
 * @example
 * ```ts
 * import { scalarValue } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(scalarValue({ min: 0.1, max: 5 }), 100).every((x) => x >= 0.1 && x <= 5) // true
 * ```
 *
 * @category arbitraries
 */
export const scalarValue = (options: ValueOptions = {}): Arbitrary<number> => {
  const { min = -10, max = 10, flushBelow = 0 } = options
  const mid = min / 2 + max / 2
  const half = max / 2 - min / 2
  return fc.maxSafeInteger().map((n) => {
    const v = Math.min(max, Math.max(min, mid + half * (n / MAX_SAFE)))
    return Math.abs(v) < flushBelow ? 0 : v
  })
}

/**
 * A shape within the bounds of `options`.
 *
 * @example
 * ```ts
 * import { shape } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(shape({ minRank: 2, maxRank: 2 }), 10).every((s) => s.length === 2) // true
 * ```
 *
 * @category arbitraries
 */
export const shape = (options: ShapeOptions = {}): Arbitrary<Shape> => {
  const { minRank = 0, maxRank = 3, minDim = 1, maxDim = 4 } = options
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank })
}

/**
 * A tensor of the given shape, entries in the range of `options`.
 *
 * @example
 * ```ts
 * import { tensorOf } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(tensorOf([2, 3]), 1)[0]?.data.length // 6
 * ```
 *
 * @category arbitraries
 */
export const tensorOf = (s: Shape, options: ValueOptions = {}): Arbitrary<Tensor> => {
  let n = 1
  for (const d of s) n *= d
  const frozen = s.slice()
  return fc.array(scalarValue(options), { minLength: n, maxLength: n }).map((xs) => wrap(frozen, Float64Array.from(xs)))
}

/**
 * A tensor of any shape within `options`, entries in its range.
 *
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(tensor({ maxRank: 2, min: 0.5, max: 2 }), 10).every((t) => t.shape.length <= 2) // true
 * ```
 *
 * @category arbitraries
 */
export const tensor = (options: ShapeOptions & ValueOptions = {}): Arbitrary<Tensor> =>
  shape(options).chain((s) => tensorOf(s, options))

/**
 * Two tensors of the same shape.
 *
 * @example
 * ```ts
 * import { sameShapePair } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(sameShapePair(), 10).every(([x, y]) => x.shape.join() === y.shape.join()) // true
 * ```
 *
 * @category arbitraries
 */
export const sameShapePair = (options: ShapeOptions & ValueOptions = {}): Arbitrary<readonly [Tensor, Tensor]> =>
  shape(options).chain((s) => fc.tuple(tensorOf(s, options), tensorOf(s, options)))

/**
 * Two shapes that broadcast together as NumPy does: from a common result shape, each side drops
 * some leading axes and turns some of the remaining ones into 1.
 *
 * @example
 * ```ts
 * import { broadcastShapes } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(broadcastShapes(), 1) // e.g. [[[2, 1, 4], [3, 1]]]
 * ```
 *
 * @category arbitraries
 */
export const broadcastShapes = (options: ShapeOptions = {}): Arbitrary<readonly [Shape, Shape]> =>
  shape(options).chain((out) => {
    const side = fc
      .tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
      .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)))
    return fc.tuple(side, side)
  })

/**
 * Two tensors of broadcast-compatible shapes (see {@link broadcastShapes}).
 *
 * @example
 * ```ts
 * import { broadcastPair } from 'autodiff-ts/laws'
 * import { ops } from 'autodiff-ts'
 * import fc from 'fast-check'
 *
 * fc.sample(broadcastPair(), 10).map((xy) => ops.add.apply(xy)).length // 10: each pair adds
 * ```
 *
 * @category arbitraries
 */
export const broadcastPair = (options: ShapeOptions & ValueOptions = {}): Arbitrary<readonly [Tensor, Tensor]> =>
  broadcastShapes(options).chain(([a, b]) => fc.tuple(tensorOf(a, options), tensorOf(b, options)))

/**
 * Two matrices that multiply: shapes `[m, k]` and `[k, n]`, each dimension in
 * `[minDim, maxDim]` of `options`.
 *
 * @example
 * ```ts
 * import { matmulPair } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(matmulPair(), 10).every(([a, b]) => a.shape[1] === b.shape[0]) // true
 * ```
 *
 * @category arbitraries
 */
export const matmulPair = (options: ShapeOptions & ValueOptions = {}): Arbitrary<readonly [Tensor, Tensor]> => {
  const { minDim = 1, maxDim = 4 } = options
  const dim = fc.integer({ min: minDim, max: maxDim })
  return fc.tuple(dim, dim, dim).chain(([m, k, n]) => fc.tuple(tensorOf([m, k], options), tensorOf([k, n], options)))
}

/**
 * Bounds of the trees drawn by {@link tree}.
 *
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 * import { tree, type TreeOptions } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * const flat: TreeOptions = { maxDepth: 0, maxRank: 1 }
 * const [t] = fc.sample(tree(flat), { numRuns: 1, seed: 1 })
 * t !== undefined && Tree.isLeaf(t) // true: depth 0 is a single leaf
 * ```
 *
 * @category arbitraries
 */
export interface TreeOptions extends ShapeOptions, ValueOptions {
  /** Nesting depth of arrays and records; default 2. */
  readonly maxDepth?: number
  /** Most items in an array or record; default 3. */
  readonly maxWidth?: number
}

const KEYS = ['a', 'b', 'w', 'bias', 'layer 1'] as const

/**
 * A random tree: numbers and tensors nested in arrays and records.
 *
 * @example
 * ```ts
 * import { tree } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * fc.sample(tree({ maxDepth: 1 }), 1) // e.g. [{ a: 1.5, w: tensor([2], [0, 3]) }]
 * ```
 *
 * @category arbitraries
 */
export const tree = (options: TreeOptions = {}): Arbitrary<Tree> => {
  const { maxDepth = 2, maxWidth = 3 } = options
  const leaf: Arbitrary<Tree> = fc.oneof(scalarValue(options), tensor(options))
  const at = (depth: number): Arbitrary<Tree> =>
    depth === 0
      ? leaf
      : fc.oneof(
          leaf,
          fc.array(at(depth - 1), { maxLength: maxWidth }),
          fc.dictionary(fc.constantFrom(...KEYS), at(depth - 1), { maxKeys: maxWidth }) as Arbitrary<Tree>,
        )
  return at(maxDepth)
}

/**
 * A tree of exactly the structure of `t` (same nesting, leaf kinds and tensor shapes) with fresh
 * entries in the range of `options`: a tangent for an input, a cotangent for an output.
 *
 * @example
 * ```ts
 * import { like } from 'autodiff-ts/laws'
 * import { Tree } from 'autodiff-ts'
 * import fc from 'fast-check'
 *
 * const t = { w: 1, b: [2, 3] }
 * fc.sample(like(t, { min: -1, max: 1 }), 10).every((u) => Tree.structureEq(u, t)) // true
 * ```
 *
 * @category arbitraries
 */
export const like = <T extends Tree>(t: T, options: ValueOptions = {}): Arbitrary<T> => {
  const go = (u: Tree): Arbitrary<Tree> => {
    if (typeof u === 'number') return scalarValue(options)
    if (isTensor(u)) return tensorOf(u.shape, options)
    if (Array.isArray(u)) return fc.tuple(...(u as readonly Tree[]).map(go))
    const rec = u as { readonly [k: string]: Tree }
    const parts: { [k: string]: Arbitrary<Tree> } = {}
    for (const k of Object.keys(rec)) parts[k] = go(rec[k]!)
    return fc.record(parts)
  }
  return go(t) as Arbitrary<T>
}
