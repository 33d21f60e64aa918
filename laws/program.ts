/**
 * Laws of the tensor algebra's primitives (and of any function of tensors written against it),
 * in every mode: plain (every mode computes the plain value; `vmap` equals a loop over
 * examples), forward (JVP against central differences), reverse (the dot-product test against
 * forward mode) and nested (forward-over-reverse Hessian-vector products equal
 * reverse-over-reverse ones and central differences of gradients).
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import * as Program from '../src/program/index.js'
import type { Algebra, TensorFn } from '../src/program/index.js'
import type { Shape, Tensor } from '../src/Tensor.js'
import { fromData } from '../src/Tensor.js'
import { tensorOf } from './arbitraries-tensor.js'
import type { LawResult, RunOptions, Tolerances } from './law-runner.js'
import { compareNumbers, compareVectors, guard, runLaw, showPoint } from './law-runner.js'

/**
 * A function of tensors under test, with an arbitrary of its arguments (drawn away from its
 * kinks, where the finite-difference laws do not hold).
 *
 * @example
 * ```ts
 * import { tensorOf, type ProgramCase } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * const c: ProgramCase = { name: 'exp', f: (A) => (x) => A.exp(x!), args: fc.tuple(tensorOf([2, 3], { min: -2, max: 2 })) }
 * ```
 * @category laws
 */
export interface ProgramCase {
  /** The name in law messages. */
  readonly name: string
  /** The function, written against the algebra. */
  readonly f: TensorFn
  /** Its arguments. */
  readonly args: Arbitrary<readonly Tensor[]>
}

/**
 * Names of the program laws, one per mode.
 *
 * @example
 * ```ts
 * import { programLawNames } from 'autodiff-ts/laws'
 *
 * programLawNames.forward // 'forward: jvp(x, t) = central difference of f along t'
 * ```
 * @category laws
 */
export const programLawNames = {
  /** Plain mode. */
  plain: 'plain: every mode computes the plain value, and vmap equals a loop over examples',
  /** Forward mode. */
  forward: 'forward: jvp(x, t) = central difference of f along t',
  /** Reverse mode. */
  reverse: 'reverse: <jvp(x, t), c> = <t, vjp(x)(c)>',
  /** Nested modes. */
  nested: 'nested: forward-over-reverse hvp = reverse-over-reverse hvp = central difference of gradients',
} as const

/** A tensor of shape `s`, entries evenly spread over [-1, 1] (fc.double crowds them near 0). */
const ofShape = (s: Shape): Arbitrary<Tensor> => tensorOf(s, { min: -1, max: 1 })
const tangentsLike = (xs: readonly Tensor[]): Arbitrary<Tensor[]> => fc.tuple(...xs.map((x) => ofShape(x.shape)))

interface Point {
  readonly xs: readonly Tensor[]
  readonly ts: readonly Tensor[]
  readonly c: Tensor
}

const point = (c: ProgramCase): Arbitrary<Point> =>
  c.args.chain((xs) => {
    const y = c.f(Program.plain)(...xs)
    return fc.record({ xs: fc.constant(xs), ts: tangentsLike(xs), c: ofShape(y.shape) })
  })

const flat = (ts: readonly Tensor[]): Float64Array => Float64Array.from(ts.flatMap((t) => Array.from(t.data)))
const dot = (a: readonly Tensor[], b: readonly Tensor[]): number => {
  let s = 0
  a.forEach((t, i) => t.data.forEach((v, j) => (s += v * b[i]!.data[j]!)))
  return s
}
const along = (xs: readonly Tensor[], ts: readonly Tensor[], h: number): Tensor[] =>
  xs.map((x, i) => fromData(x.shape, Array.from(x.data, (v, j) => v + h * ts[i]!.data[j]!)))
const stack = (a: Tensor, b: Tensor): Tensor => fromData([2, ...a.shape], [...a.data, ...b.data])

/** `f` as a program of one argument, the tuple of tensors. */
const tupled = (f: TensorFn) => <T>(A: Algebra<T>) => (xs: readonly T[]) => f(A)(...xs)
/** `<f(xs), c>`, a program returning one number. */
const paired = (f: TensorFn) => <T>(A: Algebra<T>) => (xs: readonly T[], c: T) => A.sum(A.mul(f(A)(...xs), c))

const H = 1e-6

/**
 * Runs the four program laws on a case: plain, forward, reverse and nested, each on `numRuns`
 * points (default 100). Returns one result per law, named by {@link programLawNames}.
 *
 * @example
 * ```ts
 * import { checkProgram, tensorOf } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * const results = checkProgram({ name: 'tanh', f: (A) => (x) => A.tanh(x!), args: fc.tuple(tensorOf([3], { min: -2, max: 2 })) }, { numRuns: 20 })
 * results.every((r) => r._tag === 'Right') // true
 * ```
 * @category laws
 */
export const checkProgram = (c: ProgramCase, options: RunOptions & Tolerances = {}): readonly LawResult[] => {
  const { rtol = 1e-6, identityRtol = 1e-9, atol = 1e-9 } = options
  const f = c.f
  const P = Program.plain
  const law = (name: string) => `${c.name}: ${name}`
  const show = (p: Point) => showPoint({ xs: p.xs, t: p.ts, c: p.c })
  const plainLaw = runLaw(law(programLawNames.plain), point(c), (p) => {
    const l = law(programLawNames.plain)
    const at = show(p)
    const y = guard(l, at, 'the plain value', () => f(P)(...p.xs))
    const [yf] = guard(l, at, 'forward mode', () => Program.jvp(tupled(f))(p.xs, p.ts))
    const [yr] = guard(l, at, 'reverse mode', () => Program.vjp(tupled(f))(p.xs))
    compareVectors(l, at, 'the forward-mode value', y.data as Float64Array, yf.data as Float64Array, { rtol: 0, atol: 0 })
    compareVectors(l, at, 'the reverse-mode value', y.data as Float64Array, yr.data as Float64Array, { rtol: 0, atol: 0 })
    // a batch of two examples: p.xs and p.xs moved a little along t
    const xs2 = along(p.xs, p.ts, 1e-2)
    const y2 = guard(l, at, 'the plain value of the second example', () => f(P)(...xs2))
    const yb = guard(l, at, 'vmap', () => Program.vmap(tupled(f))(p.xs.map((x, i) => stack(x, xs2[i]!))))
    compareVectors(l, at, 'vmap of a batch of two', flat([y, y2]), yb.data as Float64Array, { rtol: identityRtol, atol })
  }, options)
  const forwardLaw = runLaw(law(programLawNames.forward), point(c), (p) => {
    const l = law(programLawNames.forward)
    const at = show(p)
    const [, dy] = guard(l, at, 'jvp', () => Program.jvp(tupled(f))(p.xs, p.ts))
    const [yp, ym] = [f(P)(...along(p.xs, p.ts, H)), f(P)(...along(p.xs, p.ts, -H))]
    const fd = Float64Array.from(yp.data, (v, i) => (v - ym.data[i]!) / (2 * H))
    const noise = Float64Array.from(yp.data, (v, i) => (1e-15 * (Math.abs(v) + Math.abs(ym.data[i]!))) / H)
    compareVectors(l, at, 'the jvp', fd, dy.data as Float64Array, { rtol, atol, noise })
  }, options)
  const reverseLaw = runLaw(law(programLawNames.reverse), point(c), (p) => {
    const l = law(programLawNames.reverse)
    const at = show(p)
    const [, dy] = guard(l, at, 'jvp', () => Program.jvp(tupled(f))(p.xs, p.ts))
    const [, back] = guard(l, at, 'vjp', () => Program.vjp(tupled(f))(p.xs))
    const g = guard(l, at, 'the pullback', () => back(p.c))
    const lhs = dot([dy], [p.c])
    compareNumbers(l, at, '<t, vjp(c)>', lhs, dot(g, p.ts), { rtol: identityRtol, atol, scale: Math.abs(lhs) + 1 })
  }, options)
  const nestedLaw = runLaw(law(programLawNames.nested), point(c), (p) => {
    const l = law(programLawNames.nested)
    const at = show(p)
    const phi = paired(f)
    const fr = guard(l, at, 'forward over reverse', () => Program.hvp(phi)(p.xs, p.ts, p.c))
    const rr = guard(l, at, 'reverse over reverse', () =>
      Program.grad(<T>(A: Algebra<T>) => (xs: readonly T[], ts: readonly T[], cc: T) => {
        const g = Program.gradIn(A)(<S>(S: Algebra<S>, lift: (t: T) => S) => (q: readonly S[]) => phi(S)(q, lift(cc)))(xs)
        return g.map((gi, i) => A.sum(A.mul(gi, ts[i]!))).reduce((a, b) => A.add(a, b))
      })(p.xs, p.ts, p.c),
    )
    compareVectors(l, at, 'reverse over reverse', flat(fr), flat(rr), { rtol: identityRtol, atol })
    const gp = Program.grad(phi)(along(p.xs, p.ts, H), p.c)
    const gm = Program.grad(phi)(along(p.xs, p.ts, -H), p.c)
    const [a, b] = [flat(gp), flat(gm)]
    const fd = Float64Array.from(a, (v, i) => (v - b[i]!) / (2 * H))
    const noise = Float64Array.from(a, (v, i) => (1e-15 * (Math.abs(v) + Math.abs(b[i]!))) / H)
    compareVectors(l, at, 'forward over reverse against differences of gradients', fd, flat(fr), { rtol, atol, noise })
  }, options)
  return [plainLaw, forwardLaw, reverseLaw, nestedLaw]
}
