/**
 * Shape arithmetic shared by the kernels: sizes, row-major strides, validation and NumPy
 * broadcasting rules. Pure functions on small arrays; nothing here touches tensor data.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape } from '../Shape.js'

/**
 * The number of elements of a shape: the product of its dimensions (1 for the scalar shape `[]`).
 *
 * @example
 * ```ts
 * shapeSize([2, 3]) // 6
 * shapeSize([]) // 1
 * ```
 *
 * @category shapes
 */
export const shapeSize = (shape: Shape): number => {
  let n = 1
  for (let i = 0; i < shape.length; i++) n *= shape[i]!
  return n
}

/**
 * Row-major strides of a shape, in elements: the last axis has stride 1.
 *
 * @example
 * ```ts
 * strides([2, 3, 4]) // [12, 4, 1]
 * ```
 *
 * @category shapes
 */
export const strides = (shape: Shape): number[] => {
  const s = new Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc
    acc *= shape[i]!
  }
  return s
}

/**
 * Whether two shapes are equal, axis by axis.
 *
 * @example
 * ```ts
 * shapeEquals([2, 3], [2, 3]) // true
 * shapeEquals([2, 3], [3, 2]) // false
 * ```
 *
 * @category shapes
 */
export const shapeEquals = (a: Shape, b: Shape): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Whether every dimension is a non-negative safe integer (so `[2, 0]` is valid, `[-1]` and
 * `[1.5]` are not).
 *
 * @example
 * ```ts
 * isValidShape([2, 0, 3]) // true
 * isValidShape([2, -1]) // false
 * ```
 *
 * @category shapes
 */
export const isValidShape = (shape: Shape): boolean =>
  Array.isArray(shape) && shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)

/**
 * Throws a `ShapeError` naming `op` unless every dimension of `shape` is a non-negative integer.
 *
 * @example
 * ```ts
 * assertValidShape('zeros', [2, 3]) // ok
 * assertValidShape('zeros', [2, -3]) // throws ShapeError
 * ```
 *
 * @category shapes
 */
export const assertValidShape = (op: string, shape: Shape): void => {
  if (!isValidShape(shape))
    throw new ShapeError(op, 'every dimension must be a non-negative integer', [shape])
}

/**
 * The broadcast shape of two shapes under NumPy's rules (align on the right; each pair of
 * dimensions must be equal or one of them 1), or `undefined` if they do not broadcast.
 *
 * @example
 * ```ts
 * broadcastShapes([2, 1, 3], [4, 1]) // [2, 4, 3]
 * broadcastShapes([3], [4]) // undefined
 * ```
 *
 * @category shapes
 */
export const broadcastShapes = (a: Shape, b: Shape): Shape | undefined => {
  const n = Math.max(a.length, b.length)
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)]!
    const db = i < n - b.length ? 1 : b[i - (n - b.length)]!
    if (da === db || db === 1) out[i] = da
    else if (da === 1) out[i] = db
    else return undefined
  }
  return out
}

/**
 * Like {@link broadcastShapes} but throws a `ShapeError` naming `op` and all shapes when they
 * do not broadcast. Accepts any number of shapes.
 *
 * @example
 * ```ts
 * broadcastShapesOrThrow('add', [[2, 3], [3]]) // [2, 3]
 * broadcastShapesOrThrow('add', [[3], [4]]) // throws ShapeError
 * ```
 *
 * @category shapes
 */
export const broadcastShapesOrThrow = (op: string, shapes: readonly Shape[]): Shape => {
  let out: Shape | undefined = []
  for (const s of shapes) {
    out = broadcastShapes(out, s)
    if (out === undefined)
      throw new ShapeError(op, 'shapes must broadcast (NumPy rules: equal dimensions or 1)', shapes)
  }
  return out
}

/**
 * Whether `from` broadcasts to exactly `to` (so `to` is the broadcast of `from` and `to`).
 *
 * @example
 * ```ts
 * broadcastsTo([3], [2, 3]) // true
 * broadcastsTo([2, 3], [3]) // false
 * ```
 *
 * @category shapes
 */
export const broadcastsTo = (from: Shape, to: Shape): boolean => {
  if (from.length > to.length) return false
  const off = to.length - from.length
  for (let i = 0; i < from.length; i++) if (from[i] !== 1 && from[i] !== to[i + off]) return false
  return true
}

/**
 * Normalises a possibly negative axis (`-1` is the last) against a rank, throwing a `ShapeError`
 * naming `op` when it is out of range or not an integer.
 *
 * @example
 * ```ts
 * normaliseAxis('sum', -1, [2, 3]) // 1
 * ```
 *
 * @category shapes
 */
export const normaliseAxis = (op: string, axis: number, shape: Shape): number => {
  const r = shape.length
  if (!Number.isInteger(axis) || axis < -r || axis >= r)
    throw new ShapeError(op, `axis ${axis} must be an integer in [${-r}, ${r - 1}]`, [shape])
  return axis < 0 ? axis + r : axis
}

/**
 * The strides, in the source's elements, with which a tensor of shape `from` is read when it is
 * broadcast to `to`: broadcast axes (size 1 in `from`, or missing) get stride 0. Assumes
 * `broadcastsTo(from, to)`.
 *
 * @example
 * ```ts
 * broadcastStrides([3], [2, 3]) // [0, 1]
 * broadcastStrides([2, 1], [2, 3]) // [1, 0]
 * ```
 *
 * @category shapes
 */
export const broadcastStrides = (from: Shape, to: Shape): number[] => {
  const s = strides(from)
  const off = to.length - from.length
  const out = new Array<number>(to.length).fill(0)
  for (let i = 0; i < from.length; i++) out[i + off] = from[i] === 1 && to[i + off] !== 1 ? 0 : s[i]!
  return out
}

/**
 * Formats a shape as `[2, 3]`, for messages.
 *
 * @example
 * ```ts
 * showShape([2, 3]) // '[2, 3]'
 * ```
 *
 * @category shapes
 */
export const showShape = (shape: Shape): string => `[${shape.join(', ')}]`
