/**
 * The model of the scalar laws: a {@link Mode} of differentiation, generic binary functions and
 * their pullbacks, a {@link ScalarLaw} (a fast-check property that carries its name, arbitrary and
 * check), the options of the laws of one function, and the names of the laws.
 *
 * @packageDocumentation
 */
import type { Arbitrary, IPropertyWithHooks } from 'fast-check'
import type { Floating, ScalarFn } from '../../src/Floating.js'
import type { PointOptions } from '../arbitraries.js'
import type { Tolerances } from '../law-runner.js'

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
