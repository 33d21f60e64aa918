/**
 * Laws of the tensor algebra's primitives (and of any function of tensors written against it),
 * in every mode: plain (every mode computes the plain value), forward (JVP against central
 * differences), reverse (the dot-product test against forward mode) and nested
 * (forward-over-reverse Hessian-vector products equal reverse-over-reverse ones and central
 * differences of gradients); and the batching laws of `program-vmap.ts`.
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import * as Program from '../src/program/index.js'
import type { Algebra } from '../src/program/index.js'
import type { Tensor } from '../src/Tensor.js'
import type { ProgramCase } from './program-case.js'
import { along, flat, ofShape, paired, tupled } from './program-case.js'
import { checkVmap, vmapLawNames } from './program-vmap.js'
import type { LawResult, RunOptions, Tolerances } from './law-runner.js'
import { compareNumbers, compareVectors, guard, runLaw, showPoint } from './law-runner.js'

export type { ProgramCase } from './program-case.js'

/**
 * Names of the program laws, one per mode (and the two batching laws).
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
  plain: 'plain: every mode computes the plain value',
  /** Forward mode. */
  forward: 'forward: jvp(x, t) = central difference of f along t',
  /** Reverse mode. */
  reverse: 'reverse: <jvp(x, t), c> = <t, vjp(x)(c)>',
  /** Nested modes. */
  nested: 'nested: forward-over-reverse hvp = reverse-over-reverse hvp = central difference of gradients',
  /** `vmap` against a loop over examples, composed with jvp and vjp. */
  vmap: vmapLawNames.vmap,
  /** `vmap` of `vmap`. */
  nestedVmap: vmapLawNames.nested,
} as const

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

const dot = (a: readonly Tensor[], b: readonly Tensor[]): number => {
  let s = 0
  a.forEach((t, i) => t.data.forEach((v, j) => (s += v * b[i]!.data[j]!)))
  return s
}

const H = 1e-6

/**
 * Runs the program laws on a case: plain, forward, reverse and nested, and the batching laws of
 * `checkVmap` (vmap against a loop over examples, and nested vmap), each on `numRuns` points
 * (default 100). Returns one result per law, named by {@link programLawNames}.
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
  return [plainLaw, forwardLaw, reverseLaw, nestedLaw, ...checkVmap(c, options)]
}
