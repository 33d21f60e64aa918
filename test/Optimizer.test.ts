import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import * as O from '../src/Optimizer.js'
import type { Optimizer, OptimizerState } from '../src/Optimizer.js'
import * as S from '../src/Schedule.js'
import { ShapeError } from '../src/ShapeError.js'
import { fromData, tensor, toFloat64Array } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import * as A from '../laws/arbitraries-tensor.js'
import { scalarPoint } from '../laws/arbitraries.js'

// ---------------------------------------------------------------------------------------------
// PyTorch trajectories on a quadratic (test/fixtures/optim.py, float64)

type Config = { readonly kind: string; readonly schedule?: { readonly kind: string } & { readonly [k: string]: number } } & {
  readonly [k: string]: unknown
}
type Fixture = {
  readonly torch: string
  readonly problem: {
    readonly A: readonly (readonly number[])[]
    readonly b: readonly number[]
    readonly h: readonly number[]
    readonly c: readonly number[]
    readonly w0: readonly number[]
    readonly m0: readonly number[]
    readonly steps: number
  }
  readonly cases: readonly {
    readonly name: string
    readonly optimizer: Config
    readonly trajectory: readonly { readonly w: readonly number[]; readonly m: readonly number[] }[]
  }[]
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/optim.json', import.meta.url), 'utf8')) as Fixture
const pr = fixture.problem

type Params = { readonly w: Tensor; readonly m: Tensor }

/** The gradient of the quadratic, the same formula and summation order as optim.py. */
const gradient = (p: Params): Params => {
  const w = p.w.data
  const gw = new Float64Array(3)
  for (let i = 0; i < 3; i++) {
    let s = 0
    for (let j = 0; j < 3; j++) s += pr.A[i]![j]! * w[j]!
    gw[i] = s - pr.b[i]!
  }
  const gm = new Float64Array(4)
  for (let i = 0; i < 4; i++) gm[i] = pr.h[i]! * (p.m.data[i]! - pr.c[i]!)
  return { w: fromData([3], gw), m: fromData([2, 2], gm) }
}

const scheduleOf = (c: Config): S.LearningRate => {
  const lr = c['lr'] as number
  const s = c.schedule
  if (s === undefined) return lr
  switch (s.kind) {
    case 'stepDecay':
      return S.stepDecay(lr, { every: s['every']!, gamma: s['gamma']! })
    case 'exponential':
      return S.exponential(lr, s['gamma']!)
    case 'cosine':
      return S.cosine(lr, { steps: s['steps']!, min: s['min']! })
    default:
      throw new Error(`unknown schedule ${s.kind}`)
  }
}

const optimizerOf = (c: Config): Optimizer => {
  const num = (k: string): number | undefined => c[k] as number | undefined
  const lr = scheduleOf(c)
  const opts = <X extends object>(o: X): X =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as X
  switch (c.kind) {
    case 'sgd':
      return O.sgd(opts({ lr, weightDecay: num('weightDecay') }) as O.SgdOptions)
    case 'momentum':
      return O.momentum(
        opts({
          lr,
          weightDecay: num('weightDecay'),
          momentum: num('momentum'),
          dampening: num('dampening'),
          nesterov: c['nesterov'] as boolean | undefined,
        }) as O.MomentumOptions,
      )
    case 'adam':
    case 'adamw':
      return (c.kind === 'adam' ? O.adam : O.adamw)(
        opts({
          lr,
          beta1: num('beta1'),
          beta2: num('beta2'),
          eps: num('eps'),
          weightDecay: num('weightDecay'),
          amsgrad: c['amsgrad'] as boolean | undefined,
        }) as O.AdamOptions,
      )
    default:
      throw new Error(`unknown optimizer ${c.kind}`)
  }
}

const close = (got: ArrayLike<number>, want: readonly number[], tol: number): number => {
  expect(got.length).toBe(want.length)
  let worst = 0
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!))
    worst = Math.max(worst, err)
  }
  expect(worst).toBeLessThanOrEqual(tol)
  return worst
}

describe('optimizers follow PyTorch trajectories on a quadratic (float64, 1e-12)', () => {
  it('the fixture holds every case, made by torch', () => {
    expect(fixture.torch).toMatch(/^\d/)
    expect(fixture.cases.length).toBe(12)
  })
  for (const c of fixture.cases) {
    it(c.name, () => {
      const opt = optimizerOf(c.optimizer)
      let params: Params = { w: fromData([3], pr.w0), m: fromData([2, 2], pr.m0) }
      let state: OptimizerState<Params> = opt.init(params)
      expect(c.trajectory.length).toBe(pr.steps)
      for (const want of c.trajectory) {
        ;[state, params] = opt.update(state, params, gradient(params))
        close(params.w.data, want.w, 1e-12)
        close(params.m.data, want.m, 1e-12)
      }
      expect(state.step).toBe(pr.steps)
      // the run moved the parameters: the comparison is not of a fixed point
      expect(Math.abs(params.w.data[0]! - pr.w0[0]!)).toBeGreaterThan(1e-3)
    })
  }
})

// ---------------------------------------------------------------------------------------------
// Laws

const numericTree = A.tree().filter((t) => T.size(t) > 0)
const treeAndGrad = numericTree.chain((p) => A.like(p).map((g) => [p, g] as const))
/** A learning rate in [1e-4, 1]: mostly spread evenly, one in five from fc.double (log-like, down to 1e-4). */
const lrArb = scalarPoint({ min: 1e-4, max: 1 })

const allOptimizers = (lr: number): readonly Optimizer[] => [
  O.sgd({ lr }),
  O.sgd({ lr, weightDecay: 0.1 }),
  O.momentum({ lr }),
  O.momentum({ lr, nesterov: true }),
  O.adam({ lr }),
  O.adam({ lr, amsgrad: true }),
  O.adamw({ lr }),
]

const bits = (t: Tree): readonly number[] => [...T.ravel(t)[0]]

describe('optimizer laws', () => {
  it('sgd is p - lr g, exactly, leaf by leaf (numbers and tensors)', () => {
    fc.assert(
      fc.property(treeAndGrad, lrArb, ([p, g], lr) => {
        const opt = O.sgd({ lr })
        const [s1, p1] = opt.update(opt.init(p), p, g)
        expect(s1.step).toBe(1)
        expect(s1.slots).toEqual([])
        const want = T.zipWith((a, b) =>
          typeof a === 'number' ? a - lr * (b as number) : fromData(a.shape, a.data.map((x, i) => x - lr * (b as Tensor).data[i]!)),
        )(p, g)
        expect(bits(p1)).toEqual(bits(want))
        expect(T.structureEq(p1, p)).toBe(true)
      }),
    )
  })

  it('updates are pure: inputs untouched, the same call twice gives the same bits', () => {
    fc.assert(
      fc.property(treeAndGrad, lrArb, ([p, g], lr) => {
        const before = [bits(p), bits(g)]
        for (const opt of allOptimizers(lr)) {
          const s0 = opt.init(p)
          const [s1, p1] = opt.update(s0, p, g)
          const [s1b, p1b] = opt.update(s0, p, g)
          const [s2, p2] = opt.update(s1, p1, g)
          expect(bits(p1b)).toEqual(bits(p1))
          expect(s1b.slots.map(bits)).toEqual(s1.slots.map(bits))
          expect(s0.step).toBe(0)
          expect(s0.slots.every((s) => bits(s).every((x) => x === 0))).toBe(true)
          expect(s2.step).toBe(2)
          expect(T.structureEq(p2, p)).toBe(true)
        }
        expect([bits(p), bits(g)]).toEqual(before)
      }),
    )
  })

  it('momentum 0 is sgd, and its first step is the sgd step', () => {
    fc.assert(
      fc.property(treeAndGrad, lrArb, ([p, g], lr) => {
        const sgd = O.sgd({ lr })
        const mom0 = O.momentum({ lr, momentum: 0 })
        const mom = O.momentum({ lr, momentum: 0.9 })
        const [, ps] = sgd.update(sgd.init(p), p, g)
        expect(bits(mom0.update(mom0.init(p), p, g)[1])).toEqual(bits(ps))
        const [s1, pm] = mom.update(mom.init(p), p, g)
        expect(bits(pm)).toEqual(bits(ps))
        expect(bits(s1.slots[0]!)).toEqual(bits(g)) // buf = g at the first step
      }),
    )
  })

  it("adam's first step is -lr g / (|g| + eps) per coordinate", () => {
    fc.assert(
      fc.property(treeAndGrad, lrArb, ([p, g], lr) => {
        const opt = O.adam({ lr })
        const [, p1] = opt.update(opt.init(p), p, g)
        const [x0] = T.ravel(p)
        const [gv] = T.ravel(g)
        const [x1] = T.ravel(p1)
        for (let i = 0; i < x0.length; i++) {
          const want = x0[i]! - (lr * gv[i]!) / (Math.abs(gv[i]!) + 1e-8)
          expect(Math.abs(x1[i]! - want)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want)))
        }
      }),
    )
  })

  it('a schedule is evaluated at the step count before the update', () => {
    const seen: number[] = []
    const opt = O.sgd({ lr: (t) => (seen.push(t), 0.5 ** t) })
    let x: number = 1
    let s = opt.init(x)
    for (let i = 0; i < 4; i++) [s, x] = opt.update(s, x, 1)
    expect(seen).toEqual([0, 1, 2, 3])
    expect(x).toBe(1 - 1 - 0.5 - 0.25 - 0.125)
  })

  it('gradients or a state of another structure throw a ShapeError naming the path', () => {
    const p = { w: tensor([1, 2]), b: 0 }
    for (const opt of allOptimizers(0.1)) {
      expect(() => opt.update(opt.init(p), p, { w: tensor([1, 2, 3]), b: 0 })).toThrow(ShapeError)
      expect(() => opt.update(opt.init(p), p, { w: tensor([1, 2, 3]), b: 0 })).toThrow(/\$\.w/)
      expect(() => opt.update(opt.init(p), p, { w: tensor([1, 2]) } as unknown as typeof p)).toThrow(ShapeError)
    }
    const mom = O.momentum({ lr: 0.1 })
    expect(() => mom.update(mom.init({ w: tensor([1]) }) as unknown as OptimizerState<typeof p>, p, p)).toThrow(ShapeError)
    const adam = O.adam({ lr: 0.1 })
    expect(() => adam.update(O.sgd({ lr: 1 }).init(p), p, p)).toThrow(/2 buffer/)
  })

  it('bad hyperparameters are refused with a RangeError naming them', () => {
    expect(() => O.sgd({ lr: 0 })).toThrow(/lr.*found 0/)
    expect(() => O.sgd({ lr: Number.NaN })).toThrow(/lr/)
    expect(() => O.sgd({ lr: -1 })).toThrow(RangeError)
    expect(() => O.sgd({ lr: 0.1, weightDecay: -1 })).toThrow(/weightDecay/)
    expect(() => O.momentum({ lr: 0.1, momentum: 1 })).toThrow(/momentum/)
    expect(() => O.momentum({ lr: 0.1, momentum: 0, nesterov: true })).toThrow(/Nesterov/)
    expect(() => O.adam({ lr: 0.1, beta1: 1 })).toThrow(/beta1/)
    expect(() => O.adam({ lr: 0.1, beta2: -0.1 })).toThrow(/beta2/)
    expect(() => O.adam({ lr: 0.1, eps: Number.POSITIVE_INFINITY })).toThrow(/eps/)
    const bad = O.sgd({ lr: () => Number.NaN })
    expect(() => bad.update(bad.init(1), 1, 1)).toThrow(/learning rate at step 0/)
  })

  it('config is plain data', () => {
    expect(O.adam({ lr: 0.01 }).config).toEqual({
      kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false,
    })
    expect(O.sgd({ lr: S.constant(0.1) }).config).toEqual({ kind: 'sgd', lr: 'schedule', weightDecay: 0 })
  })

  it('step is the data-last update', () => {
    const opt = O.momentum({ lr: 0.1 })
    const p = tensor([1, 2])
    const g = tensor([3, -1])
    const [s1, p1] = O.step(opt, g)([opt.init(p), p])
    const [s2, p2] = opt.update(opt.init(p), p, g)
    expect(toFloat64Array(p1)).toEqual(toFloat64Array(p2))
    expect(s1.step).toBe(s2.step)
  })
})

describe('schedules', () => {
  it('closed forms', () => {
    expect(S.constant(0.3)(17)).toBe(0.3)
    const sd = S.stepDecay(0.1, { every: 10, gamma: 0.5 })
    expect([sd(0), sd(9), sd(10), sd(25)]).toEqual([0.1, 0.1, 0.05, 0.025])
    expect(S.exponential(2, 0.5)(3)).toBe(0.25)
    const c = S.cosine(0.1, { steps: 100, min: 0.01 })
    expect(c(0)).toBe(0.1)
    expect(c(50)).toBeCloseTo(0.055, 15)
    expect(c(100)).toBe(0.01)
    expect(c(1000)).toBe(0.01)
    expect(S.of(0.2)(5)).toBe(0.2)
    const f = (t: number) => t
    expect(S.of(f)).toBe(f)
  })

  it('decaying schedules never increase and stay positive', () => {
    fc.assert(
      fc.property(
        scalarPoint({ min: 1e-6, max: 10 }),
        scalarPoint({ min: 0.01, max: 1 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 200 }),
        (lr, gamma, every, t) => {
          for (const s of [S.stepDecay(lr, { every, gamma }), S.exponential(lr, gamma), S.cosine(lr, { steps: every })]) {
            expect(s(t + 1)).toBeLessThanOrEqual(s(t))
            expect(s(t)).toBeGreaterThanOrEqual(0)
            expect(s(0)).toBe(lr)
          }
        },
      ),
    )
  })

  it('bad arguments are refused', () => {
    expect(() => S.constant(0)).toThrow(/lr/)
    expect(() => S.stepDecay(0.1, { every: 0.5, gamma: 0.5 })).toThrow(/every/)
    expect(() => S.exponential(0.1, 1.5)).toThrow(/gamma/)
    expect(() => S.cosine(0.1, { steps: 10, min: 0.2 })).toThrow(/min/)
  })
})
