/**
 * Linear algebra primitives: `matmul` of two matrices and `dot` of two vectors. The pullback of
 * `matmul` uses the transposed kernels (`g Bᵀ` and `Aᵀ g`), which run as fast as the plain one.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { matmulNN, matmulNT, matmulTN } from '../kernels/matmul.js'
import type { BinaryOp } from './Primitive.js'
import { binary } from './Primitive.js'
import { plus, times } from './tensorMath.js'

const mm = (a: Tensor, b: Tensor): Tensor => {
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[0])
    throw new ShapeError('matmul', 'two matrices [m, k] and [k, n] (inner dimensions must agree)', [a.shape, b.shape])
  const [m, k] = a.shape as [number, number]
  const n = b.shape[1]!
  return wrap([m, n], matmulNN(a.data, b.data, m, k, n))
}

/** `g Bᵀ`: g is [m, n], b is [k, n]. */
const mmNT = (g: Tensor, b: Tensor): Tensor => {
  const [m, n] = g.shape as [number, number]
  const k = b.shape[0]!
  return wrap([m, k], matmulNT(g.data, b.data, m, n, k))
}

/** `Aᵀ g`: a is [m, k], g is [m, n]. */
const mmTN = (a: Tensor, g: Tensor): Tensor => {
  const [m, k] = a.shape as [number, number]
  const n = g.shape[1]!
  return wrap([k, n], matmulTN(a.data, g.data, k, m, n))
}

/**
 * The matrix product `A B` of `[m, k]` by `[k, n]`. Pullback: `g Bᵀ` to `A` and `Aᵀ g` to `B`;
 * with the data fixed as a constant (`bindLeft(matmul, x)`) only the weight gradient `xᵀ g` is
 * computed.
 *
 * @throws ShapeError naming `matmul` and both shapes unless both are matrices with equal inner
 *   dimensions.
 * @example
 * ```ts
 * import { ops, tensor, zeros } from 'autodiff-ts'
 *
 * ops.matmul.apply([tensor([[1, 2]]), tensor([[3], [4]])]) // [[11]]
 * ops.matmul.apply([zeros([2, 3]), zeros([4, 5])]) // throws ShapeError: matmul ... [2, 3] and [4, 5]
 * ```
 * @category linear algebra
 */
export const matmul: BinaryOp = binary({
  name: 'matmul',
  value: mm,
  jvps: [(_a, b, _out, da) => mm(da, b), (a, _b, _out, db) => mm(a, db)],
  jvp: (a, b, _out, da, db) => plus(mm(da, b), mm(a, db)),
  pullbacks: [(_a, b, _out, g) => mmNT(g, b), (a, _b, _out, g) => mmTN(a, g)],
  conventions: [],
})

const vdot = (a: Tensor, b: Tensor): Tensor => {
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.shape[0] !== b.shape[0])
    throw new ShapeError('dot', 'two vectors of the same length', [a.shape, b.shape])
  const x = a.data
  const y = b.data
  let s0 = 0
  let s1 = 0
  let i = 0
  for (; i + 1 < x.length; i += 2) {
    s0 += x[i]! * y[i]!
    s1 += x[i + 1]! * y[i + 1]!
  }
  if (i < x.length) s0 += x[i]! * y[i]!
  return wrap([], Float64Array.of(s0 + s1))
}

/**
 * The inner product of two vectors of the same length, a scalar tensor (shape `[]`). Pullback:
 * `g b` to `a` and `g a` to `b`.
 *
 * @throws ShapeError naming `dot` and both shapes unless both are vectors of one length.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.dot.apply([tensor([1, 2, 3]), tensor([4, 5, 6])]) // 32
 * ```
 * @category linear algebra
 */
export const dot: BinaryOp = binary({
  name: 'dot',
  value: vdot,
  jvps: [(_a, b, _out, da) => vdot(da, b), (a, _b, _out, db) => vdot(a, db)],
  jvp: (a, b, _out, da, db) => wrap([], Float64Array.of(vdot(da, b).data[0]! + vdot(a, db).data[0]!)),
  pullbacks: [(_a, b, _out, g) => times(g, b), (a, _b, _out, g) => times(g, a)],
  conventions: [],
})

