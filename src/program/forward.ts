/**
 * Forward mode over any instance of the tensor algebra: a value is a tensor dual number, a primal
 * and a tangent (absent for a constant) of the base instance, tagged with the one call it belongs
 * to. `bind` applies the primitive to the primals and its JVP rule, run in the base instance, to
 * the tangents; so forward mode over reverse mode (or over forward mode) nests.
 *
 * @packageDocumentation
 */
import { algebra } from './algebra.js'
import { lookThrough, tagged } from './tagged.js'
import type { Algebra, Core } from './types.js'

/**
 * A tensor dual number of forward mode over a base instance whose values are `T`.
 *
 * @example
 * ```ts
 * import { Program, tensor, type Tensor } from 'autodiff-ts'
 *
 * const [D, make] = Program.forward(Program.plain)
 * const x: Program.TensorDual<Tensor> = make(tensor([1, 2]), tensor([1, 0]))
 * D.mul(x, x).tangent // [2, 0]
 * ```
 * @category model
 */
export interface TensorDual<T> {
  /** Which call of forward mode the value belongs to. */
  readonly mode: string
  /** The tag of that call. */
  readonly tag: object
  /** The value. */
  readonly primal: T
  /** The directional derivative; `undefined` for a constant. */
  readonly tangent: T | undefined
}

let calls = 0

/**
 * A fresh forward-mode instance over `base` (one per call of `jvp`: values of another call are
 * refused with a `TypeError`), with the constructor of its dual numbers.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const [D, make] = Program.forward(Program.plain)
 * const y = D.exp(make(tensor([0]), tensor([3])))
 * y.tangent // [3]
 * ```
 * @category instances
 */
export const forward = <T>(base: Algebra<T>): readonly [Algebra<TensorDual<T>>, (primal: T, tangent: T | undefined) => TensorDual<T>] => {
  const tag = {}
  const mode = `forward-mode call ${++calls}`
  const make = (primal: T, tangent: T | undefined): TensorDual<T> => Object.freeze({ mode, tag, primal, tangent })
  const { is, check } = tagged<TensorDual<T>>(tag, mode)
  const core: Core<TensorDual<T>> = {
    ...lookThrough(base, mode, (op, i, x) => check(op, i, x).primal, (t) => make(t, undefined), is),
    bind: (prim, args, params) => {
      const xs = args.map((a, i) => check(prim.name, i, a))
      const primals = xs.map((x) => x.primal)
      const out = base.bind(prim, primals, params)
      const tangents = xs.map((x) => x.tangent)
      return make(out, tangents.some((t) => t !== undefined) ? prim.jvp(base, primals, out, tangents, params) : undefined)
    },
  }
  return [algebra(core), make]
}
