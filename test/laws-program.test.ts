/**
 * Every primitive of the tensor algebra through the four program laws (plain, forward, reverse,
 * nested), 1000 points each; and the laws shown failing on deliberately wrong rules.
 */
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkProgram, primitiveCases, programLawNames, tensorOf } from '../laws/index.js'
import type { ProgramCase } from '../laws/index.js'
import * as Program from '../src/program/index.js'
import type { Prim } from '../src/program/index.js'
import { fromData } from '../src/Tensor.js'

const NUM_RUNS = 1000

// the elementwise and broadcasting primitives here; the structural ones in laws-program-structure
const FIRST_STRUCTURAL = primitiveCases.findIndex((c) => c.name.startsWith('matmul'))

describe('the program laws hold for every elementwise and broadcasting primitive', () => {
  for (const c of primitiveCases.slice(0, FIRST_STRUCTURAL))
    it(c.name, () => {
      for (const r of checkProgram(c, { numRuns: NUM_RUNS })) {
        if (isLeft(r)) throw new Error(r.left.message)
        expect(r.right.numRuns).toBe(NUM_RUNS)
      }
    })
})

describe('custom rules and elementwise closed forms go through the same laws', () => {
  const custom: readonly ProgramCase[] = [
    {
      name: 'customJvp (softplus with the sigmoid as its rule)',
      f: Program.customJvp((A) => (x) => A.softplus(x!), (A) => ([x], _y, [dx]) => A.mul(dx!, A.sigmoid(x!))),
      args: fc.tuple(tensorOf([2, 2], { min: -3, max: 3 })),
    },
    {
      name: 'customVjp (x y with its pullback given)',
      f: Program.customVjp((A) => (x, y) => A.mul(x!, y!), (A) => ([x, y], _z, g) => [A.mul(g, y!), A.mul(g, x!)]),
      args: fc.tuple(tensorOf([3], { min: -3, max: 3 }), tensorOf([3], { min: -3, max: 3 })),
    },
    {
      name: 'checkpoint',
      f: Program.checkpoint((A) => (x, w) => A.tanh(A.matmul(x!, w!))),
      args: fc.tuple(tensorOf([2, 3], { min: -2, max: 2 }), tensorOf([3, 2], { min: -2, max: 2 })),
    },
    {
      name: 'elementwise with a closed-form derivative (softsign)',
      f: (A) => (x) =>
        A.map(Program.elementwise('softsign', (F) => (x) => F.div(x, F.add(F.one, F.abs(x))), {
          derivative: (F) => (x) => F.recip(F.mul(F.add(F.one, F.abs(x)), F.add(F.one, F.abs(x)))),
        }), x!),
      args: fc.tuple(tensorOf([4], { min: 0.1, max: 3 })),
    },
  ]
  for (const c of custom)
    it(c.name, () => {
      for (const r of checkProgram(c, { numRuns: NUM_RUNS })) if (isLeft(r)) throw new Error(r.left.message)
    })
  it('a wrong closed form is caught against the dual numbers', () => {
    const wrong: ProgramCase = {
      name: 'softsign with a wrong closed form',
      f: (A) => (x) => A.map(Program.elementwise('softsign', (F) => (x) => F.div(x, F.add(F.one, F.abs(x))), { derivative: (F) => (x) => F.recip(F.add(F.one, F.abs(x))) }), x!),
      args: fc.tuple(tensorOf([4], { min: 0.1, max: 3 })),
    }
    expect(failing(wrong)).toContain(programLawNames.forward)
  })
})

/** tanh with one rule altered: `wrong` replaces one part of the primitive. */
const tanhWith = (wrong: Partial<Prim<undefined>>): ProgramCase => {
  // the batch rule binds the altered primitive itself (elementwise: no lining up needed); its
  // fused kernels are dropped, since they are kernels of the right rules (checkFused's business)
  const { fused: _fused, ...tanh } = Program.prims.tanh
  const prim: Prim<undefined> = { ...tanh, batch: (A, [x]) => A.bind(prim, [x!], undefined), ...wrong }
  return {
    name: 'a wrong tanh',
    f: (A) => (x) => A.bind(prim, [x!], undefined),
    args: fc.tuple(tensorOf([3], { min: -2, max: 2 })),
  }
}
const failing = (c: ProgramCase): string[] =>
  checkProgram(c, { numRuns: 50 }).flatMap((r) => (isLeft(r) ? [r.left.law.replace(`${c.name}: `, '')] : []))

describe('each program law can fail', () => {
  it('a wrong JVP rule fails the forward and reverse laws', () => {
    expect(failing(tanhWith({ jvp: (A, [x], y, [dx]) => A.mul(dx!, A.sub(A.constant(1), y)) }))).toEqual([programLawNames.forward, programLawNames.reverse])
  })
  it('a wrong pullback fails the reverse and nested laws', () => {
    expect(failing(tanhWith({ vjp: (A, [x], y, g) => [A.mul(g, A.sub(A.constant(1), y))] }))).toEqual([programLawNames.reverse, programLawNames.nested])
  })
  it('a pullback right to first order but not differentiable (a constant of the primal) fails the nested law, and under vmap (the primal holds the batch axis)', () => {
    const vjp: Prim<undefined>['vjp'] = (A, [x], _y, g) => {
      const t = A.primal(x!)
      return [A.mul(g, A.constant(fromData(t.shape, Array.from(t.data, (v) => 1 - Math.tanh(v) ** 2))))]
    }
    expect(failing(tanhWith({ vjp }))).toEqual([programLawNames.nested, programLawNames.vmap])
  })
  it('a wrong batch rule fails the vmap laws', () => {
    expect(failing(tanhWith({ batch: (A, [x]) => A.exp(x!) }))).toEqual([programLawNames.vmap, programLawNames.nestedVmap])
  })
  it('a batch rule with a wrong axis (sum reducing the batch axis instead of the next) fails the vmap laws', () => {
    const sum = Program.prims.sum as Prim<{ readonly axes: readonly number[]; readonly keepDims: boolean }>
    const wrong: Prim<{ readonly axes: readonly number[]; readonly keepDims: boolean }> = { ...sum, batch: (A, [x], _b, p) => A.bind(sum, [x!], { ...p, axes: p.axes }) }
    const c: ProgramCase = {
      name: 'a sum with a wrong batch axis',
      f: (A) => (x) => A.bind(wrong, [x!], { axes: [0], keepDims: true }),
      args: fc.tuple(tensorOf([3, 2], { min: -2, max: 2 })),
    }
    expect(failing(c)).toEqual([programLawNames.vmap, programLawNames.nestedVmap])
  })
  it('confused nesting: a batch rule reading its batch extent from the raw tensor (the outermost axis) fails the nested vmap law only', () => {
    // right at one level, where the raw tensor's axis 0 is the rule's own batch axis; under vmap of vmap it is the outer call's
    const batch: Prim<undefined>['batch'] = (A, [x]) => A.reshape(A.tanh(x!), [A.primal(x!).shape[0]!, ...A.shape(x!).slice(1)])
    expect(failing(tanhWith({ batch }))).toEqual([programLawNames.nestedVmap])
  })
  it('every result is a Right for a correct rule', () => {
    expect(checkProgram(primitiveCases[0]!, { numRuns: 10 }).every(isRight)).toBe(true)
  })
})

describe('softmaxCrossEntropy: the laws fail on a wrong rule', () => {
  // the primitive with one rule altered (its fused kernel dropped: checkFused's business), applied with the mean
  const sce = Program.prims.softmaxCrossEntropy as Prim<Program.Labels>
  const withRule = (wrong: Partial<Prim<Program.Labels>>): ProgramCase => {
    const { fused: _fused, ...rest } = sce
    const prim: Prim<Program.Labels> = { ...rest, batch: (A, args, b, ys, yb) => sce.batch(A, args, b, ys, yb), ...wrong }
    return {
      name: 'a wrong softmaxCrossEntropy',
      f: (A) => (x) => A.mean(A.bind(prim, [x!], Program.labels([0, 2, 1]))),
      args: fc.tuple(tensorOf([3, 3], { min: -2, max: 2 })),
    }
  }
  it('a pullback without the cotangent of each row (as if the 1/N of the mean were dropped) fails the reverse and vmap laws', () => {
    const right = sce.vjp
    expect(failing(withRule({ vjp: (A, args, out, g, ys, w) => right(A, args, out, A.broadcastTo(A.constant(1), A.shape(g)), ys, w) }))).toEqual([programLawNames.reverse, programLawNames.vmap])
  })
  it('a JVP with the wrong sign fails the forward, reverse and vmap laws', () => {
    const right = sce.jvp
    expect(failing(withRule({ jvp: (A, args, out, ts, ys) => A.neg(right(A, args, out, ts, ys)) }))).toEqual([programLawNames.forward, programLawNames.reverse, programLawNames.vmap])
  })
})
