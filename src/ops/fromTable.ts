/**
 * `ops` primitives made from the rule table (`Program.prims`): each one's value, JVP and pullback
 * are its table entry's, evaluated with the plain algebra (or run by the entry's fused kernels,
 * which the law kit checks against them), and its conventions are the entry's. Nothing here is a
 * rule of its own: this module only adapts the table's shape of rule to `ops`' declarations.
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { plain } from '../program/plain.js'
import type { Prim } from '../program/types.js'
import type { BinaryOp, UnaryOp } from './Primitive.js'
import { binary, unary } from './Primitive.js'

/**
 * A table entry's rules on plain tensors: its fused kernels where it has them, else its generic
 * rules evaluated with `Program.plain`.
 *
 * @example
 * ```ts
 * import { ops, Program, tensor } from 'autodiff-ts'
 *
 * const { vjp } = ops.plainRules(Program.prims.exp)
 * vjp([tensor([0])], tensor([1]), tensor([2]), undefined, [true])[0] // [2]
 * ```
 * @category constructors
 */
export interface PlainRules<P> {
  /** The output tangent (`undefined` for a constant argument). */
  readonly jvp: (args: readonly Tensor[], out: Tensor, tangents: readonly (Tensor | undefined)[], params: P) => Tensor
  /** Each wanted argument's cotangent, at its shape. */
  readonly vjp: (args: readonly Tensor[], out: Tensor, g: Tensor, params: P, wanted: readonly boolean[]) => readonly (Tensor | undefined)[]
}

/**
 * The rules of a table entry on plain tensors ({@link PlainRules}).
 *
 * @example
 * ```ts
 * import { ops, Program, tensor } from 'autodiff-ts'
 *
 * ops.plainRules(Program.prims.mul).vjp([tensor([2]), tensor([5])], tensor([10]), tensor([1]), undefined, [true, true]) // [[5], [2]]
 * ```
 * @category constructors
 */
export const plainRules = <P>(prim: Prim<P>): PlainRules<P> => ({
  jvp: prim.fused?.jvp ?? ((args, out, ts, p) => prim.jvp(plain, args, out, ts, p)),
  vjp: prim.fused?.vjp ?? ((args, out, g, p, wanted) => prim.vjp(plain, args, out, g, p, wanted)),
})

/**
 * The `ops` primitive of a one-argument table entry: its value, JVP and pullback are the entry's
 * on plain tensors, its conventions the entry's; `paramsOf` gives the entry's parameters for an
 * input (checked and normalised; it throws a `ShapeError` before any arithmetic).
 *
 * @example
 * ```ts
 * import { ops, Program, tensor } from 'autodiff-ts'
 *
 * const triple = ops.fromUnaryPrim(Program.prims.scale, () => 3)
 * triple.vjp(tensor([1, 2]))[1](tensor([1, 1])) // [3, 3]
 * ```
 * @category constructors
 */
export const fromUnaryPrim = <P>(prim: Prim<P>, paramsOf: (x: Tensor) => P): UnaryOp => {
  const { jvp, vjp } = plainRules(prim)
  return unary({
    name: prim.name,
    value: (x) => own(prim.value([x], paramsOf(x)), x),
    jvp: (x, y, dx) => own(jvp([x], y, [dx], paramsOf(x)), dx, x),
    pullback: (x, y, g) => own(vjp([x], y, g, paramsOf(x), [true])[0]!, g, x),
    conventions: prim.conventions ?? [],
  })
}

/**
 * `t`, or a copy of it where a rule handed back one of its inputs (an identity: a reshape, a
 * broadcast or a transpose that changes nothing), so that no result shares memory with another
 * value.
 */
const own = (t: Tensor, ...inputs: readonly Tensor[]): Tensor => (inputs.includes(t) ? wrap(t.shape, t.data.slice()) : t)

const FIRST = [true, false] as const
const SECOND = [false, true] as const

/**
 * The `ops` primitive of a two-argument table entry (broadcasting arithmetic, `where`): one JVP
 * and one pullback per argument, each the entry's rule with only that argument varying, so that
 * `bindLeft`/`bindRight` compute only the cotangent they need.
 *
 * @example
 * ```ts
 * import { ops, Program, tensor } from 'autodiff-ts'
 *
 * const times = ops.fromBinaryPrim(Program.prims.mul, undefined)
 * times.vjp([tensor([2]), tensor([5])])[1](tensor([1])) // [[5], [2]]
 * ```
 * @category constructors
 */
export const fromBinaryPrim = <P>(prim: Prim<P>, params: P): BinaryOp => {
  const { jvp, vjp } = plainRules(prim)
  return binary({
    name: prim.name,
    value: (a, b) => prim.value([a, b], params),
    jvps: [(a, b, out, da) => jvp([a, b], out, [da, undefined], params), (a, b, out, db) => jvp([a, b], out, [undefined, db], params)],
    jvp: (a, b, out, da, db) => jvp([a, b], out, [da, db], params),
    pullbacks: [(a, b, out, g) => vjp([a, b], out, g, params, FIRST)[0]!, (a, b, out, g) => vjp([a, b], out, g, params, SECOND)[1]!],
    conventions: prim.conventions ?? [],
  })
}
