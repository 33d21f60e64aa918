/**
 * The `Diff` type, a function carrying both modes of differentiation, and the ways to declare
 * one: from its three parts, from its rules, or as a linear map and its transpose.
 *
 * @packageDocumentation
 */

/**
 * A differentiable function from `A` to `B`, carrying both modes of differentiation.
 *
 * Contract (checked by `checkDiff` in `autodiff-ts/laws`): `apply(a)`, `jvp(a, da)[0]` and
 * `vjp(a)[0]` are the same value; `jvp(a, ·)[1]` and the pullback are linear, and adjoint to
 * each other: `<jvp(a, t)[1], c> = <t, pullback(c)>`. Tangents have the structure of `A`,
 * cotangents the structure of `B`.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const square: Diff.Diff<number, number> = Diff.make<number, number>({
 *   apply: (x) => x * x,
 *   jvp: (x, dx) => [x * x, 2 * x * dx],
 *   vjp: (x) => [x * x, (dy) => 2 * x * dy],
 * })
 * square.vjp(3)[1](1) // 6
 * ```
 *
 * @category model
 */
export interface Diff<A, B> {
  /** The plain value `f(a)`. */
  readonly apply: (a: A) => B
  /** Forward mode: the value and the directional derivative in direction `da`. */
  readonly jvp: (a: A, da: A) => readonly [B, B]
  /** Reverse mode: the value and the pullback that maps an output cotangent to an input cotangent. */
  readonly vjp: (a: A) => readonly [B, (db: B) => A]
}

/**
 * The type of the input of a `Diff`.
 *
 * @example
 * ```ts
 * import { Diff, ops, tensor } from 'autodiff-ts'
 *
 * const x: Diff.InputOf<typeof ops.matmul> = [tensor([[1, 2]]), tensor([[3], [4]])]
 * ops.matmul.apply(x) // [[11]]
 * ```
 *
 * @category model
 */
export type InputOf<D> = D extends Diff<infer A, infer _B> ? A : never

/**
 * The type of the output of a `Diff`.
 *
 * @example
 * ```ts
 * import { Diff, ops, tensor } from 'autodiff-ts'
 *
 * const y: Diff.OutputOf<typeof ops.exp> = ops.exp.apply(tensor([0]))
 * y.data[0] // 1
 * ```
 *
 * @category model
 */
export type OutputOf<D> = D extends Diff<infer _A, infer B> ? B : never

// ---------------------------------------------------------------------------------------------
// Constructors

/**
 * A `Diff` from its three parts, frozen. The parts must agree (see {@link Diff}); run the result
 * through `checkDiff` from `autodiff-ts/laws` to make sure they do.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const square = Diff.make<number, number>({
 *   apply: (x) => x * x,
 *   jvp: (x, dx) => [x * x, 2 * x * dx],
 *   vjp: (x) => [x * x, (dy) => 2 * x * dy],
 * })
 * square.jvp(3, 1) // [9, 6]
 * ```
 *
 * @category constructors
 */
export const make = <A, B>(parts: Diff<A, B>): Diff<A, B> =>
  Object.freeze({ apply: parts.apply, jvp: parts.jvp, vjp: parts.vjp })

/**
 * The rules of a primitive, as ChainRules' `frule`/`rrule`: the value, and the two linear maps of
 * the derivative at a point. Both rules receive the input `a` and the already computed output
 * `b`, so that, for instance, `exp` can reuse its value.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const sin: Diff.Rules<number, number> = {
 *   value: Math.sin,
 *   jvp: (x, _y, dx) => Math.cos(x) * dx,
 *   pullback: (x, _y, dy) => Math.cos(x) * dy,
 * }
 * Diff.fromRules(sin).jvp(0, 2) // [0, 2]
 * ```
 *
 * @category model
 */
export interface Rules<A, B> {
  /** The value `f(a)`. */
  readonly value: (a: A) => B
  /** The pushforward: the directional derivative `Df(a) da`, given `b = f(a)`. */
  readonly jvp: (a: A, b: B, da: A) => B
  /** The pullback: the input cotangent `Df(a)ᵀ db`, given `b = f(a)`. */
  readonly pullback: (a: A, b: B, db: B) => A
}

/**
 * A `Diff` declared as a primitive: its value, its JVP and its pullback side by side. The value is
 * computed once per call of `jvp` or `vjp` and shared with the rule.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const exp = Diff.fromRules<number, number>({
 *   value: Math.exp,
 *   jvp: (_x, y, dx) => y * dx,
 *   pullback: (_x, y, dy) => y * dy,
 * })
 * exp.vjp(0)[1](2) // 2
 * ```
 *
 * @category constructors
 */
export const fromRules = <A, B>(rules: Rules<A, B>): Diff<A, B> => {
  const { value, jvp, pullback } = rules
  return make({
    apply: value,
    jvp: (a, da) => {
      const b = value(a)
      return [b, jvp(a, b, da)]
    },
    vjp: (a) => {
      const b = value(a)
      return [b, (db) => pullback(a, b, db)]
    },
  })
}

/**
 * A `Diff` from a plain linear function `f` and its transpose `fT`: its JVP is `f` itself and its
 * pullback `fT`. For structural maps (reshape, transpose, selecting or copying parts of a tree).
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const triple = Diff.linear<number, number>((x) => 3 * x, (c) => 3 * c)
 * triple.jvp(2, 1) // [6, 3]
 * ```
 *
 * @category constructors
 */
export const linear = <A, B>(f: (a: A) => B, fT: (b: B) => A): Diff<A, B> =>
  make({
    apply: f,
    jvp: (a, da) => [f(a), f(da)],
    vjp: (a) => [f(a), fT],
  })
