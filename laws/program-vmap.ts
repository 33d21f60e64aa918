/**
 * The batching laws of a function of tensors written against the algebra: `vmap(f)` equals `f`
 * applied to each example and stacked, whichever arguments are batched and along which axes; the
 * same for `vmap` of `vmap` (two levels, each with its own batch axis); and `vmap` commutes with
 * forward and reverse mode (vmap of jvp, jvp of vmap, vmap of vjp, vjp of vmap).
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
import type { LawResult, RunOptions, Tolerances } from './law-runner.js'
import { LawViolation, compareVectors, guard, runLaw, showPoint } from './law-runner.js'

/**
 * Names of the batching laws.
 *
 * @example
 * ```ts
 * import { vmapLawNames } from 'autodiff-ts/laws'
 *
 * vmapLawNames.nested // 'nested vmap: vmap(vmap(f)) = f on every pair of examples, stacked on two axes'
 * ```
 * @category laws
 */
export const vmapLawNames = {
  /** One level, composed with jvp and vjp. */
  vmap: 'vmap: vmap(f) = f on each example, stacked (any arguments shared, any in and out axes), and vmap commutes with jvp and vjp',
  /** Two levels. */
  nested: 'nested vmap: vmap(vmap(f)) = f on every pair of examples, stacked on two axes',
} as const

const P = Program.plain

/** `ys` stacked along a new axis `axis`. */
const stackAt = (ys: readonly Tensor[], axis: number): Tensor =>
  P.concat(ys.map((y) => P.reshape(y, [...y.shape.slice(0, axis), 1, ...y.shape.slice(axis)])), axis)

/** At least one `true`. */
const someFlags = (n: number): Arbitrary<boolean[]> =>
  fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((b) => (b.some((x) => x) ? b : b.map((_, i) => i === 0)))

interface Point {
  readonly xs: readonly Tensor[]
  readonly ts: readonly Tensor[]
  readonly cs: readonly Tensor[]
  readonly batched: readonly boolean[]
  readonly axes: readonly number[]
  readonly out: number
  readonly inner: readonly boolean[]
}

const N = 3
const M = 2
/** Example `k` of `N` (and `j` of `M` for the nested law): `xs` moved a little along `ts`. */
const example = (xs: readonly Tensor[], ts: readonly Tensor[], k: number, j = 0): Tensor[] => along(xs, ts, 0.01 * k - 0.004 * j)

const point = (c: ProgramCase): Arbitrary<Point> =>
  c.args.chain((xs) => {
    const y = c.f(P)(...xs)
    return fc.record({
      xs: fc.constant(xs),
      ts: fc.tuple(...xs.map((x) => ofShape(x.shape))),
      cs: fc.tuple(...Array.from({ length: N }, () => ofShape(y.shape))),
      batched: someFlags(xs.length),
      axes: fc.tuple(...xs.map((x) => fc.integer({ min: 0, max: x.shape.length }))),
      out: fc.integer({ min: 0, max: y.shape.length }),
      inner: someFlags(xs.length),
    })
  })

const sameShape = (law: string, at: string, what: string, expected: Tensor, actual: Tensor): void => {
  if (expected.shape.length !== actual.shape.length || expected.shape.some((d, i) => d !== actual.shape[i]))
    throw new LawViolation(law, at, `${what} has shape [${actual.shape.join(', ')}], expected [${expected.shape.join(', ')}]`)
}

/**
 * Runs the batching laws on a case, each on `numRuns` points (default 100): {@link vmapLawNames}.
 *
 * @example
 * ```ts
 * import { checkVmap, tensorOf } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * const results = checkVmap({ name: 'mul', f: (A) => (x, y) => A.mul(x!, y!), args: fc.tuple(tensorOf([2], { min: -1, max: 1 }), tensorOf([2, 2], { min: -1, max: 1 })) }, { numRuns: 20 })
 * results.every((r) => r._tag === 'Right') // true
 * ```
 * @category laws
 */
export const checkVmap = (c: ProgramCase, options: RunOptions & Tolerances = {}): readonly LawResult[] => {
  const { identityRtol = 1e-9, atol = 1e-9 } = options
  const f = c.f
  const tol = { rtol: identityRtol, atol }
  const show = (p: Point) => showPoint({ xs: p.xs, t: p.ts, batched: p.batched, axes: p.axes, out: p.out, inner: p.inner })
  const same = (law: string, at: string, what: string, expected: Tensor, actual: Tensor): void => {
    sameShape(law, at, what, expected, actual)
    compareVectors(law, at, what, expected.data as Float64Array, actual.data as Float64Array, tol)
  }
  const vmapLaw = runLaw(`${c.name}: ${vmapLawNames.vmap}`, point(c), (p) => {
    const l = `${c.name}: ${vmapLawNames.vmap}`
    const at = show(p)
    const exs = Array.from({ length: N }, (_, k) => example(p.xs, p.ts, k))
    // a batched argument stacks its examples along its axis; a shared one is example 0's
    const inputs = p.xs.map((x, i) => (p.batched[i] ? stackAt(exs.map((e) => e[i]!), p.axes[i]!) : x))
    const args = (k: number) => p.xs.map((x, i) => (p.batched[i] ? exs[k]![i]! : x))
    const inAxes = p.batched.map((b, i) => (b ? p.axes[i]! : null))
    const ys = Array.from({ length: N }, (_, k) => guard(l, at, `f on example ${k}`, () => f(P)(...args(k))))
    const yb = guard(l, at, 'vmap', () => Program.vmap(f, inAxes, p.out)(...inputs))
    same(l, at, 'vmap', stackAt(ys, p.out), yb)
    // forward mode: jvp of vmap and vmap of jvp, against jvp on each example (shared tangents for shared arguments)
    const tangents = p.xs.map((_, i) => (p.batched[i] ? stackAt(Array.from({ length: N }, () => p.ts[i]!), p.axes[i]!) : p.ts[i]!))
    const dys = Array.from({ length: N }, (_, k) => Program.jvp(tupled(f))(args(k), p.ts)[1])
    const batchedF = <T>(A: Algebra<T>) => (xs: readonly T[]) => Program.vmapIn(A)((S: Algebra<T>) => (...ys: T[]) => f(S)(...ys), inAxes)(...xs) as T
    const jvpOfVmap = guard(l, at, 'jvp of vmap', () => Program.jvp(batchedF)(inputs, tangents)[1])
    same(l, at, 'jvp of vmap', stackAt(dys, 0), jvpOfVmap)
    const vmapOfJvp = guard(l, at, 'vmap of jvp', () =>
      Program.vmap(<T>(A: Algebra<T>) => (...xts: T[]) => Program.jvpIn(A)(tupled(f))(xts.slice(0, p.xs.length), xts.slice(p.xs.length))[1], [...inAxes, ...inAxes])(
        ...inputs,
        ...tangents,
      ),
    )
    same(l, at, 'vmap of jvp', stackAt(dys, 0), vmapOfJvp)
    // reverse mode: vjp of vmap (the shared arguments' cotangents summed over the examples) and vmap of vjp
    const gs = Array.from({ length: N }, (_, k) => Program.vjp(tupled(f))(args(k))[1](p.cs[k]!))
    const [, back] = guard(l, at, 'vjp of vmap', () => Program.vjp(batchedF)(inputs))
    const gb = guard(l, at, 'the pullback of vmap', () => back(stackAt(p.cs, 0)))
    p.xs.forEach((_, i) => {
      const expected = p.batched[i] ? stackAt(gs.map((g) => g[i]!), p.axes[i]!) : gs.map((g) => g[i]!).reduce((a, b) => P.add(a, b))
      same(l, at, `vjp of vmap, argument ${i}`, expected, gb[i]!)
    })
    const vmapOfVjp = guard(l, at, 'vmap of vjp', () =>
      Program.vmap(<T>(A: Algebra<T>) => (c0: T, ...xs: T[]) => Program.gradIn(A)(paired(f))(xs, c0), [0, ...p.batched.map((b) => (b ? 0 : null))])(
        stackAt(p.cs, 0),
        ...p.xs.map((x, i) => (p.batched[i] ? stackAt(exs.map((e) => e[i]!), 0) : x)),
      ),
    )
    p.xs.forEach((_, i) => same(l, at, `vmap of vjp, argument ${i}`, stackAt(gs.map((g) => g[i]!), 0), vmapOfVjp[i]!))
  }, options)
  const nestedLaw = runLaw(`${c.name}: ${vmapLawNames.nested}`, point(c), (p) => {
    const l = `${c.name}: ${vmapLawNames.nested}`
    const at = show(p)
    // argument i depends on the outer example k if batched, on the inner example j if inner
    const value = (i: number, k: number, j: number): Tensor => example(p.xs, p.ts, p.batched[i] ? k : 0, p.inner[i] ? j : 0)[i]!
    const inputs = p.xs.map((_, i) => {
      const inner = (k: number) => (p.inner[i] ? stackAt(Array.from({ length: N }, (_, j) => value(i, k, j)), 0) : value(i, k, 0))
      return p.batched[i] ? stackAt(Array.from({ length: M }, (_, k) => inner(k)), 0) : inner(0)
    })
    const expected = stackAt(
      Array.from({ length: M }, (_, k) => stackAt(Array.from({ length: N }, (_, j) => f(P)(...p.xs.map((_, i) => value(i, k, j)))), 0)),
      0,
    )
    const nested = guard(l, at, 'vmap of vmap', () =>
      Program.vmap(
        <T>(A: Algebra<T>) => (...xs: T[]) => Program.vmapIn(A)((S: Algebra<T>) => (...ys: T[]) => f(S)(...ys), p.inner.map((b) => (b ? 0 : null)))(...xs) as T,
        p.batched.map((b) => (b ? 0 : null)),
      )(...inputs),
    )
    same(l, at, 'vmap of vmap', expected, nested)
  }, options)
  return [vmapLaw, nestedLaw]
}
