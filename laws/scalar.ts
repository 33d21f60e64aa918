/**
 * The laws of scalar differentiation, for the primitives of `Floating` and for a user's own
 * generic scalar functions and rules: the chain rule in both modes, the add and mul backward
 * rules, forward/reverse agreement (the dot-product test), agreement with central finite
 * differences, derivative bounds and identities, hand-written derivatives against the
 * dual-number derivative of a generic definition (up to second derivatives), and whole
 * `UnaryRule`s and `BinaryRule`s against finite differences and against both modes.
 *
 * Each law is a fast-check property (so `fc.assert(scalarChainRule(f, g))` works) that also
 * carries its name, arbitrary and check, so {@link runScalarLaw} returns an fp-ts `Either` and
 * {@link checkScalarLaw} throws a `LawError` naming the law, the input and both numbers. A
 * function that throws or returns NaN at a sampled point fails the law there; it never crashes
 * the run.
 *
 * @packageDocumentation
 */
import fc from 'fast-check'
import type { Arbitrary, IPropertyWithHooks } from 'fast-check'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, right } from 'fp-ts/lib/Either.js'
import * as Dual from '../src/Dual.js'
import { floatingNumber as N } from '../src/Floating.js'
import type { Floating, MultiFn, ScalarFn } from '../src/Floating.js'
import * as Reverse from '../src/Reverse.js'
import type { BinaryRule, UnaryRule } from '../src/Rule.js'
import { distanceToKinks, scalarPoint, scalarVector, uniform, unitDirection } from './arbitraries.js'
import type { PointOptions } from './arbitraries.js'
import { compareNumbers, guard, LawError, LawViolation, runLaw, showPoint } from './law-runner.js'
import type { LawFailure, LawPass, LawResult, RunOptions, Tolerances } from './law-runner.js'

// ---------------------------------------------------------------------------------------------
// Model

/**
 * A way of differentiating a generic scalar function: forward mode, reverse mode, or a user's own
 * (for instance forward mode over their own dual-number instance, see {@link forwardModeOf}).
 *
 * @category model
 */
export interface Mode {
  /** Named in failures, e.g. `forward`. */
  readonly name: string
  /** `f'` */
  readonly derivative: (f: ScalarFn) => (x: number) => number
}

/**
 * A generic function of two scalars, such as a primitive `(F) => F.pow`.
 *
 * @category model
 */
export type BinaryFn = <A>(F: Floating<A>) => (x: A, y: A) => A

/**
 * The backward rule of a two-argument operation at `(x, y)`: the cotangents `[cx, cy]` it sends
 * to its inputs for a cotangent `c` of its output.
 *
 * @category model
 */
export type BinaryPullback = (x: number, y: number, c: number) => readonly [number, number]

/**
 * A scalar law: a fast-check property (pass it to `fc.assert`) that also carries the law's name,
 * the arbitrary it samples and the check it runs at each sample (which throws a `LawViolation`
 * naming the law, the point and both numbers). When `fc.assert` fails, that violation is the
 * `cause` of its error; {@link checkScalarLaw} puts it in the message.
 *
 * @category model
 */
export type ScalarLaw<S> = IPropertyWithHooks<[S]> & {
  /** The law, as in `LawFailure.law`. */
  readonly law: string
  /** The sampled points. */
  readonly arbitrary: Arbitrary<S>
  /** The check at one point. */
  readonly check: (s: S) => void
}

/**
 * The options of the laws of one scalar function: where to sample (see `PointOptions`: range,
 * kinks and margin; or an explicit `arbitrary`), which modes to check, tolerances (`rtol` for
 * finite differences, default `1e-6`; `identityRtol` for identities exact in real arithmetic,
 * default `1e-9`; the absolute floor `atol`, default `1e-9`), and the finite-difference step.
 *
 * @category model
 */
export interface ScalarLawOptions extends PointOptions, Tolerances {
  /** The points to sample; overrides `min`, `max`, `kinks` and `margin`. */
  readonly arbitrary?: Arbitrary<number>
  /** The modes to check; default {@link bothModes}. */
  readonly modes?: readonly Mode[]
  /**
   * The finite-difference step at `x`; default `1e-3 max(|x|, 1)`, and at most a hundredth of the
   * distance to the nearest kink.
   */
  readonly step?: (x: number) => number
}

/**
 * The names of the scalar laws, as they appear in `LawFailure.law` (followed by the mode in
 * parentheses where a law is checked in several).
 *
 * @category model
 */
export const ScalarLawNames = {
  /** The chain rule, in each mode. */
  chainRule: "chain rule: D(g . f)(x) = g'(f(x)) f'(x)",
  /** The add backward rule. */
  addRule: 'add backward rule: the cotangent passes through unchanged to both inputs',
  /** The mul backward rule. */
  mulRule: 'mul backward rule: each input gets the cotangent times the other input',
  /** Forward and reverse mode agree (the dot-product test). */
  forwardReverse: 'forward/reverse agreement (dot-product test): <jvp(x, t), c> = <t, c grad f(x)>',
  /** Both modes agree with finite differences (one variable). */
  finiteDifferences: "finite differences: f'(x) agrees with a central difference",
  /** Both modes agree with finite differences in a direction (several variables). */
  finiteDifferencesN: 'finite differences: the directional derivative along t agrees with a central difference',
  /** The derivative lies in an interval. */
  bounds: "derivative bounds: f'(x) lies in its interval",
  /** The derivative takes only given values. */
  values: "derivative values: f'(x) is one of the allowed values",
  /** Two functions, and their derivatives, agree. */
  identity: 'identity',
  /** A hand-written derivative agrees with the computed one. */
  closedForm: "closed form: f' agrees with a hand-written derivative",
  /** The derivative of a hand-written derivative agrees with the computed second derivative. */
  closedForm2: "closed form (second derivative): f'' agrees with the derivative of the hand-written f'",
  /** A unary rule agrees with finite differences. */
  unaryRule: "unary rule: rule.d agrees with a central difference of f",
  /** A unary rule nests: its own derivative agrees with finite differences. */
  unaryRule2: "unary rule (nesting): the derivative of rule.d agrees with a central difference of rule.d",
  /** Each mode computes a unary primitive's derivative as its rule says. */
  unaryRuleModes: "unary rule (modes): each mode's f' equals rule.d",
  /** A binary rule agrees with finite differences. */
  binaryRule: 'binary rule: rule.dx and rule.dy agree with central differences of f',
  /** A binary rule nests: the derivatives of its partials agree with finite differences. */
  binaryRule2: 'binary rule (nesting): the derivatives of rule.dx and rule.dy agree with central differences',
  /** Each mode computes a binary primitive's partial derivatives as its rule says. */
  binaryRuleModes: "binary rule (modes): each mode's partial derivatives equal rule.dx and rule.dy",
} as const

// ---------------------------------------------------------------------------------------------
// Modes

/**
 * Forward mode: dual numbers (`Dual.derivative`).
 *
 * @example
 * ```ts
 * import { forwardMode } from 'autodiff-ts/laws'
 *
 * forwardMode.derivative((F) => F.sin)(0) // 1
 * ```
 *
 * @category modes
 */
export const forwardMode: Mode = { name: 'forward', derivative: Dual.derivative }

/**
 * Reverse mode: the tape (`Reverse.gradient` of the one-variable function).
 *
 * @example
 * ```ts
 * import { reverseMode } from 'autodiff-ts/laws'
 *
 * reverseMode.derivative((F) => F.exp)(0) // 1
 * ```
 *
 * @category modes
 */
export const reverseMode: Mode = {
  name: 'reverse',
  derivative: (f) => {
    const g = Reverse.gradient((F) => (xs) => f(F)(xs[0] ?? F.zero))
    return (x) => g([x])[0] ?? NaN
  },
}

/**
 * Both modes, the default of every law.
 *
 * @category modes
 */
export const bothModes: readonly Mode[] = [forwardMode, reverseMode]

/**
 * Forward mode over a given dual-number instance, for checking one's own instance (or, in the
 * kit's own tests, a deliberately broken one).
 *
 * @example
 * ```ts
 * import { Dual, floatingNumber } from 'autodiff-ts'
 * import { forwardModeOf } from 'autodiff-ts/laws'
 *
 * const mine = forwardModeOf('mine', Dual.getFloating(floatingNumber))
 * mine.derivative((F) => (x) => F.mul(x, x))(3) // 6
 * ```
 *
 * @category modes
 */
export const forwardModeOf = (name: string, D: Floating<Dual.Dual<number>>): Mode => ({
  name,
  derivative: (f) => {
    const g = f(D)
    return (x) => g(Dual.dual(x, 1)).eps
  },
})

// ---------------------------------------------------------------------------------------------
// Running

/** Makes a law: a property that carries its name, arbitrary and check. */
const makeLaw = <S>(law: string, arbitrary: Arbitrary<S>, check: (s: S) => void): ScalarLaw<S> =>
  Object.assign(
    fc.property(arbitrary, (s) => {
      check(s)
    }),
    { law, arbitrary, check },
  )

/**
 * Runs a scalar law: `Right` with the run, or `Left` with the first (shrunk) failure naming the
 * law, the input and both numbers. Never throws.
 *
 * @example
 * ```ts
 * import { runScalarLaw, scalarFiniteDifferences } from 'autodiff-ts/laws'
 *
 * runScalarLaw(scalarFiniteDifferences((F) => F.sin), { numRuns: 200 }) // Right({ law, numRuns })
 * ```
 *
 * @category running
 */
export const runScalarLaw = <S>(law: ScalarLaw<S>, options: RunOptions = {}): LawResult =>
  runLaw(law.law, law.arbitrary, law.check, options)

/**
 * Runs a scalar law and throws a `LawError` (naming the law, the input and both numbers) if it
 * fails; returns the pass otherwise. One call in a test.
 *
 * @throws LawError when the law fails.
 * @example
 * ```ts
 * import { checkScalarLaw, scalarChainRule } from 'autodiff-ts/laws'
 *
 * checkScalarLaw(scalarChainRule((F) => F.sin, (F) => F.exp))
 * ```
 *
 * @category running
 */
export const checkScalarLaw = <S>(law: ScalarLaw<S>, options: RunOptions = {}): LawPass => {
  const r = runScalarLaw(law, options)
  if (isLeft(r)) throw new LawError(r.left)
  return r.right
}

// ---------------------------------------------------------------------------------------------
// Helpers

const EPS = 2 ** -52
/** Rounding of a function value is taken to be this many ulps (as in the tensor laws). */
const NOISE_ULPS = 64

const tolerances = (o: Tolerances) => ({
  rtol: o.rtol ?? 1e-6,
  identityRtol: o.identityRtol ?? 1e-9,
  atol: o.atol ?? 1e-9,
})

const modesOf = (o: { readonly modes?: readonly Mode[] }): readonly Mode[] => o.modes ?? bothModes

const pointsOf = (o: ScalarLawOptions): Arbitrary<number> => o.arbitrary ?? scalarPoint(o)

const withMode = (law: string, m: Mode): string => `${law} (${m.name} mode)`

/** The default finite-difference step at `x`: see {@link ScalarLawOptions}. */
const defaultStep =
  (kinks: readonly number[]) =>
  (x: number): number =>
    Math.min(1e-3 * Math.max(Math.abs(x), 1), distanceToKinks(x, kinks) / 100)

/**
 * A finite-difference derivative and a bound on its rounding error.
 *
 * @category model
 */
export interface Difference {
  /** The difference quotient. */
  readonly value: number
  /** A bound on its rounding error, to add to a comparison's tolerance. */
  readonly noise: number
}

/**
 * The derivative of `f` at `x` by the fourth-order central difference
 * `(f(x - 2h) - 8 f(x - h) + 8 f(x + h) - f(x + 2h)) / 12h`, and a bound on its rounding error
 * (64 ulps of every value, divided by the step, plus the rounding of `x +- 2h`).
 *
 * @example
 * ```ts
 * import { centralDifference } from 'autodiff-ts/laws'
 *
 * centralDifference(Math.exp, 0, 1e-3).value // 1, to about 1e-13
 * ```
 *
 * @category laws
 */
export const centralDifference = (f: (x: number) => number, x: number, h: number): Difference => {
  // a step that x + h represents exactly
  const s = x + h - x
  const a = f(x - 2 * s)
  const b = f(x - s)
  const c = f(x + s)
  const d = f(x + 2 * s)
  const value = (a - 8 * b + 8 * c - d) / (12 * s)
  const rounding = (NOISE_ULPS * EPS * (Math.abs(a) + 8 * Math.abs(b) + 8 * Math.abs(c) + Math.abs(d))) / (12 * s)
  return { value, noise: rounding + (EPS * Math.abs(x) * Math.abs(value)) / s }
}

/** The step at `x`, checked: a step that is not positive and finite is a violation. */
const stepAt = (law: string, input: string, step: (x: number) => number, x: number): number => {
  const h = guard(law, input, 'the step', () => step(x))
  if (!(h > 0) || !Number.isFinite(h))
    throw new LawViolation(law, input, `the finite-difference step is ${h}; a point this close to a kink cannot be checked`)
  return h
}

const compose =
  (f: ScalarFn, g: ScalarFn): ScalarFn =>
  <A>(F: Floating<A>) => {
    const ff = f(F)
    const gg = g(F)
    return (x: A) => gg(ff(x))
  }

// ---------------------------------------------------------------------------------------------
// The laws

/**
 * The chain rule: `D(g . f)(x) = g'(f(x)) f'(x)` in each mode, to `identityRtol`. Sample `x`
 * where `f` is smooth and `f(x)` where `g` is.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { scalarChainRule } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarChainRule((F) => F.exp, (F) => F.sin))
 * ```
 *
 * @category laws
 */
export const scalarChainRule = (f: ScalarFn, g: ScalarFn, options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = ScalarLawNames.chainRule
  const tol = tolerances(options)
  const gf = compose(f, g)
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const y = guard(law, input, 'f(x)', () => f(N)(x))
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const lhs = guard(lm, input, 'D(g . f)(x)', () => m.derivative(gf)(x))
      const dg = guard(lm, input, "g'(f(x))", () => m.derivative(g)(y))
      const df = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      compareNumbers(lm, input, `D(g . f)(x) against g'(f(x)) f'(x) = ${dg} * ${df}`, dg * df, lhs, {
        rtol: tol.identityRtol,
        atol: tol.atol,
      })
    }
  })
}

/**
 * The options of {@link scalarAddRule} and {@link scalarMulRule}: ranges of `x`, `y` and the
 * cotangent `c` (default `[-10, 10]`, and magnitudes in `[1/2, 2]` for `c`), and tolerances (default exact: `identityRtol` and
 * `atol` 0).
 *
 * @category model
 */
export interface BackwardRuleOptions extends Tolerances {
  /** Range of the first input. */
  readonly x?: PointOptions
  /** Range of the second input. */
  readonly y?: PointOptions
  /** Range of the output cotangent; default magnitudes in `[1/2, 2]`, either sign. */
  readonly c?: PointOptions
}

const backwardSample = (o: BackwardRuleOptions) =>
  fc.tuple(scalarPoint(o.x), scalarPoint(o.y), o.c === undefined ? cotangent : scalarPoint(o.c))

/** A cotangent of magnitude in [1/2, 2], either sign: never so small that a law passes vacuously. */
const cotangent: Arbitrary<number> = fc.tuple(fc.boolean(), uniform(0.5, 2)).map(([neg, m]) => (neg ? -m : m))

/**
 * The add backward rule: for any cotangent `c` of `x + y`, both inputs receive `c` unchanged
 * (exactly, unless tolerances are given).
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { reversePullback, scalarAddRule } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarAddRule(reversePullback((F) => F.add)))
 * ```
 *
 * @category laws
 */
export const scalarAddRule = (pullback: BinaryPullback, options: BackwardRuleOptions = {}): ScalarLaw<[number, number, number]> => {
  const law = ScalarLawNames.addRule
  const tol = { rtol: options.identityRtol ?? 0, atol: options.atol ?? 0 }
  return makeLaw(law, backwardSample(options), ([x, y, c]) => {
    const input = showPoint({ x, y, c })
    const [cx, cy] = guard(law, input, 'the pullback', () => pullback(x, y, c))
    compareNumbers(law, input, 'the cotangent of x against c', c, cx, tol)
    compareNumbers(law, input, 'the cotangent of y against c', c, cy, tol)
  })
}

/**
 * The mul backward rule: for a cotangent `c` of `x * y`, `x` receives `c y` and `y` receives
 * `c x` (exactly, unless tolerances are given).
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { reversePullback, scalarMulRule } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarMulRule(reversePullback((F) => F.mul)))
 * ```
 *
 * @category laws
 */
export const scalarMulRule = (pullback: BinaryPullback, options: BackwardRuleOptions = {}): ScalarLaw<[number, number, number]> => {
  const law = ScalarLawNames.mulRule
  const tol = { rtol: options.identityRtol ?? 0, atol: options.atol ?? 0 }
  return makeLaw(law, backwardSample(options), ([x, y, c]) => {
    const input = showPoint({ x, y, c })
    const [cx, cy] = guard(law, input, 'the pullback', () => pullback(x, y, c))
    compareNumbers(law, input, 'the cotangent of x against c y', c * y, cx, tol)
    compareNumbers(law, input, 'the cotangent of y against c x', c * x, cy, tol)
  })
}

/**
 * The pullback of a binary rule: `[c dx, c dy]` at `(x, y)`, with `z = f(x, y)`.
 *
 * @example
 * ```ts
 * import { binaryRules } from 'autodiff-ts'
 * import { rulePullback } from 'autodiff-ts/laws'
 *
 * rulePullback((F) => F.mul, binaryRules.mul)(2, 3, 10) // [30, 20]
 * ```
 *
 * @category laws
 */
export const rulePullback =
  (f: BinaryFn, rule: BinaryRule): BinaryPullback =>
  (x, y, c) => {
    const z = f(N)(x, y)
    return [c * rule.dx(N, x, y, z), c * rule.dy(N, x, y, z)]
  }

/**
 * The pullback that reverse mode computes for a generic binary function: `Reverse.vjp` of
 * `(x, y) => f(x, y)` with output cotangent `c`.
 *
 * @example
 * ```ts
 * import { reversePullback } from 'autodiff-ts/laws'
 *
 * reversePullback((F) => F.mul)(2, 3, 10) // [30, 20]
 * ```
 *
 * @category laws
 */
export const reversePullback =
  (f: BinaryFn): BinaryPullback =>
  (x, y, c) => {
    const [, [cx = NaN, cy = NaN]] = Reverse.vjp((F) => ([a = F.zero, b = F.zero]) => [f(F)(a, b)])([x, y], [c])
    return [cx, cy]
  }

/**
 * The options of the laws of a function of several variables.
 *
 * @category model
 */
export interface MultiLawOptions extends Tolerances {
  /** The number of variables. */
  readonly dim: number
  /** Where to sample: one range for every variable, or one per variable; default `[-10, 10]`. */
  readonly ranges?: PointOptions | readonly PointOptions[]
  /** The points to sample; overrides `ranges`. */
  readonly arbitrary?: Arbitrary<readonly number[]>
  /** Forward mode: the value and the directional derivative; default `Dual.jvp`. */
  readonly jvp?: (f: MultiFn) => (xs: readonly number[], ts: readonly number[]) => readonly [number, number]
  /** Reverse mode: the value and the gradient; default `Reverse.valueAndGradient`. */
  readonly valueAndGradient?: (f: MultiFn) => (xs: readonly number[]) => readonly [number, readonly number[]]
  /**
   * The finite-difference step at `xs` along the unit direction `ts`; default
   * `1e-3 max(1, max|x_i|)`, and at most a hundredth of the distance to the nearest kink of each
   * variable along the direction.
   */
  readonly step?: (xs: readonly number[], ts: readonly number[]) => number
}

const rangesOf = (o: MultiLawOptions): readonly PointOptions[] => {
  const r = o.ranges
  const ranges: readonly PointOptions[] = Array.isArray(r) ? r : Array.from({ length: o.dim }, () => (r ?? {}) as PointOptions)
  if (ranges.length !== o.dim)
    throw new RangeError(`expected ${o.dim} ranges, one per variable, got ${ranges.length}`)
  return ranges
}

const multiPoints = (o: MultiLawOptions): Arbitrary<readonly number[]> => o.arbitrary ?? scalarVector(rangesOf(o))

/** The default step of {@link multiFiniteDifferences}: see {@link MultiLawOptions}. */
const multiStep =
  (ranges: readonly PointOptions[]) =>
  (xs: readonly number[], ts: readonly number[]): number => {
    let h = 1e-3 * Math.max(1, ...xs.map(Math.abs))
    xs.forEach((x, i) => {
      const t = Math.abs(ts[i]!)
      if (t > 0) h = Math.min(h, distanceToKinks(x, ranges[i]?.kinks ?? []) / (100 * t))
    })
    return h
  }

/** The gradient from `valueAndGradient`, checked to have one entry per variable. */
const gradientOf = (law: string, input: string, o: MultiLawOptions, f: MultiFn, xs: readonly number[]) => {
  const vag = o.valueAndGradient ?? Reverse.valueAndGradient
  const [y, g] = guard(law, input, 'valueAndGradient', () => vag(f)(xs))
  if (g.length !== xs.length)
    throw new LawViolation(law, input, `the gradient has ${g.length} entries, expected ${xs.length}`)
  return [y, g] as const
}

/**
 * Forward/reverse agreement, the dot-product test for a function of several variables to one:
 * `<jvp(x, t), c> = <t, c grad f(x)>` for a unit direction `t` and a cotangent `c`, to
 * `identityRtol` of the sum of the magnitudes of the terms; and both modes give the same value.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import type { MultiFn } from 'autodiff-ts'
 * import { forwardReverseAgreement } from 'autodiff-ts/laws'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(F.sin(x), F.exp(y))
 * fc.assert(forwardReverseAgreement(f, { dim: 2 }))
 * ```
 *
 * @category laws
 */
export const forwardReverseAgreement = (
  f: MultiFn,
  options: MultiLawOptions,
): ScalarLaw<[readonly number[], readonly number[], number]> => {
  const law = ScalarLawNames.forwardReverse
  const tol = tolerances(options)
  const jvp = options.jvp ?? Dual.jvp
  const arb = fc.tuple(multiPoints(options), unitDirection(options.dim), cotangent)
  return makeLaw(law, arb, ([xs, ts, c]) => {
    const input = showPoint({ x: xs, t: ts, c })
    const [y1, dy] = guard(law, input, 'jvp', () => jvp(f)(xs, ts))
    const [y2, g] = gradientOf(law, input, options, f, xs)
    compareNumbers(law, input, 'the value by reverse mode against forward mode', y1, y2, {
      rtol: tol.identityRtol,
      atol: 0,
    })
    let rhs = 0
    let scale = 0
    for (let i = 0; i < ts.length; i++) {
      const term = ts[i]! * (c * g[i]!)
      rhs += term
      scale += Math.abs(term)
    }
    compareNumbers(law, input, '<t, c grad f(x)> against <jvp(x, t), c>', dy * c, rhs, {
      rtol: tol.identityRtol,
      atol: tol.atol,
      scale,
    })
  })
}

/**
 * Finite differences: in each mode, `f'(x)` agrees with the fourth-order central difference
 * ({@link centralDifference}) to a relative `rtol` (default `1e-6`) plus `atol` plus the rounding
 * error of the difference. Give the function's kinks (and singularities): points keep away from
 * them and differences never straddle one.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { scalarFiniteDifferences } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarFiniteDifferences((F) => F.log, { min: 1e-3, max: 100, kinks: [0] }))
 * ```
 *
 * @category laws
 */
export const scalarFiniteDifferences = (f: ScalarFn, options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = ScalarLawNames.finiteDifferences
  const tol = tolerances(options)
  const step = options.step ?? defaultStep(options.kinks ?? [])
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const fd = guard(law, input, 'f', () => centralDifference(f(N), x, stepAt(law, input, step, x)))
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const d = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      compareNumbers(lm, input, "f'(x) against the central difference", fd.value, d, {
        rtol: tol.rtol,
        atol: tol.atol,
        noise: fd.noise,
      })
    }
  })
}

/**
 * Finite differences for a function of several variables, in a random unit direction `t`: the
 * forward-mode `jvp(x, t)` and the reverse-mode `<grad f(x), t>` each agree with the central
 * difference of `s => f(x + s t)` at 0, to `rtol` plus `atol` plus its rounding error.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import type { MultiFn } from 'autodiff-ts'
 * import { multiFiniteDifferences } from 'autodiff-ts/laws'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.pow(x, y)
 * // x^y is singular at x = 0: naming the kink keeps the steps well inside the domain
fc.assert(multiFiniteDifferences(f, { dim: 2, ranges: [{ min: 0.1, max: 3, kinks: [0] }, { min: -2, max: 2 }] }))
 * ```
 *
 * @category laws
 */
export const multiFiniteDifferences = (
  f: MultiFn,
  options: MultiLawOptions,
): ScalarLaw<[readonly number[], readonly number[]]> => {
  const law = ScalarLawNames.finiteDifferencesN
  const tol = tolerances(options)
  const jvp = options.jvp ?? Dual.jvp
  const step = options.step ?? multiStep(rangesOf(options))
  return makeLaw(law, fc.tuple(multiPoints(options), unitDirection(options.dim)), ([xs, ts]) => {
    const input = showPoint({ x: xs, t: ts })
    const fn = f(N)
    const h = guard(law, input, 'the step', () => step(xs, ts))
    const fd = guard(law, input, 'f', () => centralDifference((s) => fn(xs.map((x, i) => x + s * ts[i]!)), 0, h))
    const lf = `${law} (forward mode)`
    const [, dy] = guard(lf, input, 'jvp', () => jvp(f)(xs, ts))
    compareNumbers(lf, input, 'jvp(x, t) against the central difference', fd.value, dy, {
      rtol: tol.rtol,
      atol: tol.atol,
      noise: fd.noise,
    })
    const lr = `${law} (reverse mode)`
    const [, g] = gradientOf(lr, input, options, f, xs)
    let dot = 0
    for (let i = 0; i < ts.length; i++) dot += g[i]! * ts[i]!
    compareNumbers(lr, input, '<grad f(x), t> against the central difference', fd.value, dot, {
      rtol: tol.rtol,
      atol: tol.atol,
      noise: fd.noise,
    })
  })
}

/**
 * An interval for {@link derivativeBounds}, such as `(0, 1/4]` for the derivative of the
 * sigmoid: `{ lower: 0, lowerOpen: true, upper: 0.25, upperAt: [0] }`.
 *
 * @category model
 */
export interface Interval {
  /** The lower bound. */
  readonly lower: number
  /** The upper bound. */
  readonly upper: number
  /** Whether `lower` itself is excluded; default false. */
  readonly lowerOpen?: boolean
  /** Whether `upper` itself is excluded; default false. */
  readonly upperOpen?: boolean
  /** The only points where `f'` equals `lower`: it must equal it there and exceed it elsewhere. */
  readonly lowerAt?: readonly number[]
  /** The only points where `f'` equals `upper`: it must equal it there and stay below elsewhere. */
  readonly upperAt?: readonly number[]
}

const showInterval = (b: Interval): string =>
  `${b.lowerOpen === true ? '(' : '['}${b.lower}, ${b.upper}${b.upperOpen === true ? ')' : ']'}`

/**
 * Derivative bounds: in each mode, `f'(x)` lies in the interval at every sampled point; where the
 * interval names the points at which a bound is attained (`upperAt`, `lowerAt`), `f'` equals the
 * bound there (to `identityRtol`) and is strictly inside it at every sampled point, which keep
 * `margin` away from those points.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { derivativeBounds } from 'autodiff-ts/laws'
 *
 * // tanh' in (0, 1], equal to 1 only at 0
 * fc.assert(derivativeBounds((F) => F.tanh, { lower: 0, lowerOpen: true, upper: 1, upperAt: [0] }))
 * ```
 *
 * @category laws
 */
export const derivativeBounds = (f: ScalarFn, bounds: Interval, options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = `${ScalarLawNames.bounds} ${showInterval(bounds)}`
  const tol = tolerances(options)
  const { lowerAt = [], upperAt = [] } = bounds
  const points = options.arbitrary ?? scalarPoint({ ...options, kinks: [...(options.kinks ?? []), ...lowerAt, ...upperAt] })
  return makeLaw(law, points, (x) => {
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      for (const [at, bound] of [...lowerAt.map((p) => [p, bounds.lower] as const), ...upperAt.map((p) => [p, bounds.upper] as const)]) {
        const input = showPoint({ x: at })
        const d = guard(lm, input, "f'(x)", () => m.derivative(f)(at))
        compareNumbers(lm, input, "f'(x) at a point where the bound is attained", bound, d, { rtol: tol.identityRtol, atol: 0 })
      }
      const input = showPoint({ x })
      const d = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      const strictLower = bounds.lowerOpen === true || lowerAt.length > 0
      const strictUpper = bounds.upperOpen === true || upperAt.length > 0
      const aboveLower = strictLower ? d > bounds.lower : d >= bounds.lower
      const belowUpper = strictUpper ? d < bounds.upper : d <= bounds.upper
      if (!aboveLower)
        throw new LawViolation(lm, input, `expected f'(x) ${strictLower ? '>' : '>='} ${bounds.lower}, got ${d}`, bounds.lower, d)
      if (!belowUpper)
        throw new LawViolation(lm, input, `expected f'(x) ${strictUpper ? '<' : '<='} ${bounds.upper}, got ${d}`, bounds.upper, d)
    }
  })
}

/**
 * Derivative values: in each mode, `f'(x)` is exactly one of `values` at every sampled point
 * (e.g. relu' in {0, 1}, step' = 0).
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { derivativeValues } from 'autodiff-ts/laws'
 *
 * fc.assert(derivativeValues((F) => F.abs, [-1, 0, 1]))
 * ```
 *
 * @category laws
 */
export const derivativeValues = (f: ScalarFn, values: readonly number[], options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = `${ScalarLawNames.values} {${values.join(', ')}}`
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const d = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      if (!values.includes(d))
        throw new LawViolation(lm, input, `expected f'(x) to be one of ${values.join(', ')}, got ${d}`, values[0], d)
    }
  })
}

/**
 * The options of {@link scalarIdentity} and {@link closedFormDerivative}.
 *
 * @category model
 */
export interface OrderOptions extends ScalarLawOptions {
  /** Check derivatives up to this order; default 2. */
  readonly order?: 0 | 1 | 2
}

/**
 * An identity between two generic scalar functions, such as `tanh(x) = 2 sigmoid(2x) - 1`: the
 * values agree, and (up to `order`, default 2) so do their first and second derivatives in each
 * mode (second derivatives as that mode over forward mode), all to `identityRtol` plus `atol`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { scalarIdentity } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarIdentity('cosh^2 - sinh^2 = 1',
 *   (F) => (x) => F.sub(F.mul(F.cosh(x), F.cosh(x)), F.mul(F.sinh(x), F.sinh(x))),
 *   (F) => () => F.one,
 *   { min: -5, max: 5, atol: 1e-6 }))
 * ```
 *
 * @category laws
 */
export const scalarIdentity = (name: string, lhs: ScalarFn, rhs: ScalarFn, options: OrderOptions = {}): ScalarLaw<number> => {
  const law = `${ScalarLawNames.identity}: ${name}`
  const tol = tolerances(options)
  const order = options.order ?? 2
  const cmp = { rtol: tol.identityRtol, atol: tol.atol }
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const l = guard(law, input, 'the left side', () => lhs(N)(x))
    const r = guard(law, input, 'the right side', () => rhs(N)(x))
    compareNumbers(law, input, 'the right side against the left side', l, r, cmp)
    if (order < 1) return
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const dl = guard(lm, input, "the left side's derivative", () => m.derivative(lhs)(x))
      const dr = guard(lm, input, "the right side's derivative", () => m.derivative(rhs)(x))
      compareNumbers(lm, input, "the right side's derivative against the left side's", dl, dr, cmp)
      if (order < 2) continue
      const ddl = guard(lm, input, "the left side's second derivative", () => m.derivative(Dual.derivativeOf(lhs))(x))
      const ddr = guard(lm, input, "the right side's second derivative", () => m.derivative(Dual.derivativeOf(rhs))(x))
      compareNumbers(lm, input, "the right side's second derivative against the left side's", ddl, ddr, cmp)
    }
  })
}

/**
 * A hand-written derivative `df` (a closed form, written generically) agrees with the derivative
 * of the generic definition `f`: in each mode `f' = df`, and (with `order` 2, the default) the
 * derivative of `df` agrees with `f''`, computed as that mode over forward mode; all to
 * `identityRtol` plus `atol`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import type { ScalarFn } from 'autodiff-ts'
 * import { closedFormDerivative } from 'autodiff-ts/laws'
 *
 * const softplus: ScalarFn = (F) => (x) => F.log1p(F.exp(x))
 * const sigmoid: ScalarFn = (F) => (x) => F.recip(F.add(F.one, F.exp(F.neg(x))))
 * fc.assert(closedFormDerivative(softplus, sigmoid, { min: -20, max: 20 }))
 * ```
 *
 * @category laws
 */
export const closedFormDerivative = (f: ScalarFn, df: ScalarFn, options: OrderOptions = {}): ScalarLaw<number> => {
  const law = ScalarLawNames.closedForm
  const law2 = ScalarLawNames.closedForm2
  const tol = tolerances(options)
  const cmp = { rtol: tol.identityRtol, atol: tol.atol }
  const order = options.order ?? 2
  const d2f = Dual.derivativeOf(f)
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const closed = guard(law, input, 'the closed form', () => df(N)(x))
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const d = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      compareNumbers(lm, input, "f'(x) against the closed form", closed, d, cmp)
      if (order < 2) continue
      const lm2 = withMode(law2, m)
      const dd = guard(lm2, input, "f''(x)", () => m.derivative(d2f)(x))
      const closed2 = guard(lm2, input, "the closed form's derivative", () => m.derivative(df)(x))
      compareNumbers(lm2, input, "f''(x) against the closed form's derivative", closed2, dd, cmp)
    }
  })
}

/**
 * A whole unary rule against the function it differentiates: `rule.d(x, f(x))` agrees with a
 * central difference of `f` (to `rtol`); the rule differentiates correctly itself (the forward
 * derivative of the generic `rule.d` agrees with a central difference of `rule.d`, so the rule
 * nests for higher derivatives); and each mode's `f'` equals `rule.d` (to `identityRtol`), which
 * checks the arithmetic each mode writes out against the rule.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { unaryRules } from 'autodiff-ts'
 * import { unaryRuleAgreement } from 'autodiff-ts/laws'
 *
 * fc.assert(unaryRuleAgreement((F) => F.sqrt, unaryRules.sqrt, { min: 1e-3, max: 100, kinks: [0] }))
 * ```
 *
 * @category laws
 */
export const unaryRuleAgreement = (f: ScalarFn, rule: UnaryRule, options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = ScalarLawNames.unaryRule
  const law2 = ScalarLawNames.unaryRule2
  const lawModes = ScalarLawNames.unaryRuleModes
  const tol = tolerances(options)
  const step = options.step ?? defaultStep(options.kinks ?? [])
  const fn = f(N)
  const d = (x: number): number => rule.d(N, x, fn(x))
  const dGeneric: ScalarFn = (F) => {
    const ff = f(F)
    return (x) => rule.d(F, x, ff(x))
  }
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const h = stepAt(law, input, step, x)
    const dx = guard(law, input, 'rule.d', () => d(x))
    const fd = guard(law, input, 'f', () => centralDifference(fn, x, h))
    compareNumbers(law, input, 'rule.d against the central difference of f', fd.value, dx, {
      rtol: tol.rtol,
      atol: tol.atol,
      noise: fd.noise,
    })
    const dd = guard(law2, input, 'the derivative of rule.d', () => Dual.derivative(dGeneric)(x))
    const fd2 = guard(law2, input, 'rule.d', () => centralDifference(d, x, h))
    compareNumbers(law2, input, 'the derivative of rule.d against its central difference', fd2.value, dd, {
      rtol: tol.rtol,
      atol: tol.atol,
      noise: fd2.noise,
    })
    for (const m of modesOf(options)) {
      const lm = withMode(lawModes, m)
      const dm = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      compareNumbers(lm, input, "the mode's f'(x) against rule.d", dx, dm, { rtol: tol.identityRtol, atol: tol.atol })
    }
  })
}

/**
 * The options of {@link binaryRuleAgreement}.
 *
 * @category model
 */
export interface BinaryLawOptions extends Tolerances {
  /** Where to sample `x`; default `[-10, 10]`. Its kinks bound the step in `x`. */
  readonly x?: PointOptions
  /** Where to sample `y`; default `[-10, 10]`. Its kinks bound the step in `y`. */
  readonly y?: PointOptions
  /** The points to sample; overrides `x` and `y`. */
  readonly arbitrary?: Arbitrary<readonly [number, number]>
  /** The finite-difference steps `[hx, hy]` at `(x, y)`; default as for one variable, per variable. */
  readonly step?: (x: number, y: number) => readonly [number, number]
  /** The modes to check (each partial derivative with the other input held constant); default both. */
  readonly modes?: readonly Mode[]
}

/**
 * A whole binary rule against the function it differentiates: `rule.dx` and `rule.dy` agree
 * with central differences of `f` in `x` and in `y` (to `rtol`); the rule differentiates
 * correctly itself (the forward-mode derivatives of `rule.dx` and `rule.dy` in `x` and in `y`
 * agree with central differences of them); and each mode's partial derivatives (the other input
 * held constant) equal the rule's (to `identityRtol`), which checks the
 * arithmetic each mode writes out against the rule.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { binaryRules } from 'autodiff-ts'
 * import { binaryRuleAgreement } from 'autodiff-ts/laws'
 *
 * fc.assert(binaryRuleAgreement((F) => F.div, binaryRules.div, { y: { min: 0.5, max: 5 } }))
 * ```
 *
 * @category laws
 */
export const binaryRuleAgreement = (
  f: BinaryFn,
  rule: BinaryRule,
  options: BinaryLawOptions = {},
): ScalarLaw<readonly [number, number]> => {
  const law = ScalarLawNames.binaryRule
  const law2 = ScalarLawNames.binaryRule2
  const lawModes = ScalarLawNames.binaryRuleModes
  const tol = tolerances(options)
  const xStep = defaultStep(options.x?.kinks ?? [])
  const yStep = defaultStep(options.y?.kinks ?? [])
  const step = options.step ?? ((x: number, y: number) => [xStep(x), yStep(y)] as const)
  const fn = f(N)
  const partials: readonly (readonly [string, BinaryRule['dx']])[] = [
    ['rule.dx', rule.dx],
    ['rule.dy', rule.dy],
  ]
  const arb = options.arbitrary ?? fc.tuple(scalarPoint(options.x), scalarPoint(options.y))
  const cmp = (noise: number) => ({ rtol: tol.rtol, atol: tol.atol, noise })
  return makeLaw(law, arb, ([x, y]) => {
    const input = showPoint({ x, y })
    const [hx, hy] = guard(law, input, 'the step', () => step(x, y))
    for (const h of [hx, hy])
      if (!(h > 0) || !Number.isFinite(h)) throw new LawViolation(law, input, `the finite-difference step is ${h}`)
    const z = guard(law, input, 'f', () => fn(x, y))
    const ruleAt = partials.map(([name, p]) => guard(law, input, name, () => p(N, x, y, z)))
    const fdx = guard(law, input, 'f', () => centralDifference((s) => fn(s, y), x, hx))
    const fdy = guard(law, input, 'f', () => centralDifference((s) => fn(x, s), y, hy))
    compareNumbers(law, input, 'rule.dx against the central difference of f in x', fdx.value, ruleAt[0]!, cmp(fdx.noise))
    compareNumbers(law, input, 'rule.dy against the central difference of f in y', fdy.value, ruleAt[1]!, cmp(fdy.noise))
    // the rule nests: the forward derivatives of each partial against its central differences
    partials.forEach(([name, p]) => {
      const generic: MultiFn = (F) => ([a = F.zero, b = F.zero]) => p(F, a, b, f(F)(a, b))
      const plain = (a: number, b: number): number => p(N, a, b, fn(a, b))
      const [ddx, ddy] = guard(law2, input, `the derivatives of ${name}`, () => [
        Dual.jvp(generic)([x, y], [1, 0])[1],
        Dual.jvp(generic)([x, y], [0, 1])[1],
      ])
      const fx = guard(law2, input, name, () => centralDifference((s) => plain(s, y), x, hx))
      const fy = guard(law2, input, name, () => centralDifference((s) => plain(x, s), y, hy))
      compareNumbers(law2, input, `d/dx ${name} against its central difference`, fx.value, ddx, cmp(fx.noise))
      compareNumbers(law2, input, `d/dy ${name} against its central difference`, fy.value, ddy, cmp(fy.noise))
    })
    const exact = { rtol: tol.identityRtol, atol: tol.atol }
    for (const m of modesOf(options)) {
      const lm = withMode(lawModes, m)
      const dx = guard(lm, input, 'the partial in x', () => m.derivative((F) => (a) => f(F)(a, F.of(y)))(x))
      const dy = guard(lm, input, 'the partial in y', () => m.derivative((F) => (b) => f(F)(F.of(x), b))(y))
      compareNumbers(lm, input, 'the partial in x against rule.dx', ruleAt[0]!, dx, exact)
      compareNumbers(lm, input, 'the partial in y against rule.dy', ruleAt[1]!, dy, exact)
    }
  })
}

// ---------------------------------------------------------------------------------------------
// All the laws of one function

/**
 * What is known about a scalar function, for {@link verifyScalarFn}: where to sample it, and
 * optionally its hand-written derivative and the bounds of its derivative.
 *
 * @category model
 */
export interface ScalarFnSpec extends ScalarLawOptions, RunOptions {
  /** A hand-written derivative to check against (with second derivatives). */
  readonly derivative?: ScalarFn
  /** Bounds of the derivative. */
  readonly bounds?: Interval
}

/**
 * Every applicable scalar law of one generic scalar function, in order: finite differences in
 * both modes, the chain rule (with `sin` outside), the closed form (if `derivative` is given),
 * the bounds (if `bounds` are given). `Left` with the first failure, or `Right` with every pass.
 *
 * @example
 * ```ts
 * import { isRight } from 'fp-ts/lib/Either.js'
 * import { verifyScalarFn } from 'autodiff-ts/laws'
 *
 * isRight(verifyScalarFn((F) => F.atan, { derivative: (F) => (x) => F.recip(F.add(F.one, F.mul(x, x))) }))
 * ```
 *
 * @category running
 */
export const verifyScalarFn = (f: ScalarFn, spec: ScalarFnSpec = {}): Either<LawFailure, readonly LawPass[]> => {
  const sin: ScalarFn = (F) => F.sin
  const laws: ScalarLaw<number>[] = [scalarFiniteDifferences(f, spec), scalarChainRule(f, sin, spec)]
  if (spec.derivative !== undefined) laws.push(closedFormDerivative(f, spec.derivative, spec))
  if (spec.bounds !== undefined) laws.push(derivativeBounds(f, spec.bounds, spec))
  const passes: LawPass[] = []
  for (const law of laws) {
    const r = runScalarLaw(law, spec)
    if (isLeft(r)) return r
    passes.push(r.right)
  }
  return right(passes)
}

/**
 * {@link verifyScalarFn} in one call for a test: throws a `LawError` naming the failing law, the
 * input and both numbers; returns the passes otherwise.
 *
 * @throws LawError on the first law that fails.
 * @example
 * ```ts
 * import type { ScalarFn } from 'autodiff-ts'
 * import { checkScalarFn } from 'autodiff-ts/laws'
 *
 * const softplus: ScalarFn = (F) => (x) => F.log1p(F.exp(x))
 * checkScalarFn(softplus, { derivative: (F) => (x) => F.recip(F.add(F.one, F.exp(F.neg(x)))) })
 * ```
 *
 * @category running
 */
export const checkScalarFn = (f: ScalarFn, spec: ScalarFnSpec = {}): readonly LawPass[] => {
  const r = verifyScalarFn(f, spec)
  if (isLeft(r)) throw new LawError(r.left)
  return r.right
}
