/**
 * Differentiable functions as values.
 *
 * A `Diff<A, B>` carries a function together with both of its derivatives: forward mode pushes a
 * tangent through it (`jvp`, a dual-number pair), reverse mode returns the value and a pullback
 * that maps an output cotangent back to an input cotangent (`vjp`). The combinators below build
 * bigger `Diff`s from smaller ones, and each of them is the chain rule for both modes at once, so a
 * model assembled from primitives is differentiable by construction.
 *
 * `A` and `B` are numbers, tensors or trees of them (see {@link Tree}). Nothing here mutates its
 * arguments; every `Diff` built here is frozen.
 *
 * @packageDocumentation
 */
import type { Category2 } from 'fp-ts/lib/Category.js'
import type { Semigroupoid2 } from 'fp-ts/lib/Semigroupoid.js'
import * as T from './Tree.js'
import type { Tree } from './Tree.js'

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

const identity = make<unknown, unknown>({
  apply: (a) => a,
  jvp: (a, da) => [a, da],
  vjp: (a) => [a, (db) => db],
})

/**
 * The identity: value, tangent and cotangent pass through unchanged.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * Diff.id<number>().vjp(5)[1](7) // 7
 * ```
 *
 * @category constructors
 */
export const id = <A>(): Diff<A, A> => identity as Diff<A, A>

/**
 * The constant function `_ => b`: its tangent is zero and its pullback returns zeros shaped like
 * the input.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const c = Diff.const_<readonly [number, number], number>(4)
 * c.vjp([1, 2])[1](1) // [0, 0]
 * ```
 *
 * @category constructors
 */
export const const_ = <A extends Tree, B extends Tree>(b: B): Diff<A, B> => {
  const db = T.zeros(b)
  return make({
    apply: () => b,
    jvp: () => [b, db],
    vjp: (a) => [b, () => T.zeros(a)],
  })
}

// ---------------------------------------------------------------------------------------------
// Composition

/**
 * `g ∘ f`: first `f`, then `g`. The chain rule in both modes: the tangent goes through `f`'s JVP
 * then `g`'s (evaluated at `f(a)`), the cotangent through `g`'s pullback then `f`'s.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const double = Diff.linear<number, number>((x) => 2 * x, (c) => 2 * c)
 * const square = Diff.make<number, number>({
 *   apply: (x) => x * x,
 *   jvp: (x, dx) => [x * x, 2 * x * dx],
 *   vjp: (x) => [x * x, (dy) => 2 * x * dy],
 * })
 * Diff.compose(square, double).jvp(3, 1) // [36, 24]: (2x)^2 and its derivative 8x at 3
 * ```
 *
 * @category composition
 */
export const compose = <B, C, A>(g: Diff<B, C>, f: Diff<A, B>): Diff<A, C> =>
  make({
    apply: (a) => g.apply(f.apply(a)),
    jvp: (a, da) => {
      const [b, db] = f.jvp(a, da)
      return g.jvp(b, db)
    },
    vjp: (a) => {
      const [b, pf] = f.vjp(a)
      const [c, pg] = g.vjp(b)
      return [c, (dc) => pf(pg(dc))]
    },
  })

/**
 * Composes `Diff`s left to right, like fp-ts `flow`: `flow(f, g, h)` is `h ∘ g ∘ f`, the order
 * in which the data goes through them. Typed for up to nine stages; `flow(f)` is `f`.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const double = Diff.linear<number, number>((x) => 2 * x, (c) => 2 * c)
 * Diff.flow(double, double, double).vjp(1)[1](1) // 8
 * ```
 *
 * @category composition
 */
export function flow<A, B>(ab: Diff<A, B>): Diff<A, B>
export function flow<A, B, C>(ab: Diff<A, B>, bc: Diff<B, C>): Diff<A, C>
export function flow<A, B, C, D>(ab: Diff<A, B>, bc: Diff<B, C>, cd: Diff<C, D>): Diff<A, D>
export function flow<A, B, C, D, E>(ab: Diff<A, B>, bc: Diff<B, C>, cd: Diff<C, D>, de: Diff<D, E>): Diff<A, E>
export function flow<A, B, C, D, E, F>(
  ab: Diff<A, B>,
  bc: Diff<B, C>,
  cd: Diff<C, D>,
  de: Diff<D, E>,
  ef: Diff<E, F>,
): Diff<A, F>
export function flow<A, B, C, D, E, F, G>(
  ab: Diff<A, B>,
  bc: Diff<B, C>,
  cd: Diff<C, D>,
  de: Diff<D, E>,
  ef: Diff<E, F>,
  fg: Diff<F, G>,
): Diff<A, G>
export function flow<A, B, C, D, E, F, G, H>(
  ab: Diff<A, B>,
  bc: Diff<B, C>,
  cd: Diff<C, D>,
  de: Diff<D, E>,
  ef: Diff<E, F>,
  fg: Diff<F, G>,
  gh: Diff<G, H>,
): Diff<A, H>
export function flow<A, B, C, D, E, F, G, H, I>(
  ab: Diff<A, B>,
  bc: Diff<B, C>,
  cd: Diff<C, D>,
  de: Diff<D, E>,
  ef: Diff<E, F>,
  fg: Diff<F, G>,
  gh: Diff<G, H>,
  hi: Diff<H, I>,
): Diff<A, I>
export function flow<A, B, C, D, E, F, G, H, I, J>(
  ab: Diff<A, B>,
  bc: Diff<B, C>,
  cd: Diff<C, D>,
  de: Diff<D, E>,
  ef: Diff<E, F>,
  fg: Diff<F, G>,
  gh: Diff<G, H>,
  hi: Diff<H, I>,
  ij: Diff<I, J>,
): Diff<A, J>
export function flow(...ds: readonly [Diff<unknown, unknown>, ...Diff<unknown, unknown>[]]): Diff<unknown, unknown> {
  let acc = ds[0]
  for (let i = 1; i < ds.length; i++) acc = compose(ds[i]!, acc)
  return acc
}

// ---------------------------------------------------------------------------------------------
// Products

/**
 * Runs `f` and `g` on the same input: `a => [f(a), g(a)]`. The input is shared, so in reverse
 * mode its cotangent is the SUM of the cotangents from both branches (the pullback of a copy).
 *
 * @throws ShapeError (from the pullback) if the two branches return input cotangents of
 *   different structures.
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const both = Diff.fanout(Diff.id<number>(), Diff.id<number>())
 * both.vjp(3)[1]([1, 10]) // 11
 * ```
 *
 * @category products
 */
export const fanout = <A extends Tree, B, C>(f: Diff<A, B>, g: Diff<A, C>): Diff<A, readonly [B, C]> =>
  make<A, readonly [B, C]>({
    apply: (a) => [f.apply(a), g.apply(a)],
    jvp: (a, da) => {
      const [b, db] = f.jvp(a, da)
      const [c, dc] = g.jvp(a, da)
      return [
        [b, c],
        [db, dc],
      ]
    },
    vjp: (a) => {
      const [b, pf] = f.vjp(a)
      const [c, pg] = g.vjp(a)
      return [[b, c], ([db, dc]) => T.add(pf(db), pg(dc))]
    },
  })

/**
 * Runs `f` on the first and `g` on the second component of a pair: `[a, c] => [f(a), g(c)]`.
 * Tangents and cotangents go through each side independently.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const double = Diff.linear<number, number>((x) => 2 * x, (c) => 2 * c)
 * Diff.parallel(double, Diff.id<number>()).jvp([1, 1], [1, 1]) // [[2, 1], [2, 1]]
 * ```
 *
 * @category products
 */
export const parallel = <A, B, C, D>(f: Diff<A, B>, g: Diff<C, D>): Diff<readonly [A, C], readonly [B, D]> =>
  make<readonly [A, C], readonly [B, D]>({
    apply: ([a, c]) => [f.apply(a), g.apply(c)],
    jvp: ([a, c], [da, dc]) => {
      const [b, db] = f.jvp(a, da)
      const [d, dd] = g.jvp(c, dc)
      return [
        [b, d],
        [db, dd],
      ]
    },
    vjp: ([a, c]) => {
      const [b, pf] = f.vjp(a)
      const [d, pg] = g.vjp(c)
      return [[b, d], ([db, dd]) => [pf(db), pg(dd)]]
    },
  })

/**
 * `f` on the first component of a pair, the second passing through: `parallel(f, id())`.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const double = Diff.linear<number, number>((x) => 2 * x, (c) => 2 * c)
 * Diff.first<number, number, string>(double).apply([1, 'label']) // [2, 'label']
 * ```
 *
 * @category products
 */
export const first = <A, B, C>(f: Diff<A, B>): Diff<readonly [A, C], readonly [B, C]> => parallel(f, id<C>())

/**
 * `f` on the second component of a pair, the first passing through: `parallel(id(), f)`.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const double = Diff.linear<number, number>((x) => 2 * x, (c) => 2 * c)
 * Diff.second<number, number, number>(double).apply([1, 1]) // [1, 2]
 * ```
 *
 * @category products
 */
export const second = <A, B, C>(f: Diff<A, B>): Diff<readonly [C, A], readonly [C, B]> => parallel(id<C>(), f)

/**
 * The projection `[a, b] => a`. Its pullback puts the cotangent in the first slot and zeros
 * shaped like `b` in the second.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * Diff.fst<number, number>().vjp([1, 2])[1](5) // [5, 0]
 * ```
 *
 * @category products
 */
export const fst = <A, B extends Tree>(): Diff<readonly [A, B], A> =>
  make({
    apply: ([a]) => a,
    jvp: ([a], [da]) => [a, da],
    vjp: ([a, b]) => [a, (da) => [da, T.zeros(b)]],
  })

/**
 * The projection `[a, b] => b`. Its pullback puts zeros shaped like `a` in the first slot and
 * the cotangent in the second.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * Diff.snd<number, number>().vjp([1, 2])[1](5) // [0, 5]
 * ```
 *
 * @category products
 */
export const snd = <A extends Tree, B>(): Diff<readonly [A, B], B> =>
  make({
    apply: ([, b]) => b,
    jvp: ([, b], [, db]) => [b, db],
    vjp: ([a, b]) => [b, (db) => [T.zeros(a), db]],
  })

/**
 * The copy `a => [a, a]`, `fanout(id(), id())`: its pullback sums the two cotangents.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * Diff.dup<number>().vjp(1)[1]([2, 3]) // 5
 * ```
 *
 * @category products
 */
export const dup = <A extends Tree>(): Diff<A, readonly [A, A]> => fanout(id<A>(), id<A>())

// ---------------------------------------------------------------------------------------------
// Instances

/**
 * The URI under which `Diff` is registered in fp-ts's higher-kinded type table.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * Diff.URI // 'autodiff-ts/Diff'
 * ```
 *
 * @category instances
 */
export const URI = 'autodiff-ts/Diff'

/**
 * The type of {@link URI}.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const uri: Diff.URI = 'autodiff-ts/Diff'
 * uri === Diff.URI // true
 * ```
 *
 * @category instances
 */
export type URI = typeof URI

declare module 'fp-ts/HKT.js' {
  interface URItoKind2<E, A> {
    readonly [URI]: Diff<E, A>
  }
}

/**
 * The fp-ts `Semigroupoid` instance: {@link compose}.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * Diff.Semigroupoid.compose(Diff.id<number>(), Diff.id<number>()).apply(1) // 1
 * ```
 *
 * @category instances
 */
export const Semigroupoid: Semigroupoid2<URI> = { URI, compose }

/**
 * The fp-ts `Category` instance: {@link compose} and {@link id}. Its laws (identity and
 * associativity, on values and on both derivatives) are checked by `categoryLaws` in
 * `autodiff-ts/laws`.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 *
 * const f = Diff.linear<number, number>((x) => 2 * x, (c) => 2 * c)
 * Diff.Category.compose(Diff.Category.id<number>(), f).apply(3) // 6
 * ```
 *
 * @category instances
 */
export const Category: Category2<URI> = { URI, compose, id }
