/**
 * The laws of one differentiable function, for ours and for a user's own primitives: its three
 * parts agree, forward and reverse mode are adjoint (the dot-product test), both agree with
 * central finite differences, and pullback and JVP are linear. {@link checkDiff} runs them all
 * in one call.
 *
 * @packageDocumentation
 */
import { isLeft, right } from 'fp-ts/lib/Either.js'
import type { Either } from 'fp-ts/lib/Either.js'
import type { Diff } from '../src/Diff.js'
import { wrap } from '../src/Tensor.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import { need } from './tensor-points.js'
import { absProducts, diffSample, dotV, maxAbs, sameVector, sumOf, tolerances, vec } from './tensor-sample.js'
import type { DiffLawOptions } from './tensor-sample.js'
import {
  assertFinite,
  compareNumbers,
  compareVectors,
  guard,
  LawError,
  LawViolation,
  runLaw,
  showPoint,
  vectorLike,
} from './law-runner.js'
import type { LawFailure, LawPass, LawResult } from './law-runner.js'

export { diffSample } from './tensor-sample.js'
export type { DiffLawOptions, DiffSample } from './tensor-sample.js'

/**
 * The names of the laws, as they appear in {@link LawFailure}.law.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { dotProductLaw, LawNames, tensor } from 'autodiff-ts/laws'
 *
 * const r = dotProductLaw(ops.exp, { arbitrary: tensor() })
 * r._tag === 'Right' && r.right.law === LawNames.dotProduct // true
 * ```
 *
 * @category model
 */
export const LawNames = {
  /** The law consistency. */
  consistency: 'consistency: apply(x), jvp(x, t)[0] and vjp(x)[0] agree, results are finite and shaped right, inputs untouched',
  /** The law finiteDifferences. */
  finiteDifferences: 'finite differences agree with both modes',
  /** The law linearity. */
  linearity: 'linearity of the pullback and of the jvp',
  /** The law dotProduct. */
  dotProduct: 'dot-product test: <jvp(x, t), c> = <t, vjp(x)(c)>',
  /** The law fdForward. */
  fdForward: 'finite differences (forward mode): jvp(x, t) = (f(x + h t) - f(x - h t)) / 2h',
  /** The law fdReverse. */
  fdReverse: 'finite differences (reverse mode): <t, vjp(x)(c)> = <c, (f(x + h t) - f(x - h t)) / 2h>',
  /** The law pullbackZero. */
  pullbackZero: 'pullback linearity: vjp(x)(0) = 0',
  /** The law pullbackAdditive. */
  pullbackAdditive: 'pullback linearity: vjp(x)(a + b) = vjp(x)(a) + vjp(x)(b)',
  /** The law pullbackHomogeneous. */
  pullbackHomogeneous: 'pullback linearity: vjp(x)(k a) = k vjp(x)(a)',
  /** The law jvpZero. */
  jvpZero: 'jvp linearity: jvp(x, 0) = 0',
  /** The law jvpAdditive. */
  jvpAdditive: 'jvp linearity: jvp(x, s + t) = jvp(x, s) + jvp(x, t)',
  /** The law jvpHomogeneous. */
  jvpHomogeneous: 'jvp linearity: jvp(x, k t) = k jvp(x, t)',
} as const

// ---------------------------------------------------------------------------------------------
// The laws

/**
 * Consistency of the three parts of `d` at each sampled point: `apply(x)`, `jvp(x, t)[0]` and
 * `vjp(x)[0]` are the same value; that value, the tangent and the input cotangent are finite and
 * have the structures of the output, the output and the input; calling the pullback twice gives
 * the same answer; and none of `x`, `t`, `c` has changed afterwards (nothing writes into its
 * arguments). A throw anywhere is a failure naming the call.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { consistencyLaw, tensor } from 'autodiff-ts/laws'
 *
 * consistencyLaw(ops.exp, { arbitrary: tensor() })._tag // 'Right'
 * ```
 *
 * @category laws
 */
export const consistencyLaw = <A extends Tree, B extends Tree>(d: Diff<A, B>, options: DiffLawOptions<A>): LawResult => {
  const law = LawNames.consistency
  const tol = tolerances(options)
  return runLaw(
    law,
    diffSample(d, options.arbitrary, options.direction),
    (s) => {
      const input = showPoint({ x: s.x, t: s.t, c: s.c })
      const c = need(law, input, 'f.apply', s.c, () => d.apply(s.x))
      const before = [vec(s.x), vec(s.t), vec(c)]
      const y = guard(law, input, 'f.apply', () => d.apply(s.x))
      assertFinite(law, input, 'apply(x)', y)
      const yv = vectorLike(law, input, 'apply(x)', c, y)
      const [yj, dy] = guard(law, input, 'f.jvp', () => d.jvp(s.x, s.t))
      compareVectors(law, input, 'jvp(x, t)[0] against apply(x)', yv, vectorLike(law, input, 'jvp(x, t)[0]', y, yj), {
        rtol: tol.identityRtol,
        atol: 0,
      })
      vectorLike(law, input, 'the tangent jvp(x, t)[1]', y, dy)
      assertFinite(law, input, 'the tangent jvp(x, t)[1]', dy)
      const [yr, pb] = guard(law, input, 'f.vjp', () => d.vjp(s.x))
      compareVectors(law, input, 'vjp(x)[0] against apply(x)', yv, vectorLike(law, input, 'vjp(x)[0]', y, yr), {
        rtol: tol.identityRtol,
        atol: 0,
      })
      const g1 = guard(law, input, 'the pullback', () => pb(c))
      const g1v = vectorLike(law, input, 'the input cotangent vjp(x)(c)', s.x, g1)
      assertFinite(law, input, 'the input cotangent vjp(x)(c)', g1)
      const g2 = vec(guard(law, input, 'the pullback (called again)', () => pb(c)))
      if (!sameVector(g1v, g2))
        throw new LawViolation(law, input, 'the pullback gave a different answer when called a second time')
      const after = [vec(s.x), vec(s.t), vec(c)]
      ;(['x', 't', 'c'] as const).forEach((name, i) => {
        if (!sameVector(before[i]!, after[i]!))
          throw new LawViolation(law, input, `${name} was modified by a call of f (nothing may write into its arguments)`)
      })
    },
    options,
  )
}

/**
 * The dot-product test: forward and reverse mode are adjoint,
 * `<jvp(x, t)[1], c> = <t, vjp(x)[1](c)>`, to `identityRtol` of the sum of the magnitudes of the
 * terms (plus `atol`).
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { dotProductLaw, tensor } from 'autodiff-ts/laws'
 *
 * dotProductLaw(ops.sigmoid, { arbitrary: tensor() })._tag // 'Right'
 * ```
 *
 * @category laws
 */
export const dotProductLaw = <A extends Tree, B extends Tree>(d: Diff<A, B>, options: DiffLawOptions<A>): LawResult => {
  const law = LawNames.dotProduct
  const tol = tolerances(options)
  return runLaw(
    law,
    diffSample(d, options.arbitrary, options.direction),
    (s) => {
      const input = showPoint({ x: s.x, t: s.t, c: s.c })
      const c = need(law, input, 'f.apply', s.c, () => d.apply(s.x))
      const cv = vec(c)
      const tv = vec(s.t)
      const [, dy] = guard(law, input, 'f.jvp', () => d.jvp(s.x, s.t))
      const dyv = vectorLike(law, input, 'the tangent jvp(x, t)[1]', c, dy)
      const [, pb] = guard(law, input, 'f.vjp', () => d.vjp(s.x))
      const gv = vectorLike(law, input, 'the input cotangent vjp(x)(c)', s.x, guard(law, input, 'the pullback', () => pb(c)))
      const scale = Math.max(sumOf(absProducts(dyv, cv)), sumOf(absProducts(tv, gv)))
      compareNumbers(law, input, '<t, vjp(x)(c)> against <jvp(x, t), c>', dotV(dyv, cv), dotV(tv, gv), {
        rtol: tol.identityRtol,
        atol: tol.atol,
        scale,
      })
    },
    options,
  )
}

const EPS = 2 ** -52
const CBRT_EPS = Math.cbrt(EPS)
/** Rounding of a function value is taken to be this many ulps. */
const NOISE_ULPS = 64

/**
 * Central finite differences in a random direction agree with both modes. With
 * `h = cbrt(eps) * max(1, max|x|) / max|t|`, the difference quotient
 * `fd = (f(x + h t) - f(x - h t)) / 2h` is compared with the tangent `jvp(x, t)[1]` scalar by
 * scalar (law `fdForward`) and `<c, fd>` with `<t, vjp(x)(c)>` (law `fdReverse`), each to a
 * relative `rtol` (default `1e-6`) plus `atol` plus the rounding error of the quotient,
 * `64 eps |f| / h`.
 *
 * Sample away from kinks: a difference straddling one disagrees with any one-sided convention.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { finiteDifferenceLaw, tensor } from 'autodiff-ts/laws'
 *
 * finiteDifferenceLaw(ops.log, { arbitrary: tensor({ min: 0.1, max: 5 }) })._tag // 'Right'
 * ```
 *
 * @category laws
 */
export const finiteDifferenceLaw = <A extends Tree, B extends Tree>(
  d: Diff<A, B>,
  options: DiffLawOptions<A>,
): LawResult => {
  const tol = tolerances(options)
  return runLaw(
    LawNames.finiteDifferences,
    diffSample(d, options.arbitrary, options.direction),
    (s) => {
      let law: string = LawNames.fdForward
      const input = showPoint({ x: s.x, t: s.t, c: s.c })
      const c = need(law, input, 'f.apply', s.c, () => d.apply(s.x))
      const xv = vec(s.x)
      const tv = vec(s.t)
      const tMax = maxAbs(tv)
      // the step h t = h0 (t / max|t|), formed leaf by leaf so that a tiny t cannot overflow h
      const h0 = CBRT_EPS * Math.max(1, maxAbs(xv))
      const tm = tMax === 0 ? 1 : tMax
      const h = h0 / tm
      const step = T.map((l) => (typeof l === 'number' ? (h0 * l) / tm : wrap(l.shape, l.data.map((e) => (h0 * e) / tm))))(s.t)
      const xp = T.add(s.x, step)
      const xm = T.sub(s.x, step)
      const fp = vectorLike(law, input, 'f(x + h t)', c, guard(law, input, 'f.apply at x + h t', () => d.apply(xp)))
      const fm = vectorLike(law, input, 'f(x - h t)', c, guard(law, input, 'f.apply at x - h t', () => d.apply(xm)))
      const fd = new Float64Array(fp.length)
      const noise = new Float64Array(fp.length)
      for (let i = 0; i < fd.length; i++) {
        fd[i] = ((fp[i]! - fm[i]!) / (2 * h0)) * tm
        noise[i] = ((NOISE_ULPS * EPS * Math.max(Math.abs(fp[i]!), Math.abs(fm[i]!))) / h0) * tm
      }
      const [, dy] = guard(law, input, 'f.jvp', () => d.jvp(s.x, s.t))
      const dyv = vectorLike(law, input, 'the tangent jvp(x, t)[1]', c, dy)
      compareVectors(law, input, `jvp(x, t) against finite differences with h = ${h}`, fd, dyv, {
        rtol: tol.rtol,
        atol: tol.atol,
        noise,
      })
      law = LawNames.fdReverse
      const cv = vec(c)
      const [, pb] = guard(law, input, 'f.vjp', () => d.vjp(s.x))
      const gv = vectorLike(law, input, 'the input cotangent vjp(x)(c)', s.x, guard(law, input, 'the pullback', () => pb(c)))
      compareNumbers(law, input, `<t, vjp(x)(c)> against <c, finite differences> with h = ${h}`, dotV(cv, fd), dotV(tv, gv), {
        rtol: tol.rtol,
        atol: tol.atol,
        scale: sumOf(absProducts(cv, fd)),
        noise: dotV(
          cv.map((v) => Math.abs(v)),
          noise,
        ),
      })
    },
    options,
  )
}

/**
 * Linearity of the pullback and of the JVP in their direction, at each sampled input: a zero
 * cotangent (tangent) gives exactly zero (to `atol`), sums go to sums and multiples to multiples
 * (to `identityRtol` of the magnitudes of the terms). Fails with the first of the six sub-laws
 * that breaks.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { linearityLaw, tensor } from 'autodiff-ts/laws'
 *
 * linearityLaw(ops.square, { arbitrary: tensor() })._tag // 'Right'
 * ```
 *
 * @category laws
 */
export const linearityLaw = <A extends Tree, B extends Tree>(d: Diff<A, B>, options: DiffLawOptions<A>): LawResult => {
  const tol = tolerances(options)
  const linear = <U extends Tree, V extends Tree>(
    names: { readonly zero: string; readonly additive: string; readonly homogeneous: string },
    input: string,
    outLike: V,
    f: (u: U) => V,
    a: U,
    b: U,
    k: number,
    what: string,
  ): void => {
    const z = vectorLike(names.zero, input, `${what} of zero`, outLike, guard(names.zero, input, what, () => f(T.zeros(a))))
    compareVectors(names.zero, input, `${what} of zero`, new Float64Array(z.length), z, { rtol: 0, atol: tol.atol })
    const fa = vectorLike(names.additive, input, `${what}(a)`, outLike, guard(names.additive, input, what, () => f(a)))
    const fb = vectorLike(names.additive, input, `${what}(b)`, outLike, guard(names.additive, input, what, () => f(b)))
    const fab = vectorLike(names.additive, input, `${what}(a + b)`, outLike, guard(names.additive, input, what, () => f(T.add(a, b))))
    const sum = fa.map((v, i) => v + fb[i]!)
    const scaleAB = fa.map((v, i) => Math.abs(v) + Math.abs(fb[i]!))
    compareVectors(names.additive, input, `${what}(a + b) against ${what}(a) + ${what}(b)`, sum, fab, {
      rtol: tol.identityRtol,
      atol: tol.atol,
      scale: scaleAB,
    })
    const fka = vectorLike(names.homogeneous, input, `${what}(k a)`, outLike, guard(names.homogeneous, input, what, () => f(T.scale(k)(a))))
    compareVectors(names.homogeneous, input, `${what}(k a) against k ${what}(a), k = ${k}`, fa.map((v) => k * v), fka, {
      rtol: tol.identityRtol,
      atol: tol.atol,
    })
  }
  return runLaw(
    LawNames.linearity,
    diffSample(d, options.arbitrary, options.direction),
    (s) => {
      const input = showPoint({ x: s.x, a: s.c, b: s.c2, s: s.t, t: s.t2, k: s.k })
      const c = need(LawNames.pullbackZero, input, 'f.apply', s.c, () => d.apply(s.x))
      const c2 = need(LawNames.pullbackZero, input, 'f.apply', s.c2, () => d.apply(s.x))
      const [y, pb] = guard(LawNames.pullbackZero, input, 'f.vjp', () => d.vjp(s.x))
      linear(
        { zero: LawNames.pullbackZero, additive: LawNames.pullbackAdditive, homogeneous: LawNames.pullbackHomogeneous },
        input,
        s.x,
        pb,
        c,
        c2,
        s.k,
        'vjp(x)',
      )
      linear(
        { zero: LawNames.jvpZero, additive: LawNames.jvpAdditive, homogeneous: LawNames.jvpHomogeneous },
        input,
        y,
        (t: A) => d.jvp(s.x, t)[1],
        s.t,
        s.t2,
        s.k,
        'jvp(x, ·)',
      )
    },
    options,
  )
}

/**
 * Every law of one `Diff`, in order: {@link consistencyLaw}, {@link dotProductLaw},
 * {@link finiteDifferenceLaw}, {@link linearityLaw}. `Left` with the first failure, or `Right`
 * with every pass.
 *
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 * import { scalarValue, verifyDiff } from 'autodiff-ts/laws'
 * import { isLeft } from 'fp-ts/lib/Either.js'
 *
 * // an exp whose derivative is off by a factor of 2 in both modes
 * const wrongExp = Diff.fromRules<number, number>({
 *   value: Math.exp,
 *   jvp: (_x, y, dx) => 2 * y * dx,
 *   pullback: (_x, y, c) => 2 * y * c,
 * })
 * const r = verifyDiff(wrongExp, { arbitrary: scalarValue({ min: -2, max: 2 }) })
 * isLeft(r) && r.left.law // 'finite differences (forward mode): jvp(x, t) = (f(x + h t) - f(x - h t)) / 2h'
 * ```
 *
 * @category laws
 */
export const verifyDiff = <A extends Tree, B extends Tree>(
  d: Diff<A, B>,
  options: DiffLawOptions<A>,
): Either<LawFailure, readonly LawPass[]> => {
  const passes: LawPass[] = []
  for (const law of [consistencyLaw, dotProductLaw, finiteDifferenceLaw, linearityLaw]) {
    const r = law(d, options)
    if (isLeft(r)) return r
    passes.push(r.right)
  }
  return right(passes)
}

/**
 * Checks a differentiable function, such as a user's own primitive, against every law of one
 * `Diff` ({@link verifyDiff}) in one call, and throws a {@link LawError} naming the failing law,
 * the input and both numbers. Returns the passes otherwise, so it can sit directly in a test.
 *
 * @throws LawError on the first law that fails.
 * @example
 * ```ts
 * import { Diff } from 'autodiff-ts'
 * import { checkDiff, scalarValue } from 'autodiff-ts/laws'
 *
 * const cube = Diff.fromRules<number, number>({
 *   value: (x) => x ** 3,
 *   jvp: (x, _y, dx) => 3 * x * x * dx,
 *   pullback: (x, _y, dy) => 3 * x * x * dy,
 * })
 * checkDiff(cube, { arbitrary: scalarValue({ min: -3, max: 3 }) }).length // 4: every law passed
 * ```
 *
 * @category laws
 */
export const checkDiff = <A extends Tree, B extends Tree>(d: Diff<A, B>, options: DiffLawOptions<A>): readonly LawPass[] => {
  const r = verifyDiff(d, options)
  if (isLeft(r)) throw new LawError(r.left)
  return r.right
}
