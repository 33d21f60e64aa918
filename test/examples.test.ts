import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as perceptron from '../examples/perceptron.js'
import * as xor from '../examples/xor.js'
import * as custom from '../examples/custom.js'
import * as Act from '../src/Activation.js'
import * as Layer from '../src/Layer.js'
import { ShapeError } from '../src/ShapeError.js'
import { key } from '../src/Random.js'
import { fromData } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as A from '../laws/arbitraries-tensor.js'
import { checkDiff } from '../laws/tensor.js'

describe('examples/perceptron.ts: AND and OR by the perceptron rule', () => {
  const r = perceptron.main()

  it('learns AND and OR exactly, in a few passes', () => {
    expect(r.and.outputs).toEqual([0, 0, 0, 1])
    expect(r.or.outputs).toEqual([0, 1, 1, 1])
    expect(r.and.epochs).toBeGreaterThan(0)
    expect(r.and.epochs).toBeLessThan(100)
    expect(r.or.epochs).toBeLessThan(100)
  })

  it('gradients through the step activation are zero, whatever the parameters (why the rule is needed)', () => {
    expect(r.gradient).toBe(0)
    fc.assert(
      fc.property(fc.array(A.scalarValue({ min: -5, max: 5 }), { minLength: 3, maxLength: 3 }), ([w0, w1, b]) => {
        const p = { w: fromData([2, 1], [w0!, w1!]), b: fromData([1], [b!]) }
        expect(perceptron.gradientThroughStep(p, perceptron.targets.or)).toBe(0)
      }),
    )
  })

  it('runs as a script', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../examples/perceptron.ts', import.meta.url))], {
      encoding: 'utf8',
    })
    expect(out).toMatch(/^AND: outputs 0 0 0 1 after \d+ epochs/m)
    expect(out).toMatch(/^OR: outputs 0 1 1 1 after \d+ epochs/m)
    expect(out).toMatch(/largest gradient entry of the loss through the step: 0 /)
  })
})

describe('examples/xor.ts: one dense layer cannot learn XOR, a two-layer MLP can', () => {
  const { single, mlp } = xor.main([0, 1, 2], 500)

  it('one dense layer: at most 3 of 4 right, and no better than the loss log 2 of W = 0, b = 0', () => {
    for (const r of single) {
      expect(r.accuracy).toBeLessThanOrEqual(0.75)
      expect(r.loss).toBeGreaterThanOrEqual(Math.log(2) - 1e-9)
    }
  })

  it('two layers: all 4 right with a small loss, from every seed', () => {
    for (const r of mlp) {
      expect(r.accuracy).toBe(1)
      expect(r.loss).toBeLessThan(0.05)
      expect(r.probabilities[0]).toBeLessThan(0.1)
      expect(r.probabilities[1]).toBeGreaterThan(0.9)
      expect(r.probabilities[2]).toBeGreaterThan(0.9)
      expect(r.probabilities[3]).toBeLessThan(0.1)
    }
  })
})

describe("examples/custom.ts: a model from a user's own layer and activation", () => {
  it('the custom activation obeys the laws of a Diff (on either side of its kink in f\'\' at 0)', () => {
    checkDiff<Tensor, Tensor>(custom.softsign.diff, { arbitrary: A.tensor({ min: 0.2, max: 5 }) })
    checkDiff<Tensor, Tensor>(custom.softsign.diff, { arbitrary: A.tensor({ min: -5, max: -0.2 }) })
    const y = custom.softsign.diff.apply(fromData([5], [-1e300, -1, 0, 1, 1e300]))
    expect([...y.data]).toEqual([-1, -0.5, 0, 0.5, 1])
  })

  it('the residual block obeys the laws of a Diff and is x + inner(x)', () => {
    const inner = Layer.sequential(Layer.dense(3, 3), Layer.activation(Act.tanh), Layer.dense(3, 3))
    const block = custom.residual(inner)
    expect(block.widths).toEqual({ in: 3, out: 'same' })
    const arb = fc.tuple(A.like(block.init(key(0)), { min: -2, max: 2 }), A.tensorOf([2, 3], { min: -2, max: 2 }))
    checkDiff(block, { arbitrary: arb })
    fc.assert(
      fc.property(arb, ([p, x]) => {
        const y = block.apply([p, x]).data
        const f = inner.apply([p, x]).data
        expect([...y]).toEqual([...x.data].map((v, i) => v + f[i]!))
      }),
    )
  })

  it('refuses an inner layer that changes the width', () => {
    expect(() => custom.residual(Layer.dense(3, 4))).toThrow(ShapeError)
    expect(() => custom.residual(Layer.dense(3, 4))).toThrow(/residual: an inner layer that keeps the width, but it maps 3 to 4/)
  })

  it('trains to separate the rings, and rebuilds from its JSON spec with the extended registry', () => {
    const { history, rebuiltAgrees } = custom.main()
    const last = history[history.length - 1]!
    expect(last.validation!.metrics['accuracy']).toBeGreaterThanOrEqual(0.95)
    expect(last.loss).toBeLessThan(history[0]!.loss)
    expect(rebuiltAgrees).toBe(true)
  })
})
