/**
 * The `Floating` type class: numbers you can differentiate through.
 *
 * A scalar function is written once, generically, as `<A>(F: Floating<A>) => (x: A) => A`, and
 * every mode evaluates that same definition: plain numbers ({@link floatingNumber}), dual numbers
 * for forward mode (`Dual.getFloating`), and tape variables for reverse mode (`Reverse`).
 *
 * @packageDocumentation
 */
import type { Field } from 'fp-ts/lib/Field.js'
import { erf, erfc } from './Special.js'

/**
 * A field with the elementary functions, like Haskell's `Floating`. Extends fp-ts `Field`.
 *
 * @example
 * ```ts
 * import { floatingNumber, type Floating } from 'autodiff-ts'
 *
 * // written once, evaluated in every mode
 * const softplus = <A>(F: Floating<A>) => (x: A): A => F.log1p(F.exp(x))
 * softplus(floatingNumber)(0) // Math.log(2)
 * ```
 *
 * @category model
 */
export interface Floating<A> extends Field<A> {
  /** Lift a constant: a value whose derivative is zero. */
  readonly of: (n: number) => A
  /** The plain number underneath (the primal), for branching such as `x > 0`. */
  readonly primal: (a: A) => number
  /** `-x` */
  readonly neg: (x: A) => A
  /** `1 / x` */
  readonly recip: (x: A) => A
  /** `|x|`; its derivative at 0 is 0 (a local minimum). */
  readonly abs: (x: A) => A
  /** The square root; its derivative at 0 is `+Infinity`, the limit. */
  readonly sqrt: (x: A) => A
  /** `e^x` */
  readonly exp: (x: A) => A
  /** `e^x - 1`, accurate near 0. */
  readonly expm1: (x: A) => A
  /** The natural logarithm; its derivative at 0 is `+Infinity`, the limit. */
  readonly log: (x: A) => A
  /** `log(1 + x)`, accurate near 0. */
  readonly log1p: (x: A) => A
  /** `x^y`; the derivative in `y` is taken as 0 where `x <= 0`. */
  readonly pow: (x: A, y: A) => A
  /** sine */
  readonly sin: (x: A) => A
  /** cosine */
  readonly cos: (x: A) => A
  /** tangent */
  readonly tan: (x: A) => A
  /** arc sine */
  readonly asin: (x: A) => A
  /** arc cosine */
  readonly acos: (x: A) => A
  /** arc tangent */
  readonly atan: (x: A) => A
  /** hyperbolic sine */
  readonly sinh: (x: A) => A
  /** hyperbolic cosine */
  readonly cosh: (x: A) => A
  /** hyperbolic tangent; its derivative is `sech(x)^2`, accurate in the tails. */
  readonly tanh: (x: A) => A
  /** The error function. */
  readonly erf: (x: A) => A
  /** The complementary error function `1 - erf(x)`, accurate for large `x`. */
  readonly erfc: (x: A) => A
}

/**
 * The names of the one-argument elementary functions of {@link Floating}.
 *
 * @category model
 */
export type UnaryName =
  | 'neg'
  | 'recip'
  | 'abs'
  | 'sqrt'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'asin'
  | 'acos'
  | 'atan'
  | 'sinh'
  | 'cosh'
  | 'tanh'
  | 'erf'
  | 'erfc'

/**
 * The names of the two-argument operations of {@link Floating}.
 *
 * @category model
 */
export type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'pow'

/**
 * `Floating` for plain JavaScript numbers: evaluation without derivatives.
 *
 * @example
 * ```ts
 * import { floatingNumber as F } from 'autodiff-ts'
 *
 * F.add(F.exp(0), F.of(1)) // 2
 * ```
 *
 * @category instances
 */
export const floatingNumber: Floating<number> = {
  zero: 0,
  one: 1,
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  mod: (x, y) => x % y,
  degree: () => 1,
  of: (n) => n,
  primal: (a) => a,
  neg: (x) => -x,
  recip: (x) => 1 / x,
  abs: Math.abs,
  sqrt: Math.sqrt,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  pow: Math.pow,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  erf,
  erfc,
}

/**
 * A scalar function written once for every {@link Floating} instance.
 *
 * @example
 * ```ts
 * import type { ScalarFn } from 'autodiff-ts'
 *
 * const square: ScalarFn = (F) => (x) => F.mul(x, x)
 * ```
 *
 * @category model
 */
export type ScalarFn = <A>(F: Floating<A>) => (x: A) => A

/**
 * A function of several scalars to one, written once for every {@link Floating} instance.
 *
 * @example
 * ```ts
 * import type { MultiFn } from 'autodiff-ts'
 *
 * // the lecture's example: z = (x + y)^2
 * const z: MultiFn = (F) => ([x = F.zero, y = F.zero]) => {
 *   const t = F.add(x, y)
 *   return F.mul(t, t)
 * }
 * ```
 *
 * @category model
 */
export type MultiFn = <A>(F: Floating<A>) => (xs: readonly A[]) => A

/**
 * A function of several scalars to several, written once for every {@link Floating} instance.
 *
 * @example
 * ```ts
 * import type { VectorFn } from 'autodiff-ts'
 *
 * const polar: VectorFn = (F) => ([r = F.zero, t = F.zero]) => [F.mul(r, F.cos(t)), F.mul(r, F.sin(t))]
 * ```
 *
 * @category model
 */
export type VectorFn = <A>(F: Floating<A>) => (xs: readonly A[]) => readonly A[]
