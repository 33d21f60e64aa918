/**
 * Linear algebra primitives: `matmul` of two matrices and `dot` of two vectors, both the rule
 * table's matmul entry. The pullback uses the transposed kernels (`g Bᵀ` and `Aᵀ g`), which run
 * as fast as the plain one.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Tensor } from '../Tensor.js'
import { plain } from '../program/plain.js'
import type { TapeValue } from '../program/reverse.js'
import { reverse } from '../program/reverse.js'
import { prims } from '../program/table.js'
import type { BinaryOp } from './Primitive.js'
import { binary } from './Primitive.js'

/** The matrix product by the program's matmul primitive (batch axes broadcast), vectors by NumPy's rules. */
const numpy = (a: Tensor, b: Tensor): Tensor => {
  if (a.shape.length === 0 || b.shape.length === 0)
    throw new ShapeError('matmul', 'arguments of rank at least 1 ([..., m, k] and [..., k, n], or vectors)', [a.shape, b.shape])
  return a.shape.length > 1 && b.shape.length > 1 ? prims.matmul.value([a, b], { ta: false, tb: false }) : plain.matmul(a, b)
}

/** One argument's cotangent by the primitive's pullback rule (a vector argument through a tape). */
const argCotangent = (a: Tensor, b: Tensor, out: Tensor, g: Tensor, i: 0 | 1): Tensor => {
  const wanted = [i === 0, i === 1]
  if (a.shape.length > 1 && b.shape.length > 1) return prims.matmul.vjp(plain, [a, b], out, g, { ta: false, tb: false }, wanted)[i]!
  const tape = reverse(plain)
  const [x, y] = [a, b].map((t, j) => (wanted[j] ? tape.variable(t) : tape.constant(t))) as [TapeValue<Tensor>, TapeValue<Tensor>]
  return tape.backward(tape.algebra.matmul(x, y), g)[0]!
}

/**
 * A matrix product whose value, JVPs and pullbacks are the matmul primitive's (by NumPy's rules),
 * for arguments `check` accepts (it throws a `ShapeError` before any arithmetic).
 */
const matmulOp = (name: string, check: (a: Tensor, b: Tensor) => void): BinaryOp =>
  binary({
    name,
    value: (a, b) => {
      check(a, b)
      return numpy(a, b)
    },
    jvps: [(_a, b, _out, da) => numpy(da, b), (a, _b, _out, db) => numpy(a, db)],
    pullbacks: [(a, b, out, g) => argCotangent(a, b, out, g, 0), (a, b, out, g) => argCotangent(a, b, out, g, 1)],
    conventions: [],
  })

/**
 * The matrix product with NumPy's rules: `[..., m, k]` by `[..., k, n]` with the leading (batch)
 * axes broadcast, as multi-head attention needs, and vectors promoted and their axis dropped
 * again. Its rules are the tensor algebra's matmul primitive (`Program.prims.matmul`), written
 * once: the JVP `dA B + A dB`, the pullback `g Bᵀ` to `A` and `Aᵀ g` to `B` by the transposed
 * kernels, batch axes summed back where they were broadcast; with the data fixed as a constant
 * (`bindLeft(matmul, x)`) only the weight gradient `xᵀ g` is computed.
 *
 * @throws ShapeError naming `matmul` and both shapes unless the inner extents agree and the batch
 *   axes broadcast.
 * @example
 * ```ts
 * import { ops, tensor, zeros } from 'autodiff-ts'
 *
 * ops.matmul.apply([tensor([[1, 2]]), tensor([[3], [4]])]) // [[11]]
 * ops.matmul.apply([zeros([2, 3, 4]), zeros([4, 5])]).shape // [2, 3, 5]
 * ops.matmul.apply([tensor([1, 2]), tensor([[3], [4]])]) // [11]
 * ops.matmul.apply([zeros([2, 3]), zeros([4, 5])]) // throws ShapeError: matmul ... [2, 3] and [4, 5]
 * ```
 * @category linear algebra
 */
export const matmul: BinaryOp = matmulOp('matmul', () => undefined)

/**
 * The inner product of two vectors of the same length, a scalar tensor (shape `[]`): {@link matmul}
 * of two vectors, so its rules are the table's matmul entry's. Pullback: `g b` to `a` and `g a`
 * to `b`.
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
export const dot: BinaryOp = matmulOp('dot', (a, b) => {
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.shape[0] !== b.shape[0])
    throw new ShapeError('dot', 'two vectors of the same length', [a.shape, b.shape])
})

