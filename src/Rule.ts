/**
 * The differentiation rule of every scalar primitive of {@link Floating}, in one place.
 *
 * A rule gives the local (partial) derivatives of a primitive, written in any `Floating` so they
 * nest for higher derivatives. Forward mode (`Dual`) multiplies them by the input tangents and
 * sums; reverse mode (`Reverse`) multiplies the output cotangent by them and sends the products
 * back. One rule, both modes.
 *
 * @packageDocumentation
 */
import type { BinaryName, Floating, UnaryName } from './Floating.js'

/**
 * The rule of a one-argument primitive `y = f(x)`.
 *
 * @category model
 */
export interface UnaryRule {
  /** `f'(x)`, given `x` and the already computed `y = f(x)`. */
  readonly d: <A>(F: Floating<A>, x: A, y: A) => A
  /** The convention where `f` is not differentiable, in words; absent where it always is. */
  readonly kink?: string
}

/**
 * The rule of a two-argument primitive `z = f(x, y)`: both partial derivatives.
 *
 * @category model
 */
export interface BinaryRule {
  /** `df/dx` at `(x, y)`, given `z = f(x, y)`. */
  readonly dx: <A>(F: Floating<A>, x: A, y: A, z: A) => A
  /** `df/dy` at `(x, y)`, given `z = f(x, y)`. */
  readonly dy: <A>(F: Floating<A>, x: A, y: A, z: A) => A
  /** The convention where `f` is not differentiable, in words. */
  readonly kink?: string
}

/** The sign of `x` as a constant: 0 at 0 (and at -0), NaN at NaN. */
const sign = <A>(F: Floating<A>, x: A): A => {
  const p = F.primal(x)
  return F.of(p > 0 ? 1 : p < 0 ? -1 : p === 0 ? 0 : NaN)
}
/** `1 / sqrt(1 - x^2)`, the derivative of asin; `(1 - x)(1 + x)` does not cancel near |x| = 1. */
const invSqrt1m2 = <A>(F: Floating<A>, x: A): A => F.recip(F.sqrt(F.mul(F.sub(F.one, x), F.add(F.one, x))))
/**
 * `sech(x)^2 = 4e / (1 + e)^2` with `e = exp(-2|x|)`, the derivative of tanh: it neither overflows
 * nor cancels in the tails, where `1 - tanh^2` is 0 beyond |x| of about 19. The sign of the
 * exponent is chosen by branching on `x` rather than through `abs`, so that every higher
 * derivative is that of the same analytic formula.
 */
const sech2 = <A>(F: Floating<A>, x: A): A => {
  const e = F.exp(F.mul(F.of(F.primal(x) >= 0 ? -2 : 2), x))
  const s = F.add(F.one, e)
  return F.div(F.mul(F.of(4), e), F.mul(s, s))
}
/** `2 / sqrt(pi) * exp(-x^2)`, the derivative of erf. */
const gauss = <A>(F: Floating<A>, x: A): A => F.mul(F.of(2 / Math.sqrt(Math.PI)), F.exp(F.neg(F.mul(x, x))))

/**
 * The rules of the one-argument primitives.
 *
 * @example
 * ```ts
 * import { unaryRules, floatingNumber as F } from 'autodiff-ts'
 *
 * unaryRules.sin.d(F, 0, Math.sin(0)) // cos(0) = 1
 * ```
 *
 * @category rules
 */
export const unaryRules: { readonly [K in UnaryName]: UnaryRule } = {
  neg: { d: (F) => F.of(-1) },
  recip: { d: (F, _x, y) => F.neg(F.mul(y, y)) },
  abs: { d: (F, x) => sign(F, x), kink: "abs'(0) = 0, a local minimum" },
  // at 0 (and -0, where 1 / (2y) would be -Infinity) the derivative is the limit from the right
  sqrt: { d: (F, _x, y) => (F.primal(y) === 0 ? F.of(Infinity) : F.recip(F.mul(F.of(2), y))), kink: "sqrt'(0) = +Infinity, the one-sided limit" },
  exp: { d: (_F, _x, y) => y },
  expm1: { d: (F, x) => F.exp(x) },
  log: { d: (F, x) => (F.primal(x) === 0 ? F.of(Infinity) : F.recip(x)), kink: "log'(0) = +Infinity, the one-sided limit" },
  log1p: { d: (F, x) => F.recip(F.add(F.one, x)) },
  sin: { d: (F, x) => F.cos(x) },
  cos: { d: (F, x) => F.neg(F.sin(x)) },
  tan: { d: (F, _x, y) => F.add(F.one, F.mul(y, y)) },
  asin: { d: (F, x) => invSqrt1m2(F, x) },
  acos: { d: (F, x) => F.neg(invSqrt1m2(F, x)) },
  atan: { d: (F, x) => F.recip(F.add(F.one, F.mul(x, x))) },
  sinh: { d: (F, x) => F.cosh(x) },
  cosh: { d: (F, x) => F.sinh(x) },
  tanh: { d: (F, x) => sech2(F, x) },
  erf: { d: (F, x) => gauss(F, x) },
  erfc: { d: (F, x) => F.neg(gauss(F, x)) },
}

/**
 * The rules of the two-argument primitives. The add node passes the cotangent through to both
 * inputs unchanged (both partials are 1); the mul node sends each input the cotangent times the
 * other input.
 *
 * @example
 * ```ts
 * import { binaryRules, floatingNumber as F } from 'autodiff-ts'
 *
 * binaryRules.mul.dx(F, 3, 5, 15) // 5: the other input
 * ```
 *
 * @category rules
 */
export const binaryRules: { readonly [K in BinaryName]: BinaryRule } = {
  add: { dx: (F) => F.one, dy: (F) => F.one },
  sub: { dx: (F) => F.one, dy: (F) => F.of(-1) },
  mul: { dx: (_F, _x, y) => y, dy: (_F, x) => x },
  div: { dx: (F, _x, y) => F.recip(y), dy: (F, _x, y, z) => F.neg(F.div(z, y)) },
  mod: {
    dx: (F) => F.one,
    dy: (F, x, y) => F.of(-Math.trunc(F.primal(x) / F.primal(y))),
    kink: 'at the jumps of x mod y the derivative is taken from the side the quotient rounds to',
  },
  pow: {
    // y x^(y-1) is 0 * Infinity at x = y = 0, where x^0 = 1 is constant in x
    dx: (F, x, y) =>
      F.primal(y) === 0 && F.primal(x) === 0 ? F.zero : F.mul(y, F.pow(x, F.sub(y, F.one))),
    dy: (F, x, _y, z) => {
      const p = F.primal(x)
      return p > 0 ? F.mul(z, F.log(x)) : Number.isNaN(p) ? F.of(NaN) : F.zero
    },
    kink: 'd/dy x^y = 0 where x <= 0 (x^y is not differentiable in y there); d/dx x^0 = 0 at x = 0',
  },
}

/**
 * The names of the elementary functions: every one-argument primitive except `neg`.
 *
 * @category model
 */
export type ElementaryName = Exclude<UnaryName, 'neg'>

/**
 * The names of the two-argument primitives that have no shortcut in any mode.
 *
 * @category model
 */
export type QuotientName = Exclude<BinaryName, 'add' | 'sub' | 'mul'>

/**
 * The part of a {@link Floating} instance that every mode builds the same way, one entry per rule.
 *
 * @category model
 */
export type ElementaryOps<A> = { readonly [K in ElementaryName]: (x: A) => A } & {
  readonly [K in QuotientName]: (x: A, y: A) => A
}

/**
 * Build the elementary functions (and `div`, `mod`, `pow`) of a `Floating` instance from one
 * builder for one-argument primitives and one for two-argument primitives, each given the
 * primitive's name (and so its rule). Every mode of the library is made this way; so can yours.
 *
 * @example
 * ```ts
 * import { elementaryOps, floatingNumber as N } from 'autodiff-ts'
 *
 * // plain numbers that count how often each function is called
 * const calls: Record<string, number> = {}
 * const ops = elementaryOps<number>(
 *   (name) => (x) => ((calls[name] = (calls[name] ?? 0) + 1), N[name](x)),
 *   (name) => (x, y) => N[name](x, y),
 * )
 * ops.exp(0) // 1, and calls.exp === 1
 * ```
 *
 * @category rules
 */
export const elementaryOps = <A>(
  unary: (name: ElementaryName) => (x: A) => A,
  binary: (name: QuotientName) => (x: A, y: A) => A,
): ElementaryOps<A> => ({
  recip: unary('recip'),
  abs: unary('abs'),
  sqrt: unary('sqrt'),
  exp: unary('exp'),
  expm1: unary('expm1'),
  log: unary('log'),
  log1p: unary('log1p'),
  sin: unary('sin'),
  cos: unary('cos'),
  tan: unary('tan'),
  asin: unary('asin'),
  acos: unary('acos'),
  atan: unary('atan'),
  sinh: unary('sinh'),
  cosh: unary('cosh'),
  tanh: unary('tanh'),
  erf: unary('erf'),
  erfc: unary('erfc'),
  div: binary('div'),
  mod: binary('mod'),
  pow: binary('pow'),
})
