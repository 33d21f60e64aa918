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
import type { Convention } from './convention.js'
import { plus } from './tensorMath.js'

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
 * One step of a chain of one-argument table entries ({@link fromUnaryChain}): an entry and its
 * parameters for the step's input.
 *
 * @example
 * ```ts
 * import { ops, Program } from 'autodiff-ts'
 *
 * const flatten: ops.ChainStep = ops.chainStep(Program.prims.reshape, (x) => [x.data.length])
 * ```
 * @category constructors
 */
export interface ChainStep {
  /** The step's value. */
  readonly value: (x: Tensor) => Tensor
  /** The step's output tangent, given its input, its output and the input's tangent. */
  readonly jvp: (x: Tensor, y: Tensor, dx: Tensor) => Tensor
  /** The step's input cotangent, given its input, its output and the output's cotangent. */
  readonly vjp: (x: Tensor, y: Tensor, g: Tensor) => Tensor
}

/**
 * A {@link ChainStep} from a one-argument table entry and its parameters for an input (checked
 * and normalised; it throws a `ShapeError` before any arithmetic).
 *
 * @example
 * ```ts
 * import { ops, Program, tensor } from 'autodiff-ts'
 *
 * ops.chainStep(Program.prims.scale, () => 3).vjp(tensor([1]), tensor([3]), tensor([1])) // [3]
 * ```
 * @category constructors
 */
export const chainStep = <P>(prim: Prim<P>, paramsOf: (x: Tensor) => P): ChainStep => {
  const { jvp, vjp } = plainRules(prim)
  return {
    value: (x) => prim.value([x], paramsOf(x)),
    jvp: (x, y, dx) => jvp([x], y, [dx], paramsOf(x)),
    vjp: (x, y, g) => vjp([x], y, g, paramsOf(x), [true])[0]!,
  }
}

/**
 * The `ops` primitive of a chain of one-argument table entries applied one after the other
 * (`index` is `slice` then `reshape`): its value, JVP and pullback are the entries' composed by
 * the chain rule, the inner values recomputed where a rule needs them.
 *
 * @example
 * ```ts
 * import { ops, Program, tensor } from 'autodiff-ts'
 *
 * const first = ops.fromUnaryChain('first', [
 *   ops.chainStep(Program.prims.slice, () => ({ axis: 0, start: 0, end: 1 })),
 *   ops.chainStep(Program.prims.reshape, () => []),
 * ])
 * first.vjp(tensor([5, 6]))[1](tensor(2)) // [2, 0]
 * ```
 * @category constructors
 */
export const fromUnaryChain = (name: string, steps: readonly ChainStep[], conventions: readonly Convention[] = []): UnaryOp => {
  // the input of every step, then the output y
  const inputs = (x: Tensor): Tensor[] => {
    const xs = [x]
    for (const s of steps.slice(0, -1)) xs.push(s.value(xs[xs.length - 1]!))
    return xs
  }
  return unary({
    name,
    value: (x) => own(steps.reduce((v, s) => s.value(v), x), x),
    jvp: (x, y, dx) => {
      const xs = inputs(x)
      return own(steps.reduce((t, s, i) => s.jvp(xs[i]!, xs[i + 1] ?? y, t), dx), dx, x)
    },
    pullback: (x, y, g) => {
      const xs = inputs(x)
      return own(steps.reduceRight((c, s, i) => s.vjp(xs[i]!, xs[i + 1] ?? y, c), g), g, x)
    },
    conventions,
  })
}

/**
 * The `ops` primitive of a one-argument table entry: its value, JVP and pullback are the entry's
 * on plain tensors, its conventions the entry's; `paramsOf` gives the entry's parameters for an
 * input (checked and normalised; it throws a `ShapeError` before any arithmetic). Where the entry's
 * fused kernels have `vjpOf` (sigmoid, tanh, relu), `vjp` runs it: the pullback keeps the
 * derivative computed with the value instead of computing it again.
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
  const op = fromUnaryChain(prim.name, [chainStep(prim, paramsOf)], prim.conventions)
  const vjpOf = prim.fused?.vjpOf
  // an entry whose fused pullback keeps what its forward pass computed (an activation's
  // derivative) gives ops' vjp in one pass
  return vjpOf === undefined ? op : unary({ ...op.declaration, vjp: (x) => vjpOf(x, paramsOf(x)) })
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

const BOTH = [true, true] as const

/**
 * The `ops` primitive of a two-argument table entry with its one input in both places (`square`
 * is `mul(x, x)`): the JVP is the entry's with the tangent in both places, the pullback the sum
 * of the entry's two cotangents (the input is used twice).
 *
 * @example
 * ```ts
 * import { ops, Program, tensor } from 'autodiff-ts'
 *
 * const sq = ops.fromDiagonalPrim(Program.prims.mul, undefined, 'square')
 * sq.vjp(tensor([3]))[1](tensor([1])) // [6]
 * ```
 * @category constructors
 */
export const fromDiagonalPrim = <P>(prim: Prim<P>, params: P, name: string): UnaryOp => {
  const { jvp, vjp } = plainRules(prim)
  return unary({
    name,
    value: (x) => prim.value([x, x], params),
    jvp: (x, y, dx) => jvp([x, x], y, [dx, dx], params),
    pullback: (x, y, g) => {
      const [ga, gb] = vjp([x, x], y, g, params, BOTH)
      return plus(ga!, gb!)
    },
    conventions: prim.conventions ?? [],
  })
}
