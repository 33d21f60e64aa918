/**
 * Dual numbers and forward-mode differentiation.
 *
 * A dual number `re + eps ε` with `ε² = 0` carries a value and its tangent. Evaluating a generic
 * function on duals computes its derivative along with its value. `Floating<Dual<A>>` is built
 * from `Floating<A>`, so duals nest and give higher derivatives.
 *
 * @packageDocumentation
 */
import { floatingNumber, type Floating, type MultiFn, type ScalarFn, type VectorFn } from './Floating.js'
import { binaryRules, elementaryOps, unaryRules } from './Rule.js'

/**
 * A dual number: a primal value `re` and a tangent `eps`.
 *
 * @category model
 */
export interface Dual<A> {
  /** The primal value. */
  readonly re: A
  /** The tangent: the derivative along the direction being pushed forward. */
  readonly eps: A
}

/**
 * Build a dual number.
 *
 * @example
 * ```ts
 * import { Dual } from 'autodiff-ts'
 *
 * Dual.dual(3, 1) // { re: 3, eps: 1 }: the variable x at x = 3
 * ```
 *
 * @category constructors
 */
export const dual = <A>(re: A, eps: A): Dual<A> => ({ re, eps })

/**
 * Whether a tangent is exactly zero (a constant's), per instance: a zero tangent times an infinite
 * local derivative (sqrt at 0, say) contributes 0, not NaN, as a constant should. Numbers test
 * `=== 0`, duals test both parts, and any other instance tests identity with its `zero`.
 */
const zeroTests = new WeakMap<object, (a: never) => boolean>()
const isZeroIn = <A>(F: Floating<A>): ((a: A) => boolean) =>
  (zeroTests.get(F) as ((a: A) => boolean) | undefined) ?? ((a: A) => a === F.zero)

const R = unaryRules
const B = binaryRules
const N = floatingNumber

/** A one-argument primitive on dual numbers over plain numbers, from its rule. */
const unaryNumber = (name: keyof typeof unaryRules) => {
  const f = N[name]
  const { d } = R[name]
  return (x: Dual<number>): Dual<number> => {
    const y = f(x.re)
    return { re: y, eps: x.eps === 0 ? 0 : x.eps * d(N, x.re, y) }
  }
}

/** A two-argument primitive on dual numbers over plain numbers, from its rule. */
const binaryNumber = (name: keyof typeof binaryRules) => {
  const f = N[name]
  const { dx, dy } = B[name]
  return (x: Dual<number>, y: Dual<number>): Dual<number> => {
    const z = f(x.re, y.re)
    return { re: z, eps: (x.eps === 0 ? 0 : x.eps * dx(N, x.re, y.re, z)) + (y.eps === 0 ? 0 : y.eps * dy(N, x.re, y.re, z)) }
  }
}

/**
 * Forward mode over plain numbers, the common case, written with number arithmetic so that it
 * runs without indirection; each elementary function takes its derivative from its rule in `Rule`.
 */
const forwardNumber: Floating<Dual<number>> = {
  zero: { re: 0, eps: 0 },
  one: { re: 1, eps: 0 },
  degree: () => 1,
  of: (n) => ({ re: n, eps: 0 }),
  primal: (x) => x.re,
  // The arithmetic rules of Rule.ts written out (the law tests check them against Rule.ts): add
  // passes tangents through, mul weighs each by the other input.
  add: (x, y) => ({ re: x.re + y.re, eps: x.eps + y.eps }),
  sub: (x, y) => ({ re: x.re - y.re, eps: x.eps - y.eps }),
  neg: (x) => ({ re: -x.re, eps: -x.eps }),
  mul: (x, y) => ({ re: x.re * y.re, eps: x.eps * y.re + x.re * y.eps }),
  ...elementaryOps(unaryNumber, binaryNumber),
}

const forwardOver = <A>(F: Floating<A>): Floating<Dual<A>> => {
  const isZero = isZeroIn(F)
  const times = (t: A, d: () => A): A => (isZero(t) ? F.zero : F.mul(t, d()))
  const unary = (name: keyof typeof unaryRules) => {
    const f = F[name]
    const { d } = R[name]
    return (x: Dual<A>): Dual<A> => {
      const y = f(x.re)
      return dual(y, times(x.eps, () => d(F, x.re, y)))
    }
  }
  const binary = (name: keyof typeof binaryRules) => {
    const f = F[name]
    const { dx, dy } = B[name]
    return (x: Dual<A>, y: Dual<A>): Dual<A> => {
      const z = f(x.re, y.re)
      return dual(z, F.add(times(x.eps, () => dx(F, x.re, y.re, z)), times(y.eps, () => dy(F, x.re, y.re, z))))
    }
  }
  return {
    zero: dual(F.zero, F.zero),
    one: dual(F.one, F.zero),
    degree: () => 1,
    of: (n) => dual(F.of(n), F.zero),
    primal: (x) => F.primal(x.re),
    add: (x, y) => dual(F.add(x.re, y.re), F.add(x.eps, y.eps)),
    sub: (x, y) => dual(F.sub(x.re, y.re), F.sub(x.eps, y.eps)),
    neg: (x) => dual(F.neg(x.re), F.neg(x.eps)),
    mul: (x, y) => dual(F.mul(x.re, y.re), F.add(F.mul(x.eps, y.re), F.mul(x.re, y.eps))),
    ...elementaryOps(unary, binary),
  }
}

zeroTests.set(N, (a: number) => a === 0)
zeroTests.set(forwardNumber, (a: Dual<number>) => a.re === 0 && a.eps === 0)
const instances = new WeakMap<object, unknown>([[N, forwardNumber]])

/**
 * `Floating` for dual numbers over any `Floating<A>`: forward mode, one rule per primitive (see
 * `Rule`). Nesting it (`getFloating(getFloating(F))`) gives second derivatives. The instance for a
 * given `F` is built once and reused; over plain numbers it is a specialised one.
 *
 * A tangent that is exactly zero (a constant's) stays zero through every primitive, even where
 * the local derivative is infinite: `sqrt` of the constant 0 has tangent 0, not NaN.
 *
 * @example
 * ```ts
 * import { Dual, floatingNumber } from 'autodiff-ts'
 *
 * const D = Dual.getFloating(floatingNumber)
 * D.mul(Dual.dual(3, 1), Dual.dual(3, 1)) // { re: 9, eps: 6 }
 * ```
 *
 * @category instances
 */
export const getFloating = <A>(F: Floating<A>): Floating<Dual<A>> => {
  const known = instances.get(F)
  if (known !== undefined) return known as Floating<Dual<A>>
  const D = forwardOver(F)
  const isZero = isZeroIn(F)
  zeroTests.set(D, (a: Dual<A>) => isZero(a.re) && isZero(a.eps))
  instances.set(F, D)
  return D
}

/**
 * A function differentiated inside another mode, given as a function of that mode's `Floating`
 * and of `lift`, which turns a value of the outer mode into a constant of the inner one. Being
 * generic in `S`, it cannot use an outer variable without lifting it: perturbations of different
 * derivatives cannot be confused.
 *
 * @example
 * ```ts
 * import type { Dual } from 'autodiff-ts'
 *
 * // y => x + y, with x from an outer scope of type A
 * const inner = <A>(x: A): Dual.Lifted<A> => (D, lift) => (y) => D.add(lift(x), y)
 * ```
 *
 * @category model
 */
export type Lifted<A> = <S>(D: Floating<S>, lift: (a: A) => S) => (x: S) => S

/**
 * The derivative of `g` at `x`, computed in the mode `F` (for instance inside another derivative).
 * This is the safe way to nest derivatives: see {@link Lifted}.
 *
 * @example
 * ```ts
 * import { Dual, floatingNumber, type ScalarFn } from 'autodiff-ts'
 *
 * // d/dx [ x * (d/dy (x + y) at y = 1) ] at x = 1 is 1, not 2
 * const f: ScalarFn = (F) => (x) =>
 *   F.mul(x, Dual.derivativeIn(F)((D, lift) => (y) => D.add(lift(x), y))(F.one))
 * Dual.derivative(f)(1) // 1
 * ```
 *
 * @category forward mode
 */
export const derivativeIn =
  <A>(F: Floating<A>) =>
  (g: Lifted<A>): ((x: A) => A) => {
    const h = g(getFloating(F), (a) => dual(a, F.zero))
    return (x) => h(dual(x, F.one)).eps
  }

/**
 * The derivative of a generic scalar function, itself a generic scalar function, so it can be
 * differentiated again or evaluated in any mode.
 *
 * @example
 * ```ts
 * import { Dual, floatingNumber, type ScalarFn } from 'autodiff-ts'
 *
 * const cube: ScalarFn = (F) => (x) => F.mul(x, F.mul(x, x))
 * Dual.derivativeOf(Dual.derivativeOf(cube))(floatingNumber)(2) // 6x = 12
 * ```
 *
 * @category forward mode
 */
export const derivativeOf =
  (f: ScalarFn): ScalarFn =>
  <A>(F: Floating<A>) =>
    derivativeIn(F)((D) => f(D))

/**
 * `f'(x)` by forward mode.
 *
 * @example
 * ```ts
 * import { Dual, type ScalarFn } from 'autodiff-ts'
 *
 * const f: ScalarFn = (F) => (x) => F.sin(F.mul(x, x))
 * Dual.derivative(f)(1) // 2 cos(1)
 * ```
 *
 * @category forward mode
 */
export const derivative = (f: ScalarFn): ((x: number) => number) => {
  const g = f(forwardNumber)
  return (x) => g({ re: x, eps: 1 }).eps
}

/**
 * The n-th derivative, by nesting dual numbers n deep (n = 0 is `f` itself): `nthDerivative(n)`
 * is a transformation like {@link derivative}, which is `nthDerivative(1)`.
 *
 * @throws RangeError if `n` is not a whole number >= 0.
 * @example
 * ```ts
 * import { Dual, type ScalarFn } from 'autodiff-ts'
 *
 * const exp: ScalarFn = (F) => F.exp
 * Dual.nthDerivative(3)(exp)(0) // 1
 * ```
 *
 * @category forward mode
 */
export const nthDerivative = (n: number): ((f: ScalarFn) => (x: number) => number) => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`nthDerivative: expected a whole number n >= 0, got ${n}`)
  return (f) => {
    let g = f
    for (let i = 0; i < n; i++) g = derivativeOf(g)
    return g(floatingNumber)
  }
}

/**
 * Forward mode for a function of several variables to several: the values `f(xs)` and the
 * Jacobian-vector product `J(xs) ts` (the directional derivative along `ts`), in one pass.
 *
 * @example
 * ```ts
 * import { Dual, type VectorFn } from 'autodiff-ts'
 *
 * const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y)]
 * Dual.pushforward(f)([2, 3], [1, 0]) // [[6, 5], [3, 1]]
 * ```
 *
 * @category forward mode
 */
export const pushforward =
  (f: VectorFn) =>
  (xs: readonly number[], ts: readonly number[]): readonly [number[], number[]] => {
    if (xs.length !== ts.length)
      throw new RangeError(`pushforward: expected as many tangents as inputs (${xs.length}), got ${ts.length}`)
    const ys = f(forwardNumber)(xs.map((x, i) => dual(x, ts[i]!)))
    return [ys.map((y) => y.re), ys.map((y) => y.eps)]
  }

/**
 * Forward mode for a function of several variables to one: the value `f(xs)` and the
 * directional derivative `∇f(xs) · ts`.
 *
 * @example
 * ```ts
 * import { Dual, type MultiFn } from 'autodiff-ts'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(x, y)
 * Dual.jvp(f)([2, 3], [1, 1]) // [6, 5]
 * ```
 *
 * @category forward mode
 */
export const jvp =
  (f: MultiFn) =>
  (xs: readonly number[], ts: readonly number[]): readonly [number, number] => {
    const [[y = NaN], [dy = NaN]] = pushforward((F) => (as) => [f(F)(as)])(xs, ts)
    return [y, dy]
  }

/**
 * The Jacobian matrix `J[i][j] = d f_i / d x_j` by forward mode: one pass of dual numbers per
 * input, so the cheaper choice when there are fewer inputs than outputs (otherwise see
 * `Reverse.jacrev`).
 *
 * @example
 * ```ts
 * import { Dual, type VectorFn } from 'autodiff-ts'
 *
 * const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y)]
 * Dual.jacfwd(f)([2, 3]) // [[3, 2], [1, 1]]
 * ```
 *
 * @category forward mode
 */
export const jacfwd =
  (f: VectorFn) =>
  (xs: readonly number[]): number[][] => {
    const g = f(forwardNumber)
    const columns = xs.map((_, j) => g(xs.map((x, i) => dual(x, i === j ? 1 : 0))))
    const m = columns[0]?.length ?? f(floatingNumber)(xs).length
    return Array.from({ length: m }, (_, i) => columns.map((col) => col[i]!.eps))
  }
