/**
 * The category of `Diff`s: the identity, constants, composition (`compose` right to left, `flow`
 * left to right) and the fp-ts instances.
 *
 * @packageDocumentation
 */
import type { Category2 } from 'fp-ts/lib/Category.js'
import type { Semigroupoid2 } from 'fp-ts/lib/Semigroupoid.js'
import * as T from '../Tree.js'
import type { Tree } from '../Tree.js'
import { make, type Diff } from './core.js'
import { isTensor, wrap } from '../Tensor.js'

/**
 * The value with every tensor in it copied (through arrays and plain records), so that what the
 * identity returns shares no memory with what it was given; other values are returned as they are.
 */
const fresh = (a: unknown): unknown => {
  if (typeof a !== 'object' || a === null) return a
  if (isTensor(a)) return wrap(a.shape, a.data.slice())
  if (Array.isArray(a)) return Object.isFrozen(a) ? Object.freeze(a.map(fresh)) : a.map(fresh)
  const proto = Object.getPrototypeOf(a)
  if (proto !== Object.prototype && proto !== null) return a
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(a)) Object.defineProperty(out, k, { value: fresh((a as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true })
  return Object.isFrozen(a) ? Object.freeze(out) : out
}

const identity = make<unknown, unknown>({
  apply: fresh,
  jvp: (a, da) => [fresh(a), fresh(da)],
  vjp: (a) => [fresh(a), fresh],
})

/**
 * The identity: value, tangent and cotangent pass through unchanged, as copies: what it returns
 * shares no memory with what it was given (tensors are copied, through arrays and records).
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
