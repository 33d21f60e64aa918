/**
 * Immutable n-dimensional arrays of float64.
 *
 * A tensor is a shape and a row-major `Float64Array`, both read-only in their types. The
 * constructors copy what they are given, so nothing a caller holds can change a tensor, and no
 * function of this library writes into a tensor it did not just allocate.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right, isLeft } from 'fp-ts/lib/Either.js'
import type { Eq } from 'fp-ts/lib/Eq.js'
import type { Show } from 'fp-ts/lib/Show.js'
import { ShapeError } from './ShapeError.js'
import { assertValidShape, shapeEquals, shapeSize, showShape, strides } from './kernels/shape.js'

/**
 * A `Float64Array` seen through a read-only lens: indexing reads, nothing writes.
 *
 * @example
 * ```ts
 * const t = zeros([2])
 * t.data[0] // 0
 * // t.data[0] = 1 does not compile: the index signature is read-only
 * ```
 * @category model
 */
export type ReadonlyFloat64Array = Omit<
  Float64Array,
  'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort' | number
> & { readonly [index: number]: number }

/**
 * The extent of each axis, outermost first. `[]` is a scalar, `[3]` a vector, `[2, 3]` a matrix.
 *
 * @example
 * ```ts
 * const s: Shape = [2, 3]
 * zeros(s).shape // [2, 3]
 * ```
 * @category model
 */
export type Shape = readonly number[]

/**
 * An immutable n-d array of float64 in row-major order.
 *
 * @example
 * ```ts
 * const t: Tensor = tensor([[1, 2], [3, 4]])
 * t.shape // [2, 2]
 * Array.from(t.data) // [1, 2, 3, 4]
 * ```
 * @category model
 */
export interface Tensor {
  /** The extent of each axis, outermost first. */
  readonly shape: Shape
  /** The elements in row-major order; `data.length` is the product of `shape`. */
  readonly data: ReadonlyFloat64Array
}

/**
 * A number or a (possibly nested) readonly array of them: the input of {@link tensor} and the
 * output of {@link toArray}.
 *
 * @example
 * ```ts
 * const rows: Nested = [[1, 2], [3, 4]]
 * tensor(rows).shape // [2, 2]
 * ```
 * @category model
 */
export type Nested = number | readonly Nested[]

// ---------------------------------------------------------------------------------------------
// Construction

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
        throw new TypeError(`fromData: expected a number at index ${i}, got ${describe(data[i])}`)
  return wrap(shape, Float64Array.from(data))
}

const describe = (u: unknown): string =>
  u === null ? 'null' : Array.isArray(u) ? 'an array' : typeof u === 'string' ? `"${u}" (string)` : typeof u

const path = (p: readonly number[]): string => (p.length === 0 ? 'the top level' : p.map((i) => `[${i}]`).join(''))

/**
 * Decodes a nested array of numbers from outside (JSON, user input) into a tensor. The Left
 * names where the problem is, what was expected and what was found: a non-number, or a ragged
 * array whose rows differ in length. `[]` decodes to shape `[0]`, a bare number to a scalar.
 *
 * @example
 * ```ts
 * fromNested([[1, 2], [3, 4]]) // a Right holding a tensor of shape [2, 2]
 * fromNested([[1, 2], [3]]) // { _tag: 'Left', left: 'tensor: ragged array at [1]: expected length 2, got length 1' }
 * ```
 * @category constructors
 */
export const fromNested = (u: unknown): Either<string, Tensor> => {
  // The shape follows the first element at each depth; every other element must agree.
  const shape: number[] = []
  let probe: unknown = u
  while (Array.isArray(probe)) {
    shape.push(probe.length)
    probe = probe[0]
  }
  const out = new Float64Array(shapeSize(shape))
  let k = 0
  const at: number[] = []
  const visit = (v: unknown, depth: number): string | undefined => {
    if (depth === shape.length) {
      if (typeof v !== 'number') return `tensor: expected a number at ${path(at)}, got ${describe(v)}`
      out[k++] = v
      return undefined
    }
    if (!Array.isArray(v))
      return `tensor: ragged array at ${path(at)}: expected an array of length ${shape[depth]}, got ${describe(v)}`
    if (v.length !== shape[depth])
      return `tensor: ragged array at ${path(at)}: expected length ${shape[depth]}, got length ${v.length}`
    for (let i = 0; i < v.length; i++) {
      at.push(i)
      const e = visit(v[i], depth + 1)
      if (e !== undefined) return e
      at.pop()
    }
    return undefined
  }
  // An empty array at some depth leaves the deeper dimensions unknown: the shape stops there.
  const e = visit(u, 0)
  return e === undefined ? right(wrap(shape, out)) : left(e)
}

/**
 * A tensor from a nested array of numbers, copied. For data in code; data from outside should
 * go through {@link fromNested}, which returns an `Either`.
 *
 * @throws TypeError naming the position if the array is ragged or holds a non-number.
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
 * A rank-0 tensor holding one number.
 *
 * @example
 * ```ts
 * item(scalar(3)) // 3
 * ```
 * @category constructors
 */
export const scalar = (x: number): Tensor => {
  if (typeof x !== 'number') throw new TypeError(`scalar: expected a number, got ${describe(x)}`)
  return wrap([], Float64Array.of(x))
}

/**
 * A tensor of the given shape with every element equal to `value`.
 *
 * @throws ShapeError if a dimension is negative or fractional.
 * @example
 * ```ts
 * fill([2, 2], 7) // [[7, 7], [7, 7]]
 * ```
 * @category constructors
 */
export const fill = (shape: Shape, value: number): Tensor => {
  assertValidShape('fill', shape)
  const out = new Float64Array(shapeSize(shape))
  if (!Object.is(value, 0)) out.fill(value)
  return wrap(shape, out)
}

/**
 * A tensor of zeros.
 *
 * @throws ShapeError if a dimension is negative or fractional.
 * @example
 * ```ts
 * zeros([2, 3]) // [[0, 0, 0], [0, 0, 0]]
 * ```
 * @category constructors
 */
export const zeros = (shape: Shape): Tensor => fill(shape, 0)

/**
 * A tensor of ones.
 *
 * @throws ShapeError if a dimension is negative or fractional.
 * @example
 * ```ts
 * ones([3]) // [1, 1, 1]
 * ```
 * @category constructors
 */
export const ones = (shape: Shape): Tensor => fill(shape, 1)

/**
 * The `n` by `m` matrix with ones on the main diagonal and zeros elsewhere (`m` defaults to `n`).
 *
 * @throws ShapeError if `n` or `m` is negative or fractional.
 * @example
 * ```ts
 * eye(2) // [[1, 0], [0, 1]]
 * eye(2, 3) // [[1, 0, 0], [0, 1, 0]]
 * ```
 * @category constructors
 */
export const eye = (n: number, m: number = n): Tensor => {
  assertValidShape('eye', [n, m])
  const out = new Float64Array(n * m)
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
  const out = new Float64Array(n)
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
  const out = new Float64Array(num)
  const step = num > 1 ? (stop - start) / (num - 1) : 0
  for (let i = 0; i < num; i++) out[i] = start + i * step
  if (num > 1) out[num - 1] = stop
  return wrap([num], out)
}

// ---------------------------------------------------------------------------------------------
// Accessors

/**
 * The number of elements.
 *
 * @example
 * ```ts
 * size(zeros([2, 3])) // 6
 * ```
 * @category accessors
 */
export const size = (t: Tensor): number => t.data.length

/**
 * The number of axes.
 *
 * @example
 * ```ts
 * rank(zeros([2, 3])) // 2
 * rank(scalar(1)) // 0
 * ```
 * @category accessors
 */
export const rank = (t: Tensor): number => t.shape.length

/**
 * The value of a tensor with exactly one element (any rank), as PyTorch's `item()`.
 *
 * @throws ShapeError if the tensor does not have exactly one element.
 * @example
 * ```ts
 * item(tensor([[5]])) // 5
 * ```
 * @category accessors
 */
export const item = (t: Tensor): number => {
  if (t.data.length !== 1) throw new ShapeError('item', 'a tensor with exactly one element', [t.shape])
  return t.data[0]!
}

/**
 * The element at a full index (one non-negative integer per axis).
 *
 * @throws ShapeError if the index has the wrong length or is out of range.
 * @example
 * ```ts
 * at(tensor([[1, 2], [3, 4]]), [1, 0]) // 3
 * ```
 * @category accessors
 */
export const at = (t: Tensor, index: readonly number[]): number => {
  const s = strides(t.shape)
  if (index.length !== t.shape.length)
    throw new ShapeError('at', `an index of length ${t.shape.length}, got [${index.join(', ')}]`, [t.shape])
  let k = 0
  for (let i = 0; i < index.length; i++) {
    const j = index[i]!
    if (!Number.isInteger(j) || j < 0 || j >= t.shape[i]!)
      throw new ShapeError('at', `index [${index.join(', ')}] in range`, [t.shape])
    k += j * s[i]!
  }
  return t.data[k]!
}

/**
 * The tensor as nested arrays of numbers (a bare number for a scalar): the inverse of
 * {@link tensor}. The result is fresh; changing it does not change the tensor.
 *
 * @example
 * ```ts
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

/**
 * A fresh, writable copy of the data in row-major order.
 *
 * @example
 * ```ts
 * const buf = toFloat64Array(ones([2])) // Float64Array [1, 1], yours to change
 * ```
 * @category accessors
 */
export const toFloat64Array = (t: Tensor): Float64Array => Float64Array.from(t.data as ArrayLike<number>)

/**
 * Whether a value is a well-formed tensor: a valid shape and a `Float64Array` of matching size.
 *
 * @example
 * ```ts
 * isTensor(zeros([2])) // true
 * isTensor([1, 2]) // false
 * ```
 * @category guards
 */
export const isTensor = (u: unknown): u is Tensor => {
  if (typeof u !== 'object' || u === null) return false
  const { shape, data } = u as { shape?: unknown; data?: unknown }
  return (
    Array.isArray(shape) &&
    shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    data instanceof Float64Array &&
    data.length === shapeSize(shape as Shape)
  )
}

// ---------------------------------------------------------------------------------------------
// Comparison

/**
 * Exact equality: same shape and every element equal, NaN equal to NaN and 0 equal to -0
 * (SameValueZero).
 *
 * @example
 * ```ts
 * equals(tensor([1, NaN]), tensor([1, NaN])) // true
 * equals(tensor([1, 2]), tensor([[1, 2]])) // false: shapes differ
 * ```
 * @category comparison
 */
export const equals = (a: Tensor, b: Tensor): boolean => {
  if (!shapeEquals(a.shape, b.shape)) return false
  const x = a.data
  const y = b.data
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!
    const q = y[i]!
    if (p !== q && !(p !== p && q !== q)) return false
  }
  return true
}

/**
 * Options of {@link allClose}: `|a - b| <= atol + rtol * |b|` elementwise, as NumPy.
 *
 * @example
 * ```ts
 * const loose: CloseOptions = { rtol: 1e-3, equalNan: true }
 * allClose(tensor([1, NaN]), tensor([1.0001, NaN]), loose) // true
 * ```
 * @category comparison
 */
export interface CloseOptions {
  /** Relative tolerance; default `1e-5`. */
  readonly rtol?: number
  /** Absolute tolerance; default `1e-8`. */
  readonly atol?: number
  /** Whether NaN matches NaN; default `false`, as NumPy. */
  readonly equalNan?: boolean
}

/**
 * Approximate equality as NumPy's `allclose`: same shape, and `|a - b| <= atol + rtol * |b|` for
 * every element; equal infinities match; NaN matches NaN only with `equalNan`.
 *
 * @example
 * ```ts
 * allClose(tensor([1, 2]), tensor([1 + 1e-9, 2])) // true
 * allClose(tensor([1]), tensor([1.1]), { rtol: 0.01 }) // false
 * ```
 * @category comparison
 */
export const allClose = (a: Tensor, b: Tensor, options: CloseOptions = {}): boolean => {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options
  if (!shapeEquals(a.shape, b.shape)) return false
  for (let i = 0; i < a.data.length; i++) {
    const p = a.data[i]!
    const q = b.data[i]!
    if (p === q) continue
    if (p !== p || q !== q) {
      if (equalNan && p !== p && q !== q) continue
      return false
    }
    if (p === Infinity || p === -Infinity || q === Infinity || q === -Infinity) return false
    if (!(Math.abs(p - q) <= atol + rtol * Math.abs(q))) return false
  }
  return true
}

/**
 * The largest elementwise `|a - b|` of two tensors of the same shape (NaN if any difference is
 * NaN, 0 for empty tensors). Handy in test failure messages.
 *
 * @throws ShapeError if the shapes differ.
 * @example
 * ```ts
 * maxAbsDiff(tensor([1, 2]), tensor([1, 2.5])) // 0.5
 * ```
 * @category comparison
 */
export const maxAbsDiff = (a: Tensor, b: Tensor): number => {
  if (!shapeEquals(a.shape, b.shape)) throw new ShapeError('maxAbsDiff', 'equal shapes', [a.shape, b.shape])
  let m = 0
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!)
    if (d !== d) return NaN
    if (d > m) m = d
  }
  return m
}

/**
 * The fp-ts `Eq` instance of {@link equals}.
 *
 * @example
 * ```ts
 * EqTensor.equals(zeros([2]), tensor([0, 0])) // true
 * ```
 * @category instances
 */
export const EqTensor: Eq<Tensor> = { equals }

/**
 * The fp-ts `Show` instance: `tensor([2, 2], [[1, 2], [3, 4]])`.
 *
 * @example
 * ```ts
 * ShowTensor.show(tensor([1, 2])) // 'tensor([2], [1, 2])'
 * ```
 * @category instances
 */
export const ShowTensor: Show<Tensor> = {
  show: (t) => `tensor(${showShape(t.shape)}, ${showNested(toArray(t))})`,
}

const showNested = (n: Nested): string =>
  typeof n === 'number' ? (Object.is(n, -0) ? '-0' : String(n)) : `[${n.map(showNested).join(', ')}]`
