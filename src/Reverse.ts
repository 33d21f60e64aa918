/**
 * Scalar reverse mode: gradients of generic scalar functions.
 *
 * Each call evaluates the function once on a tape that lives only for that call, then sweeps it
 * backwards in one loop, so a chain of millions of operations needs no recursion (see
 * `reverse/tape.ts`). Nothing survives the call: calling twice gives the same answer twice.
 *
 * Variables know their call (tagged tapes):
 *
 * - a function may return a constant (a number, or `F.of(c)`): its value, and a zero gradient;
 * - a function that returns anything else that is not a variable of its call is a TypeError
 *   naming what came back;
 * - a variable used after its call has ended is an Error saying so;
 * - gradients nest: a gradient call made inside another one's function may use the enclosing
 *   call's variables (in plain JS), and its results are then the enclosing call's values, so the
 *   outer gradient differentiates through the inner one exactly:
 *   `d/dx (x * d/dy (x * y)) = 2x`. Such a call runs its function a second time, on a tape whose
 *   values are the enclosing call's (see `reverse/nested.ts`).
 *
 * @packageDocumentation
 */
import { getFloating } from './Dual.js'
import type { Floating, MultiFn, VectorFn } from './Floating.js'
import { describe, innermost, NestSignal, NestedVar, TapeVar } from './reverse/calls.js'
import { nestedResult, nestedSweep, withNested } from './reverse/nested.js'
import { F, resultNode, sweep, withTape } from './reverse/tape.js'

export type { Var } from './reverse/calls.js'

/** One gradient call, as the public functions see it, whichever tape it runs on. */
interface Session {
  /** The instance handed to the function. */
  readonly F: Floating<unknown>
  /** The input variables. */
  readonly vars: readonly unknown[]
  /** The node of a result, or `undefined` for a constant; refuses anything else, naming `where`. */
  readonly node: (where: string, y: unknown) => number | undefined
  /** The value of a result. */
  readonly value: (y: unknown) => number
  /** The cotangents of the inputs, seeded with `seeds[i]` at `outs[i]`. */
  readonly grads: (outs: readonly number[], seeds: readonly number[]) => number[]
}

/**
 * Run `body` as one gradient call on the inputs `xs`: on the flat tape, or, if the function
 * meets a variable of an enclosing call, again on a tape nested in that call. `keep` keeps the
 * flat tape for a pullback called later.
 */
const run = <R>(xs: readonly number[], body: (s: Session) => R, keep = false): R => {
  try {
    return withTape(
      xs,
      (vars, tape) =>
        body({
          F: F as Floating<unknown>,
          vars,
          node: resultNode,
          value: (y) => (y instanceof TapeVar ? y.v : (y as number)),
          grads: (outs, seeds) => {
            const g = sweep(tape, outs, seeds)
            return vars.map((v) => g[v.i] ?? 0)
          },
        }),
      keep,
    )
  } catch (e) {
    if (!(e instanceof NestSignal)) throw e
    return withNested(innermost()!, xs, (G, vars, t) =>
      body({
        F: G as Floating<unknown>,
        vars,
        node: (where, y) => nestedResult(t, where, y),
        value: (y) => (y instanceof NestedVar ? y.v : y) as number,
        grads: (outs, seeds) => {
          const g = nestedSweep(t, outs, seeds)
          return vars.map((v) => (g[v.i] ?? 0) as number)
        },
      }),
    )
  }
}

/** The results of a `VectorFn`, checked to be an array. */
const results = (where: string, ys: unknown): readonly unknown[] => {
  if (!Array.isArray(ys)) throw new TypeError(`${where}: expected f to return an array of results, found ${describe(ys)}`)
  return ys
}

/**
 * The value `f(xs)` and its gradient, by reverse mode: one forward evaluation on a fresh tape
 * and one backward sweep. A variable used many times receives the sum of its cotangents.
 *
 * @example
 * ```ts
 * import { Reverse, type MultiFn } from 'autodiff-ts'
 *
 * // the lecture's example: z = t^2 with t = x + y, so dz/dx = dz/dy = 2(x + y)
 * const z: MultiFn = (F) => ([x = F.zero, y = F.zero]) => {
 *   const t = F.add(x, y)
 *   return F.mul(t, t)
 * }
 * Reverse.valueAndGrad(z)([1, 2]) // [9, [6, 6]]
 * ```
 *
 * @category reverse mode
 */
export const valueAndGrad =
  (f: MultiFn) =>
  (xs: readonly number[]): readonly [number, number[]] =>
    run(xs, (s) => {
      const y: unknown = f(s.F)(s.vars)
      const o = s.node('Reverse.valueAndGrad, the result of f', y)
      return [s.value(y), o === undefined ? xs.map(() => 0) : s.grads([o], [1])] as const
    })

/**
 * Reverse mode for a function of several variables to several: the values `ys = f(xs)` and the
 * pullback, which maps a cotangent `cs` of the outputs (one entry per output) to `cs J(xs)`, one
 * entry per input. The forward evaluation runs once; each call of the pullback is one backward
 * sweep over the kept tape, and it may be called any number of times.
 *
 * @throws RangeError (from the pullback) if `cs` does not have one entry per output.
 * @example
 * ```ts
 * import { Reverse, type VectorFn } from 'autodiff-ts'
 *
 * const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y)]
 * const [ys, pullback] = Reverse.vjp(f)([2, 3]) // ys = [6, 5]
 * pullback([1, 10]) // [3 + 10, 2 + 10] = [13, 12]
 * ```
 *
 * @category reverse mode
 */
export const vjp =
  (f: VectorFn) =>
  (xs: readonly number[]): readonly [number[], (cs: readonly number[]) => number[]] =>
    run(
      xs,
      (s) => {
        const ys = results('Reverse.vjp', f(s.F)(s.vars))
        const nodes = ys.map((y, k) => s.node(`Reverse.vjp, result ${k} of f`, y))
        const pullback = (cs: readonly number[]): number[] => {
          if (ys.length !== cs.length)
            throw new RangeError(`vjp: expected one cotangent per output (${ys.length}), got ${cs.length}`)
          const outs: number[] = []
          const seeds: number[] = []
          nodes.forEach((o, k) => {
            if (o !== undefined) {
              outs.push(o)
              seeds.push(cs[k]!)
            }
          })
          return s.grads(outs, seeds)
        }
        return [ys.map(s.value), pullback] as const
      },
      true,
    )

/**
 * The gradient `∇f(xs)` by reverse mode. A function of no variables has the empty gradient.
 *
 * @example
 * ```ts
 * import { Reverse, type MultiFn } from 'autodiff-ts'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(x, F.sin(y))
 * Reverse.grad(f)([2, 0]) // [sin(0), 2 cos(0)] = [0, 2]
 * ```
 *
 * @category reverse mode
 */
export const grad =
  (f: MultiFn) =>
  (xs: readonly number[]): number[] =>
    valueAndGrad(f)(xs)[1]

/**
 * The Jacobian matrix `J[i][j] = d f_i / d x_j` by reverse mode: one forward evaluation and one
 * backward sweep per output, so the cheaper choice when there are fewer outputs than inputs
 * (otherwise see `Dual.jacfwd`).
 *
 * @example
 * ```ts
 * import { Reverse, type VectorFn } from 'autodiff-ts'
 *
 * const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y)]
 * Reverse.jacrev(f)([2, 3]) // [[3, 2], [1, 1]]
 * ```
 *
 * @category reverse mode
 */
export const jacrev =
  (f: VectorFn) =>
  (xs: readonly number[]): number[][] =>
    run(xs, (s) =>
      results('Reverse.jacrev', f(s.F)(s.vars)).map((y, k) => {
        const o = s.node(`Reverse.jacrev, result ${k} of f`, y)
        return o === undefined ? xs.map(() => 0) : s.grads([o], [1])
      }),
    )

/**
 * The exact Hessian-vector product `∇²f(xs) v` of a generic scalar function, by reverse mode over
 * forward mode: the gradient of `x ↦ ∇f(x)·v`, where the inner directional derivative comes from
 * dual numbers. Costs a small multiple of one gradient; no Hessian is formed.
 *
 * @throws RangeError if `v` and `xs` differ in length.
 * @example
 * ```ts
 * import { Reverse, type MultiFn } from 'autodiff-ts'
 *
 * // f = x^2 y: H = [[2y, 2x], [2x, 0]]
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(F.mul(x, x), y)
 * Reverse.hvp(f)([1, 2], [1, 0]) // [4, 2]: the first column of H at (1, 2)
 * ```
 *
 * @category reverse mode
 */
export const hvp =
  (f: MultiFn) =>
  (xs: readonly number[], v: readonly number[]): number[] => {
    if (v.length !== xs.length)
      throw new RangeError(`hvp: expected a direction of length ${xs.length} (one entry per input), got ${v.length}`)
    return grad(<S>(F: Floating<S>) => (vs: readonly S[]) => {
      const D = getFloating(F)
      return f(D)(vs.map((re, i) => ({ re, eps: F.of(v[i]!) }))).eps
    })(xs)
  }

/**
 * The Hessian matrix of `f` at `xs`, by reverse mode over forward mode: column `j` is the
 * gradient of the directional derivative of `f` along the j-th unit vector.
 *
 * @example
 * ```ts
 * import { Reverse, type MultiFn } from 'autodiff-ts'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(F.mul(x, x), y)
 * Reverse.hessian(f)([1, 2]) // [[2y, 2x], [2x, 0]] = [[4, 2], [2, 0]]
 * ```
 *
 * @category reverse mode
 */
export const hessian =
  (f: MultiFn) =>
  (xs: readonly number[]): number[][] =>
    xs.map((_, j) =>
      grad(<A>(F: Floating<A>) => (vs: readonly A[]) => {
        const D = getFloating(F)
        return f(D)(vs.map((v, i) => ({ re: v, eps: i === j ? F.one : F.zero }))).eps
      })(xs),
    )
