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
export type { BinaryFn, BinaryPullback, Mode, ScalarLaw, ScalarLawOptions } from './scalar/model.js'
export { ScalarLawNames } from './scalar/model.js'
export { bothModes, forwardMode, forwardModeOf, reverseMode } from './scalar/modes.js'
export { checkScalarLaw, runScalarLaw } from './scalar/runner.js'
export type { Difference } from './scalar/difference.js'
export { centralDifference } from './scalar/difference.js'
export { scalarChainRule } from './scalar/chain.js'
export type { BackwardRuleOptions } from './scalar/backward.js'
export { reversePullback, rulePullback, scalarAddRule, scalarMulRule } from './scalar/backward.js'
export type { MultiLawOptions } from './scalar/agreement.js'
export { forwardReverseAgreement, multiFiniteDifferences, scalarFiniteDifferences } from './scalar/agreement.js'
export type { Interval } from './scalar/bounds.js'
export { derivativeBounds, derivativeValues } from './scalar/bounds.js'
export type { OrderOptions } from './scalar/identities.js'
export { closedFormDerivative, scalarIdentity } from './scalar/identities.js'
export type { BinaryLawOptions } from './scalar/rules.js'
export { binaryRuleAgreement, unaryRuleAgreement } from './scalar/rules.js'
export type { ScalarFnSpec } from './scalar/verify.js'
export { checkScalarFn, verifyScalarFn } from './scalar/verify.js'
