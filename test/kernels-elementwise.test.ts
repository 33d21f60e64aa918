/**
 * The Wasm elementwise kernels against the JavaScript ones: bit for bit (they repeat the same
 * operations, `special/exp.ts`'s `exp` and `expm1` included), at every double and at every size,
 * chunk edges and padding included; fresh results (or the given array), inputs untouched, lengths
 * checked; and a kernel with one `exp` coefficient perturbed is caught.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { sigmoidDerivative, sigmoidValue } from '../src/activation/logistic.js'
import { tanhDerivative, tanhValue } from '../src/activation/tanh.js'
import * as A from '../src/Activation.js'
import { activeElementwise, useKernels } from '../src/kernels/backend.js'
import { activationFuncs, limitOf, type ActivationOp } from '../src/kernels/wasm/activations.js'
import { detectSimd } from '../src/kernels/wasm/detect.js'
import { CHUNK, makeWasmElementwise } from '../src/kernels/wasm/elementwise.js'
import { EXP_COEFFICIENTS } from '../src/special/exp.js'
import { sgd } from '../src/Optimizer.js'
import { fromData } from '../src/Tensor.js'

const reluValue = (x: number): number => (x > 0 ? x : x <= 0 ? 0 : NaN)
const reluDerivative = (x: number): number => (x > 0 ? 1 : x <= 0 ? 0 : NaN)
/** The JavaScript references: the scalar closed forms the JS kernels evaluate per element. */
const reference: Readonly<Record<ActivationOp, readonly [(x: number) => number, (x: number) => number]>> = {
  relu: [reluValue, reluDerivative],
  sigmoid: [sigmoidValue, sigmoidDerivative],
  tanh: [tanhValue, tanhDerivative],
}
const ops = Object.keys(reference) as ActivationOp[]
/**
 * `g f'(x)` as the pullbacks compute it: a product, except relu's, which selects (`g` above 0, 0 at
 * or below whatever `g` is, NaN at NaN), so an infinite `g` at a flat point gives 0, not NaN.
 */
const gradOf = (op: ActivationOp, x: number, g: number): number =>
  op === 'relu' ? (Number.isNaN(x) ? NaN : x > 0 ? g : 0) : g * reference[op][1](x)

const specials = [0, -0, 1, -1, 5e-324, -5e-324, 2 ** -1022, 2 ** -28, 2 ** -27, 1e-300, 0.34657359, 1.0397207708, 22, -22,
  19.06, 350, -350, 351, 700, -700, 701, 708, -746, 1000, -1000, 1e308, -1e308, Infinity, -Infinity, NaN]
/** Every double (tiny, huge, subnormal, infinite, NaN), ordinary magnitudes, and the formulas' switch points (fdlibm's among them). */
const entry = fc.oneof(fc.double(), fc.double({ min: -40, max: 40, noNaN: true }), fc.constantFrom(...specials))
/** Sizes: the edges, the chunk's, the padding's (48 doubles), and anything small. */
const size = fc.oneof(fc.constantFrom(0, 1, 2, 3, 17, 47, 48, 49, 255, 257, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3), fc.integer({ min: 0, max: 40 }))
/** n entries drawn from a seed (fast-check draws the seed and a few specials to scatter). */
const arrays = fc.tuple(size, fc.array(entry, { minLength: 1, maxLength: 16 }), fc.integer()).map(([n, picks, seed]) => {
  let s = seed >>> 0
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
  const x = Float64Array.from({ length: n }, () => (next() < 0.3 ? picks[Math.floor(next() * picks.length)]! : (next() - 0.5) * 2 ** (next() * 24 - 12)))
  const g = Float64Array.from({ length: n }, () => (next() < 0.05 ? picks[Math.floor(next() * picks.length)]! : next() * 4 - 2))
  return { x, g }
})

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => Object.is(v, b[i]))

const simd = detectSimd()

describe.runIf(simd !== 'none')('Wasm activation kernels', () => {
  const w = makeWasmElementwise()

  for (const op of ops)
    it(`${op}: value, value and derivative, g f'(x) and c f'(x) (recomputed, or from f'(x) into a fresh array or over it) equal the JavaScript formulas bit for bit, at every double and size`, () => {
      const [value, derivative] = reference[op]
      fc.assert(
        fc.property(arrays, ({ x, g }) => {
          const y = w.activation(op, x, value)
          const [yb, d] = w.activationBoth(op, x, value, derivative)
          const gd = w.activationGrad(op, x, g, derivative)
          const dg = w.mul(g, d)
          const c = g.length > 0 ? g[0]! : 1.5
          const cd = w.scale(d, c)
          const into = d.slice()
          expect(w.mul(g, into, into)).toBe(into)
          expect(same(into, dg)).toBe(true)
          expect(same(cd, Array.from(x, (v) => c * derivative(v)))).toBe(true)
          expect(same(w.activationGrad(op, x, c, derivative), Array.from(x, (v) => gradOf(op, v, c)))).toBe(true)
          expect(same(y, Array.from(x, value))).toBe(true)
          expect(same(yb, y)).toBe(true)
          expect(same(d, Array.from(x, derivative))).toBe(true)
          expect(same(gd, Array.from(x, (v, i) => gradOf(op, v, g[i]!)))).toBe(true)
          expect(same(dg, Array.from(x, (v, i) => g[i]! * derivative(v)))).toBe(true)
          // and the same bits again
          expect(same(w.activationBoth(op, x, value, derivative)[1], d)).toBe(true)
        }),
        { numRuns: 60 },
      )
    })

  it('covers the lanes left to JavaScript, at chunk edges too', () => {
    const n = 2 * CHUNK + 3
    for (const op of ['sigmoid', 'tanh'] as const) {
      const limit = limitOf(op, 'both')!
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i))
      for (const i of [0, CHUNK - 1, CHUNK, n - 1]) x[i] = 2 * limit
      x[5] = NaN
      const [value, derivative] = reference[op]
      const [y, d] = w.activationBoth(op, x, value, derivative)
      expect(same(y, Array.from(x, value))).toBe(true)
      expect(same(d, Array.from(x, derivative))).toBe(true)
    }
  })

  it('returns fresh arrays, leaves its inputs alone, and checks lengths before any work', () => {
    const x = Float64Array.from({ length: 300 }, (_, i) => i - 150)
    const g = x.map((v) => v / 7)
    const [x0, g0] = [x.slice(), g.slice()]
    const a = w.activationGrad('sigmoid', x, g, sigmoidDerivative)
    const b = w.activationGrad('sigmoid', x, g, sigmoidDerivative)
    expect(a).not.toBe(b)
    expect(a.buffer).not.toBe(b.buffer)
    expect(a.buffer).not.toBeInstanceOf(SharedArrayBuffer)
    expect(same(x, x0) && same(g, g0)).toBe(true)
    expect(() => w.activationGrad('tanh', x, g.subarray(1), tanhDerivative)).toThrow(RangeError)
    expect(() => w.activationGrad('tanh', x, g.subarray(1), tanhDerivative)).toThrow(/300 and 299 elements/)
    expect(() => w.mul(x, g.subarray(3))).toThrow(/300 and 297 elements/)
    expect(() => w.mul(x, g, g.subarray(1))).toThrow(/300 and 299 elements/)
    expect(() => w.scale(x, 2, g.subarray(2))).toThrow(/300 and 298 elements/)
    expect(Array.from(w.activation('relu', Float64Array.of(-1, 2), reluValue))).toEqual([0, 2])
  })

  it('a kernel with one exp coefficient perturbed (P3 by 1e-6 relative) fails the agreement check', () => {
    const perturbed = EXP_COEFFICIENTS.map((p, i) => (i === 2 ? p * (1 + 1e-6) : p))
    const bad = makeWasmElementwise(activationFuncs(perturbed))
    const x = Float64Array.from({ length: 1000 }, (_, i) => (i - 500) / 50)
    const agrees = same(bad.activationBoth('sigmoid', x, sigmoidValue, sigmoidDerivative)[1], Array.from(x, sigmoidDerivative))
    expect(agrees).toBe(false)
    // the unperturbed module agrees on the same points
    expect(same(w.activationBoth('sigmoid', x, sigmoidValue, sigmoidDerivative)[1], Array.from(x, sigmoidDerivative))).toBe(true)
  })
})

describe.runIf(simd !== 'none')('Wasm SGD update', () => {
  const w = makeWasmElementwise()
  it('equals the JavaScript loop of Optimizer.sgd bit for bit, with and without weight decay, at every size', () => {
    fc.assert(
      fc.property(arrays, fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.constantFrom(0, 1e-4, 0.5), ({ x: p, g }, lr, wd) => {
        const want = Float64Array.from(p, (v, i) => v - lr * (wd === 0 ? g[i]! : g[i]! + wd * v))
        const finite = want.every(Number.isFinite)
        const [fresh, freshFinite] = w.sgd(p, g, lr, wd)
        expect(same(fresh, want) && freshFinite === finite).toBe(true)
        // over the gradient itself: each chunk is read before it is written
        const into = g.slice()
        const [over, overFinite] = w.sgd(p, into, lr, wd, into)
        expect(over === into && same(into, want) && overFinite === finite).toBe(true)
      }),
      { numRuns: 60 },
    )
    expect(() => w.sgd(new Float64Array(4), new Float64Array(5), 0.1, 0)).toThrow(/4 and 5 elements/)
    expect(() => w.sgd(new Float64Array(4), new Float64Array(4), 0.1, 0, new Float64Array(3))).toThrow(/4 and 3 elements/)
  })

  it('reports a result that is not finite, in any chunk and any lane, and only then', () => {
    const n = 3 * 8192 + 50 // three full chunks and a short one with pad lanes
    for (const [i, v] of [[0, Infinity], [8191, NaN], [8192 * 2 + 1, -Infinity], [n - 1, NaN], [100, 1e308]] as const) {
      const p = new Float64Array(n).fill(1)
      const g = new Float64Array(n).fill(0.5)
      g[i] = v
      // 1e308 is finite, but 1 - 10 * 1e308 is not: the result is what counts
      expect(w.sgd(p, g, 10, 0)[1]).toBe(false)
      expect(w.sgd(p, g, 10, 0.5)[1]).toBe(false)
    }
    expect(w.sgd(new Float64Array(n).fill(1), new Float64Array(n).fill(0.5), 10, 0.5)[1]).toBe(true)
  })

  it('runs under Optimizer.sgd when Wasm is forced, with the JS backend\'s bits', () => {
    const p = { w: fromData([300], Array.from({ length: 300 }, (_, i) => Math.sin(i))), b: fromData([3], [1, 2, 3]) }
    const g = { w: fromData([300], Array.from({ length: 300 }, (_, i) => Math.cos(i))), b: fromData([3], [-1, 0, 1]) }
    const step = (backend: 'wasm' | 'js') => {
      useKernels({ backend })
      const opt = sgd({ lr: 0.1, weightDecay: 0.01 })
      return opt.update(opt.init(p), p, g)[1]
    }
    try {
      const [a, b] = [step('wasm'), step('js')]
      expect(same(a.w.data, b.w.data) && same(a.b.data, b.b.data)).toBe(true)
    } finally {
      useKernels({ backend: 'auto' })
    }
  })
})

describe.runIf(simd !== 'none')('Activations on the Wasm backend', () => {
  it('run their Wasm kernels when forced, and give the JS backend\'s bits (values, JVPs, pullbacks)', () => {
    const xs = Float64Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 25 - 20)
    xs[3] = NaN
    xs[4] = -800
    const x = fromData([10, 100], xs)
    const t = fromData([10, 100], xs.map((v) => Math.cos(v)))
    const run = () =>
      [A.relu, A.sigmoid, A.tanh].flatMap((a) => {
        const [y, pb] = a.diff.vjp(x)
        return [a.diff.apply(x), ...a.diff.jvp(x, t), y, pb(t)].map((r) => r.data)
      })
    try {
      expect(useKernels({ backend: 'wasm' }).backend).toBe('wasm')
      expect(activeElementwise()).toBeDefined()
      const wasm = run()
      useKernels({ backend: 'js' })
      expect(activeElementwise()).toBeUndefined()
      const js = run()
      wasm.forEach((r, i) => expect(same(r, js[i]!)).toBe(true))
    } finally {
      useKernels({ backend: 'auto' })
    }
  })
})
