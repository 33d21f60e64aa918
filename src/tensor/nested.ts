/**
 * Tensors from and to nested arrays of numbers: {@link fromNested} (the boundary, an `Either`),
 * {@link tensor} (for data in code, throwing) and {@link toArray}. Input of any depth, size or
 * shape, cyclic arrays included, gives an answer: the walk is a loop, the depth and the size are
 * checked before anything is allocated.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right, isLeft } from 'fp-ts/lib/Either.js'
import { shapeSize } from '../kernels/shape.js'
import { DEFAULT_MAX_DEPTH } from '../limits.js'
import { MAX_SIZE, describeElement, wrap } from './construct.js'
import type { Nested, Tensor } from './types.js'

/**
 * Limits of {@link fromNested}: how deep the arrays may nest and how many elements they may hold.
 *
 * @example
 * ```ts
 * const options: NestedOptions = { maxDepth: 2, maxSize: 4 }
 * fromNested([[[1]]], options)._tag // 'Left'
 * ```
 * @category constructors
 */
export interface NestedOptions {
  /** The deepest nesting accepted (the largest rank); default `DEFAULT_MAX_DEPTH` (64). */
  readonly maxDepth?: number
  /** The most elements accepted; default `MAX_SIZE` (2^32 - 1). */
  readonly maxSize?: number
}

const path = (p: readonly number[]): string => (p.length === 0 ? 'the top level' : p.map((i) => `[${i}]`).join(''))

/** The path of the first element at `depth` levels down: `[0][0]`, or its length past a few levels. */
const firstPath = (depth: number): string =>
  depth === 0 ? 'the top level' : depth <= 8 ? '[0]'.repeat(depth) : `[0][0][0]...[0] (${depth} levels down)`

/** The shape, read along the first elements; a Left for a cycle, too deep a nesting, or too many elements. */
const probeShape = (u: unknown, maxDepth: number, maxSize: number): Either<string, number[]> => {
  const shape: number[] = []
  const seen = new Map<unknown, number>()
  let probe: unknown = u
  while (Array.isArray(probe)) {
    const before = seen.get(probe)
    if (before !== undefined)
      return left(`tensor: cyclic array: the element at ${firstPath(shape.length)} is the array at ${firstPath(before)}`)
    if (shape.length >= maxDepth)
      return left(`tensor: arrays nested deeper than ${maxDepth} levels (the maxDepth option) at ${firstPath(shape.length)}`)
    seen.set(probe, shape.length)
    shape.push(probe.length)
    probe = probe[0]
  }
  const n = shapeSize(shape)
  if (n > maxSize)
    return left(`tensor: ${n} elements for shape [${shape.join(', ')}], more than the limit of ${maxSize} (the maxSize option)`)
  return right(shape)
}

/**
 * Decodes a nested array of numbers from outside (JSON, user input) into a tensor. The Left
 * names where the problem is, what was expected and what was found: a non-number, a ragged
 * array whose rows differ in length, a cyclic array, nesting deeper than `maxDepth` (default
 * 64) or more than `maxSize` elements. `[]` decodes to shape `[0]`, a bare number to a scalar.
 * Never recursive, so no input can overflow the stack.
 *
 * @example
 * ```ts
 * fromNested([[1, 2], [3, 4]]) // a Right holding a tensor of shape [2, 2]
 * fromNested([[1, 2], [3]]) // { _tag: 'Left', left: 'tensor: ragged array at [1]: expected length 2, got length 1' }
 * const loop: unknown[] = []
 * loop.push(loop)
 * fromNested(loop) // { _tag: 'Left', left: 'tensor: cyclic array: the element at [0] is the array at the top level' }
 * ```
 * @category constructors
 */
export const fromNested = (u: unknown, options: NestedOptions = {}): Either<string, Tensor> => {
  const probed = probeShape(u, options.maxDepth ?? DEFAULT_MAX_DEPTH, options.maxSize ?? MAX_SIZE)
  if (isLeft(probed)) return probed
  const shape = probed.right
  const out = new Float64Array(shapeSize(shape))
  const rank = shape.length
  if (rank === 0) {
    if (typeof u !== 'number') return left(`tensor: expected a number at the top level, got ${describeElement(u)}`)
    out[0] = u
    return right(wrap(shape, out))
  }
  // Depth-first over the arrays, with the path as an explicit stack: at[d] is the index at depth d.
  // The shape follows the first element at each depth; every other element must agree.
  const arrays: (readonly unknown[])[] = [u as readonly unknown[]]
  const at: number[] = [0]
  let k = 0
  while (arrays.length > 0) {
    const d = arrays.length - 1
    const arr = arrays[d]!
    const i = at[d]!
    if (i === arr.length) {
      arrays.pop()
      at.pop()
      if (d > 0) at[d - 1]!++
      continue
    }
    const v = arr[i]
    if (d + 1 === rank) {
      if (typeof v !== 'number') return left(`tensor: expected a number at ${path(at)}, got ${describeElement(v)}`)
      out[k++] = v
      at[d] = i + 1
      continue
    }
    if (!Array.isArray(v))
      return left(`tensor: ragged array at ${path(at)}: expected an array of length ${shape[d + 1]}, got ${describeElement(v)}`)
    if (v.length !== shape[d + 1]) return left(`tensor: ragged array at ${path(at)}: expected length ${shape[d + 1]}, got length ${v.length}`)
    arrays.push(v)
    at.push(0)
  }
  return right(wrap(shape, out))
}

/**
 * A tensor from a nested array of numbers, copied. For data in code; data from outside should
 * go through {@link fromNested}, which returns an `Either`.
 *
 * @throws TypeError naming the position if the array is ragged, holds a non-number, is cyclic,
 *   nests deeper than 64 levels or holds more than `MAX_SIZE` elements.
 * @example
 * ```ts
 * const m = tensor([[1, 2, 3], [4, 5, 6]]) // shape [2, 3]
 * const s = tensor(7) // shape []
 * ```
 * @category constructors
 */
export const tensor = (nested: Nested): Tensor => {
  const r = fromNested(nested)
  if (isLeft(r)) throw new TypeError(r.left)
  return r.right
}

/**
 * The tensor as nested arrays of numbers (a bare number for a scalar): the inverse of
 * {@link tensor}. The result is fresh; changing it does not change the tensor.
 *
 * @example
 * ```ts
 * import { fromData } from 'autodiff-ts'
 *
 * toArray(fromData([2, 2], [1, 2, 3, 4])) // [[1, 2], [3, 4]]
 * ```
 * @category accessors
 */
export const toArray = (t: Tensor): Nested => {
  const { shape, data } = t
  if (shape.length === 0) return data[0]!
  let k = 0
  const build = (depth: number): Nested[] => {
    const n = shape[depth]!
    const row = new Array<Nested>(n)
    if (depth === shape.length - 1) for (let i = 0; i < n; i++) row[i] = data[k++]!
    else for (let i = 0; i < n; i++) row[i] = build(depth + 1)
    return row
  }
  return build(0)
}
