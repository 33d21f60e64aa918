/**
 * Where every result that can be larger than its inputs is allocated: a broadcast, a `where`, a
 * matrix product, a padding. The size is checked against {@link MAX_SIZE} before any arithmetic
 * and a failed allocation is reported with the operation and the shapes, so a hostile shape is a
 * `ShapeError`, never the engine's bare `RangeError`.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape } from '../Shape.js'
import { shapeSize } from './shape.js'
import { toOverwrite } from './spares.js'

/**
 * The most elements a tensor may have: 2^32 - 1, the longest `Float64Array` the JavaScript
 * engines allow (32 GiB). A constructor or an operation asked for more throws a `ShapeError`
 * naming the size instead of letting the allocator fail; one whose memory cannot be had says so,
 * with the size.
 *
 * @example
 * ```ts
 * MAX_SIZE // 4294967295
 * // zeros([1e10]) throws ShapeError: zeros: at most 4294967295 elements, found 10000000000 elements; got shape [10000000000]
 * ```
 * @category constructors
 */
export const MAX_SIZE = 2 ** 32 - 1

/**
 * The size of a result of `shape` made by `op` from operands of shapes `operands`, checked against
 * {@link MAX_SIZE} before anything proportional to it is allocated.
 *
 * @throws ShapeError naming `op`, the size and the shapes if the size exceeds {@link MAX_SIZE}.
 * @example
 * ```ts
 * checkSize('matmul', [2, 3], [[2, 4], [4, 3]]) // 6
 * ```
 * @internal
 */
export const checkSize = (op: string, shape: Shape, operands: readonly Shape[] = [shape]): number => {
  const n = shapeSize(shape)
  if (n > MAX_SIZE) throw new ShapeError(op, `at most ${MAX_SIZE} elements, found ${n} elements`, operands)
  return n
}

/**
 * A fresh zeroed `Float64Array` for a result of `shape` made by `op` from operands of shapes
 * `operands` (named in the message; by default the result's shape alone).
 *
 * @throws ShapeError naming `op`, the size and the shapes if the size exceeds {@link MAX_SIZE}
 *   or the memory cannot be allocated.
 * @example
 * ```ts
 * allocate('add', [2, 3], [[2, 1], [3]]).length // 6
 * allocate('add', [1e5, 1e5], [[1e5, 1], [1e5]]) // throws ShapeError: add: at most 4294967295 elements, found 10000000000 elements; ...
 * ```
 * @internal
 */
export const allocate = (op: string, shape: Shape, operands: readonly Shape[] = [shape]): Float64Array =>
  checked(op, shape, operands, (n) => new Float64Array(n))

/**
 * As {@link allocate}, for a result that `op` writes entirely before anyone reads it: an array
 * lent to the kernels if one of its length is (`kernels/spares.ts`; its contents garbage), else
 * a fresh one.
 *
 * @throws ShapeError as {@link allocate}.
 * @example
 * ```ts
 * allocateToOverwrite('add', [2, 3], [[2, 1], [3]]).length // 6
 * ```
 * @internal
 */
export const allocateToOverwrite = (op: string, shape: Shape, operands: readonly Shape[] = [shape]): Float64Array =>
  checked(op, shape, operands, toOverwrite)

const checked = (op: string, shape: Shape, operands: readonly Shape[], make: (n: number) => Float64Array): Float64Array => {
  const n = checkSize(op, shape, operands)
  try {
    return make(n)
  } catch (e) {
    throw new ShapeError(op, `memory for ${n} elements (${8 * n} bytes), which could not be allocated (${e instanceof Error ? e.message : String(e)})`, operands)
  }
}
