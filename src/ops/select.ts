/**
 * `where(cond)`: elementwise selection between two differentiable tensors, with a NaN-safe
 * derivative.
 *
 * @packageDocumentation
 */
import type { Shape, Tensor } from '../Tensor.js'
import { wrap, zeros } from '../Tensor.js'
import { broadcastShapesOrThrow } from '../kernels/shape.js'
import type { BinaryOp } from './Primitive.js'
import { binary } from './Primitive.js'
import { select } from './tensorMath.js'

const ZERO: Tensor = wrap([], Float64Array.of(0))

/**
 * `cond ? x : y` elementwise, as `jnp.where(cond, x, y)`: `cond` is a constant tensor (non-zero
 * is true, NaN included), and `cond`, `x`, `y` broadcast together. The derivative is selection,
 * not multiplication by a mask: the branch not taken receives exactly 0 (never `0 * NaN` or
 * `0 * Infinity`), in the JVP and in the pullback. Gradients through `where` are therefore finite
 * wherever the taken branch's are, provided the branch not taken does not itself produce NaN in
 * its own derivative (compute it on safe inputs, JAX's "double where").
 *
 * @throws ShapeError naming `where` and the shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, tensor, zeros } from 'autodiff-ts'
 *
 * const safe = ops.where(tensor([0, 1]))
 * safe.apply([ops.sqrt.apply(tensor([-1, 4])), zeros([2])]) // [0, 2]
 * // the branch not taken gets exactly 0, even where it holds NaN or Infinity
 * safe.vjp([tensor([NaN, 1]), tensor([1, Infinity])])[1](tensor([1, 1])) // [[0, 1], [1, 0]]
 * ```
 * @category selection
 */
export const where = (cond: Tensor): BinaryOp => {
  const outShape = (x: Tensor, y: Tensor): Shape => broadcastShapesOrThrow('where', [cond.shape, x.shape, y.shape])
  return binary({
    name: 'where',
    value: (x, y) => {
      outShape(x, y)
      return select(cond, x, y)
    },
    jvps: [(_x, _y, out, dx) => select(cond, dx, zeros(out.shape)), (_x, _y, out, dy) => select(cond, zeros(out.shape), dy)],
    jvp: (_x, _y, _out, dx, dy) => select(cond, dx, dy),
    pullbacks: [(_x, _y, _out, g) => select(cond, g, ZERO), (_x, _y, _out, g) => select(cond, ZERO, g)],
    conventions: [
      { at: 'the branch not taken', rule: 'receives exactly 0, by selection, even where its value or cotangent is NaN or infinite' },
      { at: 'cond is NaN', rule: 'counts as true (non-zero)' },
    ],
  })
}
