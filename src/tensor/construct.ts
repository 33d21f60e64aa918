/**
 * Making tensors: from data ({@link wrap}, {@link fromData}, {@link scalar}) and from a rule
 * ({@link fill}, {@link zeros}, {@link ones}, {@link eye}, {@link arange}, {@link linspace}).
 * Every constructor checks the size it is asked for against {@link MAX_SIZE} before allocating,
 * and copies what it is given (except {@link wrap}, for arrays just allocated).
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape } from '../Shape.js'
import { allocate as allocateChecked } from '../kernels/alloc.js'
import { assertValidShape, shapeSize } from '../kernels/shape.js'
import type { Tensor } from './types.js'

export { MAX_SIZE } from '../kernels/alloc.js'

/**
 * A short phrase for an element that should have been a number, in constructors' messages.
 *
 * @example
 * ```ts
 * describeElement('x') // '"x" (string)'
 * ```
 * @internal
 */
export const describeElement = (u: unknown): string =>
  u === null ? 'null' : Array.isArray(u) ? 'an array' : typeof u === 'string' ? `"${u}" (string)` : typeof u

/**
 * A fresh zeroed `Float64Array` for a tensor of `shape`, after checking the shape and its size:
 * what the constructors allocate with.
 *
 * @throws ShapeError naming `op`, the size and the shape, if a dimension is not a non-negative
 *   integer, the size exceeds {@link MAX_SIZE}, or the memory cannot be allocated.
 * @example
 * ```ts
 * allocate('mine', [2, 3]).length // 6
 * ```
 * @internal
 */
export const allocate = (op: string, shape: Shape): Float64Array => {
  assertValidShape(op, shape)
  return allocateChecked(op, shape)
}

/**
 * Wraps a `Float64Array` that the caller has just allocated, without copying. The caller gives
 * up the array: it must never write to it again. This is how kernels return their results;
 * code holding data from elsewhere should use {@link fromData}, which copies.
 *
 * @throws ShapeError if the shape is invalid or its size differs from `data.length`.
 * @example
 * ```ts
 * const out = new Float64Array(3)
 * for (let i = 0; i < 3; i++) out[i] = i * i
 * const t = wrap([3], out) // out is now owned by t
 * ```
 * @category constructors
 */
export const wrap = (shape: Shape, data: Float64Array): Tensor => {
  assertValidShape('wrap', shape)
  const n = shapeSize(shape)
  if (n !== data.length) throw new ShapeError('wrap', `data of length ${n} to fill the shape, found length ${data.length}`, [shape])
  return Object.freeze({ shape: Object.freeze(shape.slice()), data })
}

/**
 * A tensor of the given shape from flat row-major data, which is copied.
 *
 * @throws ShapeError if a dimension is negative or fractional, or the data length is not the
 *   product of the dimensions; TypeError if an element is not a number.
 * @example
 * ```ts
 * const m = fromData([2, 3], [1, 2, 3, 4, 5, 6]) // [[1, 2, 3], [4, 5, 6]]
 * ```
 * @category constructors
 */
export const fromData = (shape: Shape, data: ArrayLike<number>): Tensor => {
  assertValidShape('fromData', shape)
  const n = shapeSize(shape)
  if (n !== data.length) throw new ShapeError('fromData', `data of length ${n} to fill the shape, found length ${data.length}`, [shape])
  if (!ArrayBuffer.isView(data))
    for (let i = 0; i < data.length; i++)
      if (typeof data[i] !== 'number')
        throw new TypeError(`fromData: expected a number at index ${i}, got ${describeElement(data[i])}`)
  return wrap(shape, Float64Array.from(data))
}

/**
 * A rank-0 tensor holding one number.
 *
 * @example
 * ```ts
 * import { item } from 'autodiff-ts'
 *
 * item(scalar(3)) // 3
 * ```
 * @category constructors
 */
export const scalar = (x: number): Tensor => {
  if (typeof x !== 'number') throw new TypeError(`scalar: expected a number, got ${describeElement(x)}`)
  return wrap([], Float64Array.of(x))
}

/**
 * A tensor of the given shape with every element equal to `value`.
 *
 * @throws ShapeError if a dimension is negative or fractional, or the size exceeds {@link MAX_SIZE}.
 * @example
 * ```ts
 * fill([2, 2], 7) // [[7, 7], [7, 7]]
 * ```
 * @category constructors
 */
export const fill = (shape: Shape, value: number): Tensor => filled('fill', shape, value)

const filled = (op: string, shape: Shape, value: number): Tensor => {
  const out = allocate(op, shape)
  if (!Object.is(value, 0)) out.fill(value)
  return wrap(shape, out)
}

/**
 * A tensor of zeros.
 *
 * @throws ShapeError if a dimension is negative or fractional, or the size exceeds {@link MAX_SIZE}.
 * @example
 * ```ts
 * zeros([2, 3]) // [[0, 0, 0], [0, 0, 0]]
 * ```
 * @category constructors
 */
export const zeros = (shape: Shape): Tensor => filled('zeros', shape, 0)

/**
 * A tensor of ones.
 *
 * @throws ShapeError if a dimension is negative or fractional, or the size exceeds {@link MAX_SIZE}.
 * @example
 * ```ts
 * ones([3]) // [1, 1, 1]
 * ```
 * @category constructors
 */
export const ones = (shape: Shape): Tensor => filled('ones', shape, 1)

/**
 * The `n` by `m` matrix with ones on the main diagonal and zeros elsewhere (`m` defaults to `n`).
 *
 * @throws ShapeError if `n` or `m` is negative or fractional, or `n m` exceeds {@link MAX_SIZE}.
 * @example
 * ```ts
 * eye(2) // [[1, 0], [0, 1]]
 * eye(2, 3) // [[1, 0, 0], [0, 1, 0]]
 * ```
 * @category constructors
 */
export const eye = (n: number, m: number = n): Tensor => {
  const out = allocate('eye', [n, m])
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1
  return wrap([n, m], out)
}

/**
 * Evenly spaced values in the half-open interval `[start, stop)`, as NumPy's `arange`: with one
 * argument it counts from 0 to `stop`; the length is `max(0, ceil((stop - start) / step))`.
 *
 * @throws RangeError if `step` is 0 or an argument is not finite.
 * @example
 * ```ts
 * arange(4) // [0, 1, 2, 3]
 * arange(1, 2, 0.25) // [1, 1.25, 1.5, 1.75]
 * ```
 * @category constructors
 */
export function arange(stop: number): Tensor
/**
 * Evenly spaced values from `start` (included) to `stop` (excluded) by `step` (default 1), as
 * NumPy's `arange(start, stop, step)`.
 *
 * @throws RangeError if `step` is 0 or an argument is not finite.
 * @example
 * ```ts
 * arange(5, 1, -2) // [5, 3]
 * ```
 * @category constructors
 */
export function arange(start: number, stop: number, step?: number): Tensor
export function arange(a: number, b?: number, step = 1): Tensor {
  const [start, stop] = b === undefined ? [0, a] : [a, b]
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0)
    throw new RangeError(`arange: expected finite start, stop and a non-zero finite step, got ${start}, ${stop}, ${step}`)
  const n = Math.max(0, Math.ceil((stop - start) / step))
  const out = allocate('arange', [n])
  for (let i = 0; i < n; i++) out[i] = start + i * step
  return wrap([n], out)
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included, as NumPy's `linspace`.
 *
 * @throws RangeError if `num` is not a non-negative integer or an end is not finite.
 * @example
 * ```ts
 * linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 * ```
 * @category constructors
 */
export const linspace = (start: number, stop: number, num: number): Tensor => {
  if (!Number.isSafeInteger(num) || num < 0 || !Number.isFinite(start) || !Number.isFinite(stop))
    throw new RangeError(`linspace: expected finite ends and a non-negative integer count, got ${start}, ${stop}, ${num}`)
  const out = allocate('linspace', [num])
  const step = num > 1 ? (stop - start) / (num - 1) : 0
  for (let i = 0; i < num; i++) out[i] = start + i * step
  if (num > 1) out[num - 1] = stop
  return wrap([num], out)
}
