/**
 * The law of fused kernels: a primitive of the rule table may carry a fused kernel of its JVP or
 * pullback on plain tensors (one pass instead of several, for speed); it must compute what the
 * rule itself computes when evaluated with the plain algebra. The law runs a program on a plain
 * instance that, at every primitive with fused kernels, compares the two on random tangents and
 * cotangents (a uniform cotangent included, which the kernels read as one value).
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import * as Program from '../src/program/index.js'
import type { Core, Prim } from '../src/program/index.js'
import type { Shape, Tensor } from '../src/Tensor.js'
import { wrap } from '../src/Tensor.js'
import { uniform } from '../src/ops/uniform.js'
import type { LawResult, RunOptions } from './law-runner.js'
import { LawViolation, compareNumbers, runLaw, showPoint } from './law-runner.js'
import { primitiveCases } from './program-cases.js'
import type { ProgramCase } from './program.js'

/**
 * The name of the fused-kernel law.
 *
 * @example
 * ```ts
 * import { fusedLawName } from 'autodiff-ts/laws'
 *
 * fusedLawName // 'fused: every fused kernel equals its rule evaluated with the plain algebra'
 * ```
 * @category laws
 */
export const fusedLawName = 'fused: every fused kernel equals its rule evaluated with the plain algebra'

/** Numbers in [-1, 1) from a seed (mulberry32), for tangents and cotangents of any shape. */
const numbers = (seed: number) => {
  let a = seed | 0
  return (): number => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1
  }
}

const compare = (law: string, at: string, what: string, e: Tensor, a: Tensor, rtol: number, atol: number): void => {
  if (e.shape.join() !== a.shape.join()) throw new LawViolation(law, at, `${what} has shape [${a.shape.join(', ')}], expected [${e.shape.join(', ')}]`)
  for (let i = 0; i < e.data.length; i++) {
    const [u, v] = [e.data[i]!, a.data[i]!]
    if (Number.isFinite(u) && Number.isFinite(v)) compareNumbers(law, at, `${what} (scalar ${i})`, u, v, { rtol, atol })
    else if (!(Object.is(u, v) || (Number.isNaN(u) && Number.isNaN(v)))) throw new LawViolation(law, at, `${what} (scalar ${i}): expected ${u}, got ${v}`, u, v)
  }
}

/**
 * Runs a case's program plainly and, at every primitive it applies that has fused kernels,
 * compares each kernel with the primitive's rule evaluated with `Program.plain`: the JVP with
 * every tangent and with each one alone, the pullback for a random and for a uniform cotangent.
 * Tolerance `rtol` relative (default 1e-9) plus `atol` (default 1e-300, for subnormal results,
 * where one rounding is a large relative error); non-finite numbers must be equal. Fails, naming the primitive, if a kernel disagrees or the program applies none.
 *
 * @example
 * ```ts
 * import { checkFused, primitiveCases } from 'autodiff-ts/laws'
 *
 * const sigmoid = primitiveCases.find((c) => c.name === 'sigmoid')!
 * checkFused(sigmoid, { numRuns: 20 })._tag // 'Right'
 * ```
 * @category laws
 */
export const checkFused = (c: ProgramCase, options: RunOptions & { readonly rtol?: number; readonly atol?: number } = {}): LawResult => {
  const { rtol = 1e-9, atol = 1e-300 } = options
  const law = `${c.name}: ${fusedLawName}`
  const P = Program.plain
  const arb: Arbitrary<readonly [readonly Tensor[], number, number]> = fc.tuple(c.args, fc.integer(), fc.double({ min: -2, max: 2, noNaN: true }))
  return runLaw(law, arb, ([xs, seed, u]) => {
    const next = numbers(seed)
    const random = (s: Shape): Tensor => {
      const n = s.reduce((p, d) => p * d, 1)
      return wrap(s, Float64Array.from({ length: n }, next))
    }
    let checked = 0
    const check = <P>(prim: Prim<P>, args: readonly Tensor[], out: Tensor, params: P): void => {
      const { jvp, vjp } = prim.fused!
      const at = showPoint({ xs: args, seed, u })
      const what = (rule: string) => `${prim.name}'s fused ${rule}`
      if (jvp !== undefined) {
        const ts = args.map((x) => random(x.shape))
        const sets = args.length === 1 ? [ts] : [ts, ...ts.map((t, i) => ts.map((_, j) => (j === i ? t : undefined)))]
        for (const set of sets) compare(law, at, what('jvp'), prim.jvp(P, args, out, set, params), jvp(args, out, set, params), rtol, atol)
      }
      if (vjp !== undefined) {
        const wanted = args.map(() => true)
        for (const g of [random(out.shape), uniform(out.shape, u)]) {
          const expected = prim.vjp(P, args, out, g, params, wanted)
          const actual = vjp(args, out, g, params, wanted)
          expected.forEach((e, i) => compare(law, at, `${what('pullback')}, argument ${i}`, e!, actual[i]!, rtol, atol))
        }
      }
      checked++
    }
    const core: Core<Tensor> = {
      ...Program.plainCore,
      bind: (prim, args, params) => {
        const out = Program.plainCore.bind(prim, args, params)
        if (prim.fused !== undefined) check(prim, args, out, params)
        return out
      },
    }
    c.f(Program.algebra(core))(...xs)
    if (checked === 0) throw new LawViolation(law, showPoint({ xs }), 'the program applies no primitive with fused kernels')
  }, options)
}

// softplus' = sigmoid, as a number function: the fused kernel of this elementwise function
const softplus = Program.elementwise('softplus', (F) => (x) => F.log1p(F.exp(x)), { fastDerivative: (x) => 1 / (1 + Math.exp(-x)) })

const ofShape = (values: Arbitrary<number>) =>
  fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }).chain((s) =>
    fc.array(values, { minLength: s.reduce((p, d) => p * d, 1), maxLength: s.reduce((p, d) => p * d, 1) }).map((d) => wrap(s, Float64Array.from(d))),
  )

/**
 * The cases of every primitive with fused kernels (those of {@link primitiveCases} that apply
 * one, a user's elementwise function with and without a numeric closed form), and their edges:
 * sigmoid and tanh in both tails, relu at its kink and at NaN, logSumExp with `-Infinity` entries and
 * whole rows of them.
 *
 * @example
 * ```ts
 * import { fusedCases } from 'autodiff-ts/laws'
 *
 * fusedCases.some((c) => c.name.startsWith('sigmoid')) // true
 * ```
 * @category laws
 */
export const fusedCases: readonly ProgramCase[] = [
  ...primitiveCases.filter((c) => ['neg', 'scale', 'sigmoid', 'tanh', 'relu', 'sum', 'mean', 'logSumExp', 'softmax', 'softmaxCrossEntropy'].includes(c.name) || c.name.startsWith('softsign')),
  {
    name: 'softplus (a user elementwise function with a numeric closed form of its derivative)',
    f: (A) => (x) => A.map(softplus, x!),
    args: fc.tuple(ofShape(fc.double({ min: -30, max: 30, noNaN: true }))),
  },
  { name: 'sigmoid (both tails)', f: (A) => (x) => A.sigmoid(x!), args: fc.tuple(ofShape(fc.double({ min: -60, max: 60, noNaN: true }))) },
  { name: 'tanh (both tails)', f: (A) => (x) => A.tanh(x!), args: fc.tuple(ofShape(fc.double({ min: -30, max: 30, noNaN: true }))) },
  { name: 'relu (at the kink and NaN)', f: (A) => (x) => A.relu(x!), args: fc.tuple(ofShape(fc.constantFrom(-1, -0, 0, 0.5, NaN, Infinity, -Infinity))) },
  {
    name: 'logSumExp (-Infinity entries and rows)',
    f: (A) => (x) => A.logSumExp(x!, -1),
    args: fc.tuple(ofShape(fc.oneof(fc.constant(-Infinity), fc.double({ min: -3, max: 3, noNaN: true })))),
  },
]
