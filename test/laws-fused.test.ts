/**
 * The fused kernels of the rule table agree with their rules evaluated with the plain algebra,
 * 1000 points per case; and the law shown failing on deliberately wrong kernels.
 */
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkFused, fusedCases, fusedLawName } from '../laws/index.js'
import type { ProgramCase } from '../laws/index.js'
import * as Program from '../src/program/index.js'
import type { Prim } from '../src/program/index.js'
import { wrap } from '../src/Tensor.js'
import { negK } from '../src/kernels/unary.js'

/** The old ops kernel of sigmoid's pullback, `g s (1 - s)` from the output `s`: 0 past x = 37. */
const sigmoidBackK = (s: Float64Array, g: Float64Array): Float64Array => s.map((v, i) => g[i]! * v * (1 - v))

const NUM_RUNS = 1000

describe('every fused kernel equals its rule', () => {
  for (const c of fusedCases)
    it(c.name, () => {
      const r = checkFused(c, { numRuns: NUM_RUNS })
      if (isLeft(r)) throw new Error(r.left.message)
      expect(r.right.numRuns).toBe(NUM_RUNS)
    })

  it('every entry of the table with fused kernels has a case', () => {
    const withKernels = Object.values(Program.prims).filter((p) => p.fused !== undefined).map((p) => p.name)
    expect(withKernels.sort()).toEqual(['logSumExp', 'neg', 'relu', 'scale', 'sigmoid', 'softmaxCrossEntropy', 'sum', 'tanh'])
  })
})

describe('the law fails on a wrong fused kernel', () => {
  const withFused = <P>(prim: Prim<P>, fused: Program.Fused<P>): Prim<P> => ({ ...prim, fused })
  const run = (name: string, prim: Prim<undefined>, lo: number, hi: number) => {
    const c: ProgramCase = {
      name,
      f: (A) => (x) => A.bind(prim, [x!], undefined),
      args: fc.tuple(fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: 1, maxLength: 6 }).map((d) => wrap([d.length], Float64Array.from(d)))),
    }
    return checkFused(c, { numRuns: 200, seed: 1 })
  }

  it("sigmoid's pullback as s (1 - s), the old ops kernel, loses the upper tail", () => {
    const old = withFused(Program.prims.sigmoid, { vjp: (_x, y, g) => [wrap(y.shape, sigmoidBackK(y.data as Float64Array, g.data as Float64Array))] })
    const r = run('sigmoid with s (1 - s)', old, 20, 60)
    expect(isLeft(r)).toBe(true)
    if (isLeft(r)) expect(r.left.message).toContain("sigmoid's fused pullback")
    // the same kernel away from the tail agrees: the law fails for the tail, not for the form
    const near = run('sigmoid with s (1 - s), |x| <= 4', old, -4, 4)
    if (isLeft(near)) throw new Error(near.left.message)
  })

  it('a neg whose fused pullback forgets the sign', () => {
    const r = run('neg, sign forgotten', withFused(Program.prims.neg, { vjp: (_x, _y, g) => [wrap(g.shape, negK(negK(g.data)))] }), -2, 2)
    expect(isLeft(r)).toBe(true)
    if (isLeft(r)) expect(r.left.law).toContain(fusedLawName)
  })

  it("a user's elementwise function whose numeric closed form is wrong (softplus' taken as the sigmoid of 2x)", () => {
    const f = Program.elementwise('softplus', (F) => (x) => F.log1p(F.exp(x)), { fastDerivative: (x) => 1 / (1 + Math.exp(-2 * x)) })
    const r = run('softplus, wrong closed form', f.prim, -3, 3)
    expect(isLeft(r)).toBe(true)
    if (isLeft(r)) expect(r.left.message).toContain("softplus's fused")
  })

  it('a relu whose fused JVP is right except at NaN', () => {
    const relu = Program.prims.relu
    const bad = withFused(relu, { jvp: ([x], _y, [dx]) => wrap(x!.shape, x!.data.map((v, i) => (v > 0 ? dx!.data[i]! : 0))) })
    const c: ProgramCase = { name: 'relu at NaN', f: (A) => (x) => A.bind(bad, [x!], undefined), args: fc.tuple(fc.constant(wrap([2], Float64Array.of(NaN, 1)))) }
    expect(isLeft(checkFused(c, { numRuns: 5 }))).toBe(true)
  })
})
