/**
 * Products of `Diff`s: running two on one input (`fanout`, sharing it), side by side
 * (`parallel`, `first`, `second`), and the projections and copy (`fst`, `snd`, `dup`).
 *
 * @packageDocumentation
 */
import * as T from '../Tree.js'
import type { Tree } from '../Tree.js'
import { id } from './compose.js'
import { make, type Diff } from './core.js'

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
