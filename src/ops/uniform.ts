/**
 * Uniform tensors: every element the same value, with the data made only if someone reads it.
 *
 * The pullback of a full reduction (`sum()`, `mean()`) is the cotangent broadcast back to the
 * input's shape: a tensor of one repeated value. Made eagerly it costs an allocation and a pass
 * as large as the input, usually only for the next pullback to multiply by it. So the reductions
 * return a uniform tensor instead, which carries its value; the elementwise pullbacks and the
 * broadcasting arithmetic of `tensorMath` read that one value, and anyone else who reads `data`
 * gets an ordinary `Float64Array`, filled on first access and kept. It is the same idea as
 * ChainRules' symbolic zero tangents, with the value kept and the type unchanged.
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array, Shape, Tensor } from '../Tensor.js'
import { assertValidShape, shapeSize } from '../kernels/shape.js'

const VALUE: unique symbol = Symbol('autodiff-ts/uniform')

interface Uniform extends Tensor {
  readonly [VALUE]: number
}

/**
 * A tensor of shape `shape` with every element equal to `value`, whose `data` is allocated and
 * filled only when first read.
 *
 * @throws ShapeError if a dimension is negative or fractional.
 * @example
 * ```ts
 * const g = uniform([2, 2], 3)
 * uniformValue(g) // 3
 * Array.from(g.data) // [3, 3, 3, 3]
 * ```
 * @category constructors
 */
export const uniform = (shape: Shape, value: number): Tensor => {
  assertValidShape('uniform', shape)
  const n = shapeSize(shape)
  let data: Float64Array | undefined
  const t = {
    shape: Object.freeze(shape.slice()),
    get data(): ReadonlyFloat64Array {
      if (data === undefined) {
        data = new Float64Array(n)
        if (!Object.is(value, 0) && n > 0) data.fill(value)
      }
      return data
    },
  }
  // not enumerable: the tensor compares, prints and serialises like any other
  Object.defineProperty(t, VALUE, { value, enumerable: false })
  return Object.freeze(t as Uniform)
}

/**
 * The repeated value of a tensor made by {@link uniform}, or `undefined` for any other tensor
 * (which may still happen to hold equal values: this is a promise, not a test).
 *
 * @example
 * ```ts
 * uniformValue(uniform([3], 1)) // 1
 * ```
 * @category accessors
 */
export const uniformValue = (t: Tensor): number | undefined => (t as Partial<Uniform>)[VALUE]
