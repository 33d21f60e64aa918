/**
 * The laws of composition: the chain rule in both modes, and the category laws (identity and
 * associativity) on values and on both derivatives. Each takes the `compose` (and `id`) under
 * test as an option, defaulting to the library's, so a broken implementation can be shown to fail.
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import { compose as composeDiff, id as idDiff } from '../src/Diff.js'
import type { Diff } from '../src/Diff.js'
import type { Tree } from '../src/Tree.js'
import { like } from './arbitraries-tensor.js'
import type { ValueOptions } from './arbitraries-tensor.js'
import { compareVectors, guard, runLaw, showPoint, vectorLike } from './law-runner.js'
import type { LawResult } from './law-runner.js'
import type { DiffLawOptions } from './tensor.js'
import { DEFAULT_DIRECTION, need, shapedLike } from './tensor-points.js'

/**
 * The names of the composition laws, as they appear in `LawFailure.law`.
 *
 * @example
 * ```ts
 * import { ComposeLawNames } from 'autodiff-ts/laws'
 *
 * ComposeLawNames.leftIdentity // 'category law, left identity: id ∘ f = f'
 * ```
 *
 * @category model
 */
export const ComposeLawNames = {
  /** The law chainValue. */
  chainValue: 'chain rule (value): compose(g, f)(x) = g(f(x))',
  /** The law chainForward. */
  chainForward: 'chain rule (forward mode): jvp(g ∘ f)(x, t) = jvp(g)(f(x), jvp(f)(x, t))',
  /** The law chainReverse. */
  chainReverse: 'chain rule (reverse mode): vjp(g ∘ f)(x)(c) = vjp(f)(x)(vjp(g)(f(x))(c))',
  /** The law leftIdentity. */
  leftIdentity: 'category law, left identity: id ∘ f = f',
  /** The law rightIdentity. */
  rightIdentity: 'category law, right identity: f ∘ id = f',
  /** The law associativity. */
  associativity: 'category law, associativity: h ∘ (g ∘ f) = (h ∘ g) ∘ f',
} as const

/**
 * The `compose` of a category of `Diff`s, as an argument so a broken one can be tested.
 *
 * @example
 * ```ts
 * import { Diff, ops } from 'autodiff-ts'
 * import { chainRuleLaw, tensor, type ComposeFn } from 'autodiff-ts/laws'
 *
 * // a compose whose apply forgets g: the chain rule law catches it
 * const broken: ComposeFn = (g, f) => Diff.make({ ...Diff.compose(g, f), apply: (a) => f.apply(a) as never })
 * chainRuleLaw(ops.exp, ops.sigmoid, { arbitrary: tensor(), compose: broken })._tag // 'Left'
 * ```
 *
 * @category model
 */
export type ComposeFn = <B, C, A>(g: Diff<B, C>, f: Diff<A, B>) => Diff<A, C>

/**
 * The options of {@link chainRuleLaw} and {@link categoryLaws}.
 *
 * @example
 * ```ts
 * import { ops, type Tensor } from 'autodiff-ts'
 * import { categoryLaws, tensor, type ComposeLawOptions } from 'autodiff-ts/laws'
 *
 * const options: ComposeLawOptions<Tensor> = { arbitrary: tensor({ min: -3, max: 3 }), numRuns: 50 }
 * categoryLaws(ops.sigmoid, ops.exp, ops.sum(), options)._tag // 'Right'
 * ```
 *
 * @category model
 */
export interface ComposeLawOptions<A> extends DiffLawOptions<A> {
  /** The composition under test; default the library's `compose`. */
  readonly compose?: ComposeFn
  /** The identity under test (category laws only); default the library's `id`. */
  readonly id?: <X>() => Diff<X, X>
}

interface Point<A> {
  readonly x: A
  readonly t: A
  readonly cs: readonly (Tree | undefined)[]
}

/** Inputs, tangents, and one cotangent shaped like each of `outputs(x)` (undefined if it throws). */
const points = <A extends Tree>(
  arbitrary: Arbitrary<A>,
  outputs: readonly ((x: A) => unknown)[],
  direction: ValueOptions = DEFAULT_DIRECTION,
): Arbitrary<Point<A>> =>
  arbitrary.chain((x) =>
    fc.record({
      x: fc.constant(x),
      t: like(x, direction),
      cs: fc.tuple(...outputs.map((out) => shapedLike(() => out(x) as Tree, direction))),
    }),
  )

/**
 * Compares what two `Diff`s (or a `Diff` and its manual equivalent) give at one point: the value,
 * the tangent and the input cotangent, each under its own law name.
 */
const agree = (
  laws: { readonly value: string; readonly forward: string; readonly reverse: string },
  input: string,
  rtol: number,
  atol: number,
  x: unknown,
  c: Tree,
  expected: { readonly apply: () => unknown; readonly jvp: () => unknown; readonly pullback: () => unknown },
  actual: { readonly apply: () => unknown; readonly jvp: () => unknown; readonly pullback: () => unknown },
): void => {
  const tol = { rtol, atol }
  const side = (law: string, what: string, like: unknown, e: () => unknown, a: () => unknown): void => {
    const ev = vectorLike(law, input, `${what} (expected)`, like, guard(law, input, `${what} (expected)`, e))
    const av = vectorLike(law, input, what, like, guard(law, input, what, a))
    compareVectors(law, input, what, ev, av, tol)
  }
  side(laws.value, 'the value', c, expected.apply, actual.apply)
  side(laws.forward, 'the tangent', c, expected.jvp, actual.jvp)
  side(laws.reverse, 'the input cotangent', x, expected.pullback, actual.pullback)
}

const sides = <A, B>(d: Diff<A, B>, x: A, t: A, c: B) => ({
  apply: () => d.apply(x),
  jvp: () => d.jvp(x, t)[1],
  pullback: () => d.vjp(x)[1](c),
})

/**
 * The chain rule in both modes: `compose(g, f)` agrees with composing by hand, on the value
 * (`g(f(x))`), the tangent (`g`'s JVP at `f(x)` applied to `f`'s tangent) and the input cotangent
 * (`f`'s pullback of `g`'s pullback, `g` taken at `f(x)`), to `identityRtol` (default `1e-9`)
 * plus `atol`. Finite differences of the composite are {@link finiteDifferenceLaw}'s business.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { chainRuleLaw, tensor } from 'autodiff-ts/laws'
 *
 * chainRuleLaw(ops.exp, ops.sigmoid, { arbitrary: tensor() })._tag // 'Right': exp ∘ sigmoid
 * ```
 *
 * @category laws
 */
export const chainRuleLaw = <A extends Tree, B extends Tree, C extends Tree>(
  g: Diff<B, C>,
  f: Diff<A, B>,
  options: ComposeLawOptions<A>,
): LawResult => {
  const compose = options.compose ?? composeDiff
  const rtol = options.identityRtol ?? 1e-9
  const atol = options.atol ?? 1e-9
  const N = ComposeLawNames
  return runLaw(
    'chain rule',
    points(options.arbitrary, [(x) => g.apply(f.apply(x))], options.direction),
    ({ x, t, cs }) => {
      const input = showPoint({ x, t, c: cs[0] })
      const c = need(N.chainValue, input, 'g(f(x))', cs[0], () => g.apply(f.apply(x))) as C
      const h = guard(N.chainValue, input, 'compose(g, f)', () => compose(g, f))
      agree(
        { value: N.chainValue, forward: N.chainForward, reverse: N.chainReverse },
        input,
        rtol,
        atol,
        x,
        c,
        {
          apply: () => g.apply(f.apply(x)),
          jvp: () => {
            const [b, db] = f.jvp(x, t)
            return g.jvp(b, db)[1]
          },
          pullback: () => f.vjp(x)[1](g.vjp(f.apply(x))[1](c)),
        },
        sides(h, x, t, c),
      )
    },
    options,
  )
}

/**
 * The category laws of `compose` and `id`, on values, tangents and input cotangents:
 * `id ∘ f = f`, `f ∘ id = f` and `h ∘ (g ∘ f) = (h ∘ g) ∘ f`, to `identityRtol` plus `atol`.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { categoryLaws, tensor } from 'autodiff-ts/laws'
 *
 * categoryLaws(ops.sigmoid, ops.exp, ops.sum(), { arbitrary: tensor({ min: -3, max: 3 }) })._tag // 'Right'
 * ```
 *
 * @category laws
 */
export const categoryLaws = <A extends Tree, B extends Tree, C extends Tree, D extends Tree>(
  f: Diff<A, B>,
  g: Diff<B, C>,
  h: Diff<C, D>,
  options: ComposeLawOptions<A>,
): LawResult => {
  const compose = options.compose ?? composeDiff
  const id = options.id ?? idDiff
  const rtol = options.identityRtol ?? 1e-9
  const atol = options.atol ?? 1e-9
  const N = ComposeLawNames
  return runLaw(
    'category laws',
    points(options.arbitrary, [(x) => f.apply(x), (x) => h.apply(g.apply(f.apply(x)))], options.direction),
    ({ x, t, cs }) => {
      const input = showPoint({ x, t, c: cs[0], cd: cs[1] })
      const cb = need(N.leftIdentity, input, 'f(x)', cs[0], () => f.apply(x)) as B
      const cd = need(N.associativity, input, 'h(g(f(x)))', cs[1], () => h.apply(g.apply(f.apply(x)))) as D
      const same = (law: string) => ({ value: law, forward: law, reverse: law })
      agree(same(N.leftIdentity), input, rtol, atol, x, cb, sides(f, x, t, cb), sides(compose(id<B>(), f), x, t, cb))
      agree(same(N.rightIdentity), input, rtol, atol, x, cb, sides(f, x, t, cb), sides(compose(f, id<A>()), x, t, cb))
      agree(
        same(N.associativity),
        input,
        rtol,
        atol,
        x,
        cd,
        sides(compose(h, compose(g, f)), x, t, cd),
        sides(compose(compose(h, g), f), x, t, cd),
      )
    },
    options,
  )
}
