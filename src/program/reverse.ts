/**
 * Reverse mode over any instance of the tensor algebra, on a tape local to one call: `bind`
 * applies the primitive in the base instance and records it; the backward sweep is one loop over
 * the tape calling each primitive's pullback rule in the base instance, so reverse mode over
 * forward mode (exact Hessian-vector products) or over reverse mode nests.
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { algebra } from './algebra.js'
import { ownership } from './owned.js'
import { plain } from './plain.js'
import { lookThrough, tagged } from './tagged.js'
import type { Algebra, Core, Prim } from './types.js'

type Pullback<T> = (node: Node<T>, g: T, wanted: readonly boolean[]) => readonly (T | undefined)[]

/**
 * A primitive's pullback in `base`: its rule, or over the plain algebra its fused kernel where it
 * has one (the same numbers in one pass; the law kit's `checkFused` checks the two agree).
 */
const pullbackIn = <T>(base: Algebra<T>): Pullback<T> => {
  const generic: Pullback<T> = (n, g, wanted) => n.prim.vjp(base, n.args, n.out, g, n.params, wanted)
  if ((base as unknown) !== plain) return generic
  return (n, g, wanted) => {
    const fused = n.prim.fused?.vjp
    if (fused === undefined) return generic(n, g, wanted)
    return fused(n.args as unknown as readonly Tensor[], n.out as unknown as Tensor, g as unknown as Tensor, n.params, wanted) as unknown as readonly (T | undefined)[]
  }
}

/**
 * A value on a reverse-mode tape over a base instance whose values are `T`.
 *
 * @example
 * ```ts
 * import { Program, tensor, type Tensor } from 'autodiff-ts'
 *
 * const tape = Program.reverse(Program.plain)
 * const x: Program.TapeValue<Tensor> = tape.variable(tensor([3]))
 * tape.backward(tape.algebra.square(x), tensor([1]))[0] // [6]
 * ```
 * @category model
 */
export interface TapeValue<T> {
  /** Which call of reverse mode the value belongs to. */
  readonly mode: string
  /** The tape of that call. */
  readonly tag: object
  /** Its position on the tape (-1 for a constant). */
  readonly index: number
  /** The value. */
  readonly value: T
}

/**
 * A reverse-mode tape over a base instance: its algebra, a constructor of variables, and the
 * backward sweep.
 *
 * @example
 * ```ts
 * import { Program, tensor, type Tensor } from 'autodiff-ts'
 *
 * const tape: Program.Tape<Tensor> = Program.reverse(Program.plain)
 * const x = tape.variable(tensor([1, 2]))
 * tape.backward(tape.algebra.sum(tape.algebra.exp(x)), tensor(1))[0] // [Math.E, Math.exp(2)]
 * ```
 * @category model
 */
export interface Tape<T> {
  /** The algebra whose values are recorded on this tape. */
  readonly algebra: Algebra<TapeValue<T>>
  /** A new input variable. */
  readonly variable: (x: T) => TapeValue<T>
  /** A value of the base lifted as a constant (no cotangent is computed for it). */
  readonly constant: (x: T) => TapeValue<T>
  /**
   * The values the tape holds for its backward sweep (the arguments and outputs of the recorded
   * primitives, each once): what reverse mode costs in memory, and what `checkpoint` saves.
   */
  readonly held: () => readonly T[]
  /**
   * The cotangents of the variables (in the order they were made; `undefined` where `y` does not
   * depend on one) for the output cotangent `g`. The tape is closed afterwards: its values are
   * refused by later calls.
   */
  readonly backward: (y: TapeValue<T>, g: T) => readonly (T | undefined)[]
}

interface Node<T> {
  readonly prim: Prim<unknown>
  readonly params: unknown
  readonly args: readonly T[]
  readonly out: T
  readonly inputs: readonly number[]
}

let calls = 0

/**
 * A fresh reverse-mode tape over `base` (one per call of `grad`, `vjp`, ...).
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const { algebra: R, variable, backward } = Program.reverse(Program.plain)
 * const w = variable(tensor([[1], [2]]))
 * backward(R.sum(R.matmul(R.constant(tensor([[3, 4]])), w)), tensor(1))[0] // [[3], [4]]
 * ```
 * @category instances
 */
export const reverse = <T>(base: Algebra<T>): Tape<T> => sweeping(base).tape

/**
 * A tape (as {@link reverse}) and what its backward sweep owned (over the plain algebra only; see
 * `owned.ts`): whether it made a variable's cotangent `t` and holds it nowhere else (memory that a
 * caller who never hands it out may write over: `Program.trainStep`'s update), and the arrays of
 * cotangents it owned and spent without passing them on (no one holds them once it is over).
 *
 * @internal
 */
export const sweeping = <T>(base: Algebra<T>): { readonly tape: Tape<T>; readonly owns: (t: T) => boolean; readonly spent: () => readonly Float64Array[] } => {
  const tape = {}
  let owned: ReadonlySet<unknown> | undefined
  let spent: readonly Float64Array[] = []
  const mode = `reverse-mode call ${++calls}`
  let nodes: (Node<T> | undefined)[] = []
  const vars: number[] = []
  let closed = false
  const make = (value: T, index: number): TapeValue<T> => Object.freeze({ mode, tag: tape, index, value })
  const pullback = pullbackIn(base)
  const tagging = tagged<TapeValue<T>>(tape, mode)
  const is = tagging.is
  const check = (op: string, i: number, u: unknown): TapeValue<T> => {
    tagging.check(op, i, u)
    if (closed) throw new TypeError(`${op}: argument ${i} is a value of ${mode}, which has finished; a value cannot be carried from one call to another`)
    return u as TapeValue<T>
  }
  const core: Core<TapeValue<T>> = {
    ...lookThrough(base, mode, (op, i, x) => check(op, i, x).value, (t) => make(t, -1), is),
    bind: (prim, args, params) => {
      const xs = args.map((a, i) => check(prim.name, i, a))
      const values = xs.map((x) => x.value)
      const out = base.bind(prim, values, params)
      const inputs = xs.map((x) => x.index)
      if (inputs.every((i) => i < 0)) return make(out, -1)
      nodes.push({ prim: prim as Prim<unknown>, params, args: values, out, inputs })
      return make(out, nodes.length - 1)
    },
  }
  const A = algebra(core)
  const variable = (x: T): TapeValue<T> => {
    if (closed) throw new TypeError(`variable: ${mode} has finished`)
    nodes.push(undefined)
    vars.push(nodes.length - 1)
    return make(x, nodes.length - 1)
  }
  const backward = (y: TapeValue<T>, g: T): readonly (T | undefined)[] => {
    check('backward', 0, y)
    closed = true
    const cots: (T | undefined)[] = new Array(nodes.length)
    if (y.index >= 0) cots[y.index] = g
    // over the plain algebra, the sweep writes over the cotangents it owns (see owned.ts)
    const owner = (base as unknown) === plain ? ownership(held() as unknown as readonly Tensor[], g as unknown as Tensor) : undefined
    const add = (a: T, b: T): T => base.add(a, b)
    for (let i = y.index; i >= 0; i--) {
      const node = nodes[i]
      const gi = cots[i]
      if (node === undefined || gi === undefined) continue
      cots[i] = undefined
      nodes[i] = undefined // freed as the sweep passes: the peak is the forward pass, not twice it
      const wanted = node.inputs.map((j) => j >= 0)
      const gs = pullback(node, gi, wanted)
      owner?.claim(node.prim, gi as unknown as Tensor, gs as unknown as readonly (Tensor | undefined)[])
      node.inputs.forEach((j, k) => {
        const c = gs[k]
        if (j < 0 || c === undefined) return
        const prev = cots[j]
        cots[j] = prev === undefined ? c : owner === undefined ? add(prev, c) : (owner.accumulate(prev as unknown as Tensor, c as unknown as Tensor, add as unknown as (a: Tensor, b: Tensor) => Tensor) as unknown as T)
      })
    }
    const out = vars.map((i) => cots[i])
    if (owner !== undefined) {
      owned = new Set(out.filter((c) => c !== undefined && owner.owns(c as unknown as Tensor)))
      spent = owner.spent()
    }
    nodes = []
    return out
  }
  const held = (): readonly T[] => {
    const seen = new Set<T>()
    for (const n of nodes) if (n !== undefined) for (const v of [...n.args, n.out]) seen.add(v)
    return [...seen]
  }
  return {
    tape: { algebra: A, variable, constant: (x) => make(x, -1), held, backward },
    owns: (t) => owned?.has(t) ?? false,
    spent: () => spent,
  }
}
