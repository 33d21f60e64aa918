/**
 * Inside `Train.trainStep` (and so `fit`), SGD writes the new parameters over the gradients, which
 * no one else holds, and `fit` gathers the batches of a model that only borrows its input into one
 * array: every array a user can reach (their parameters and data, each step's returned
 * parameters, state and output, what callbacks hear, a gradient or an input their own layer kept)
 * is the same after later steps as when they got it, and the steps give the bits and the failures
 * of the ordinary path (the same model as an unmarked copy, which takes the ordinary path).
 */
import { describe, expect, it } from 'vitest'
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import * as Act from '../src/Activation.js'
import * as Layer from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import { momentum, sgd, type Optimizer } from '../src/Optimizer.js'
import { key, uniform } from '../src/Random.js'
import { fromData, type Tensor } from '../src/Tensor.js'
import * as Train from '../src/Train.js'
import type { LossFn } from '../src/Train.js'
import { make } from '../src/Diff.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import { useKernels } from '../src/kernels/backend.js'
import { takeUp } from '../src/kernels/spares.js'
import { isSealed } from '../src/diff/sealed.js'

/** Every tensor array of `t`, with a copy of its contents now. */
const hold = (held: [Float64Array, Float64Array][], t: unknown): void => {
  for (const leaf of T.leaves(t as Tree)) if (typeof leaf !== 'number') held.push([leaf.data as Float64Array, (leaf.data as Float64Array).slice()])
}
const unchanged = (held: readonly [Float64Array, Float64Array][]): boolean =>
  held.every(([a, copy]) => a.length === copy.length && a.every((v, i) => Object.is(v, copy[i])))
const bitsOf = (t: unknown): number[] => T.leaves(t as Tree).flatMap((l) => (typeof l === 'number' ? [l] : [...l.data]))

/** A user's own layer (not marked): a dense layer's maps, with `vjpParams` made from the dense layer's by `spy`. */
const usersDense = (spy: (d: Layer.Layer<Layer.DenseParams>) => Layer.Layer<Layer.DenseParams>['vjpParams']): Layer.Layer<Layer.DenseParams> => {
  const d = Layer.dense(40, 32)
  return Layer.make<Layer.DenseParams, Tensor, Tensor>({ diff: d, spec: { kind: 'mine' }, init: d.init, vjpParams: spy(d) })
}

// W wide enough for the Wasm update (>= 1024 elements), biases on the JS loop
const model = Layer.sequential(Layer.dense(40, 32, { init: 'he' }), Layer.activation(Act.relu), Layer.dense(32, 5))
const params = model.init(key(0))
const x = uniform(key(1), [24, 40])
const y = Int32Array.from(uniform(key(2), [24]).data, (v) => Math.floor(v * 5))
const backends = ['auto', 'js', 'wasm'] as const

describe.each(backends)('SGD writing over the gradients (%s kernels)', (backend) => {
  const withKernels = <A>(f: () => A): A => {
    useKernels({ backend })
    try {
      return f()
    } finally {
      useKernels({ backend: 'auto' })
    }
  }

  it('writes no array a user can reach: parameters, data, returned steps and outputs stay as they were', () =>
    withKernels(() => {
      const held: [Float64Array, Float64Array][] = []
      hold(held, params)
      hold(held, x)
      const ys = y.slice()
      const opt = sgd({ lr: 0.1, weightDecay: 0.01 })
      const step = Train.trainStep(model, Loss.softmaxCrossEntropy, opt)
      let state = opt.init(params)
      let p = params
      for (let s = 0; s < 6; s++) {
        const r = step(state, p, x, y)
        if (isLeft(r)) throw new Error(JSON.stringify(r.left))
        hold(held, r.right.params)
        hold(held, r.right.output)
        hold(held, r.right.state.slots)
        state = r.right.state
        p = r.right.params
      }
      // fit: what it returns and what the callbacks hear, then more training from it
      const options = { loss: Loss.softmaxCrossEntropy, epochs: 2, batchSize: 8, learningRate: 0.05, key: key(3) }
      const heard: unknown[] = []
      const first = Train.fit(model, p, { x, y }, { ...options, onStep: (e) => heard.push(e), onEpoch: (e) => heard.push(e) })
      if (isLeft(first)) throw new Error(first.left.message)
      hold(held, first.right.params)
      hold(held, first.right.state.slots)
      const heardBefore = JSON.stringify(heard)
      const second = Train.fit(model, first.right.params, { x, y }, options)
      expect(isRight(second)).toBe(true)
      expect(unchanged(held)).toBe(true)
      expect([...y]).toEqual([...ys])
      expect(JSON.stringify(heard)).toBe(heardBefore)
    }))

  it('leaves alone a gradient a user\'s own layer keeps (their layer is not known to give fresh gradients)', () =>
    withKernels(() => {
      const kept: [Float64Array, Float64Array][] = []
      const mine = usersDense((d) => (p, xs) => {
        const [out, pb] = d.vjpParams(p, xs)
        return [out, (dy) => {
          const g = pb(dy)
          hold(kept, g)
          return g
        }]
      })
      const m = Layer.sequential(mine, Layer.activation(Act.relu), Layer.dense(32, 5))
      const opt = sgd({ lr: 0.1 })
      const step = Train.trainStep(m, Loss.softmaxCrossEntropy, opt)
      let p = m.init(key(4))
      for (let s = 0; s < 4; s++) {
        const r = step(opt.init(p), p, x, y)
        if (isLeft(r)) throw new Error(JSON.stringify(r.left))
        p = r.right.params
      }
      expect(kept.length).toBe(8)
      expect(unchanged(kept)).toBe(true)
    }))

  it('gives the ordinary update\'s bits, step after step, with and without weight decay', () =>
    withKernels(() => {
      const unmarked = { ...model } // a copy is not marked: its steps take the ordinary path
      for (const opt of [sgd({ lr: 0.1 }), sgd({ lr: 0.1, weightDecay: 0.01 }), momentum({ lr: 0.1 })] as Optimizer[]) {
        const fast = Train.trainStep(model, Loss.softmaxCrossEntropy, opt)
        const plain = Train.trainStep(unmarked, Loss.softmaxCrossEntropy, opt)
        let [sa, pa, sb, pb] = [opt.init(params), params, opt.init(params), params]
        for (let s = 0; s < 4; s++) {
          const a = fast(sa, pa, x, y)
          const b = plain(sb, pb, x, y)
          if (isLeft(a) || isLeft(b)) throw new Error('a step failed')
          expect(bitsOf(a.right.params)).toEqual(bitsOf(b.right.params))
          expect(a.right.state.step).toBe(b.right.state.step)
          ;[sa, pa, sb, pb] = [a.right.state, a.right.params, b.right.state, b.right.params]
        }
      }
    }))

  it('reports a parameter or gradient that is not finite as the ordinary update does (what, path, value)', () =>
    withKernels(() => {
      const unmarked = { ...model }
      // a rate that overflows a parameter; a loss whose cotangent has an infinity at one output
      const big = { ...params, 2: { ...params[2], w: fromData(params[2].w.shape, Array.from(params[2].w.data, (v) => v * 1e200)) } }
      const infinite: LossFn<Int32Array> = (t) => {
        const ce = Loss.softmaxCrossEntropy(t)
        return make({ apply: ce.apply, jvp: ce.jvp, vjp: (out) => [ce.apply(out), () => fromData(out.shape, Array.from(out.data, (_, i) => (i === 7 ? Infinity : 0.5)))] })
      }
      for (const [p, lr, loss, what] of [[big, 1e200, Loss.softmaxCrossEntropy, 'parameters'], [params, 0.1, infinite, 'gradient']] as const) {
        const opt = sgd({ lr })
        const a = Train.trainStep(model, loss, opt)(opt.init(p), p, x, y)
        const b = Train.trainStep(unmarked, loss, opt)(opt.init(p), p, x, y)
        expect(isLeft(b) && b.left.what === what).toBe(true)
        expect(JSON.stringify(a, (_k, v) => (typeof v === 'number' ? String(v) : v))).toBe(JSON.stringify(b, (_k, v) => (typeof v === 'number' ? String(v) : v)))
      }
    }))

  it('fit gives the bits of fresh arrays when it reuses one for the batches and old parameters for products (a short last batch too)', () =>
    withKernels(() => {
      const options = { loss: Loss.softmaxCrossEntropy, epochs: 3, batchSize: 10, learningRate: 0.05, key: key(5), metrics: { accuracy: Loss.accuracy } }
      // a rate at which the loss goes up in the last epoch: the best parameters are an earlier epoch's
      const stopping = { ...options, epochs: 8, learningRate: 0.5, earlyStopping: { monitor: 'loss' as const, patience: 3, restoreBest: true } }
      // twice each: the second fit of the job starts with the arrays the first gave up
      for (const o of [options, options, stopping, stopping]) {
        const a = Train.fit(model, params, { x, y }, o)
        const b = Train.fit({ ...model }, params, { x, y }, o)
        if (isLeft(a) || isLeft(b)) throw new Error('fit failed')
        expect(bitsOf(a.right.params)).toEqual(bitsOf(b.right.params))
        expect(JSON.stringify(a.right.history)).toBe(JSON.stringify(b.right.history))
      }
    }))

  it('gives a fresh batch to a user\'s own first layer, which may keep it', () =>
    withKernels(() => {
      const kept: [Float64Array, Float64Array][] = []
      const mine = usersDense((d) => (p, xs) => {
        hold(kept, xs)
        return d.vjpParams(p, xs)
      })
      const m = Layer.sequential(mine, Layer.activation(Act.relu), Layer.dense(32, 5))
      const r = Train.fit(m, m.init(key(6)), { x, y }, { loss: Loss.softmaxCrossEntropy, epochs: 2, batchSize: 8, learningRate: 0.05, key: key(7) })
      expect(isRight(r)).toBe(true)
      expect(kept.length).toBe(6)
      expect(unchanged(kept)).toBe(true)
    }))

  it('lends what a sealed step made to later steps and fits, and changes nothing a user reaches: returned values, data, metrics\' outputs', () =>
    withKernels(() => {
      const held: [Float64Array, Float64Array][] = []
      const xv = uniform(key(8), [10, 40])
      const yv = Int32Array.from(uniform(key(9), [10]).data, (v) => Math.floor(v * 5))
      hold(held, params)
      hold(held, x)
      hold(held, xv)
      // a metric that keeps every output it is shown (as a user's may)
      const kept = (_t: Int32Array) => (out: Tensor) => {
        hold(held, out)
        return 0
      }
      const options = { loss: Loss.softmaxCrossEntropy, epochs: 2, batchSize: 8, learningRate: 0.05, key: key(3), metrics: { kept }, validation: { x: xv, y: yv } }
      let p = params
      let gaveUp = 0
      for (const o of [options, { ...options, earlyStopping: { monitor: 'loss' as const, patience: 1, restoreBest: true } }, options]) {
        const r = Train.fit(model, p, { x, y }, o)
        if (isLeft(r)) throw new Error(r.left.message)
        gaveUp += takeUp().length
        hold(held, r.right.params)
        hold(held, r.right.state.slots)
        p = r.right.params
        // and once more with the arrays given up back in the pool, for the next fit
        const again = Train.fit(model, p, { x, y }, o)
        if (isLeft(again)) throw new Error(again.left.message)
        hold(held, again.right.params)
      }
      expect(gaveUp).toBeGreaterThan(0)
      expect(unchanged(held)).toBe(true)
    }))

  it("lends nothing a user's own activation or loss made or saw (they are not sealed)", () =>
    withKernels(() => {
      const kept: [Float64Array, Float64Array][] = []
      const keep = <A>(t: A): A => {
        hold(kept, t)
        return t
      }
      const relu = Act.relu.diff
      const mine: Layer.ActivationLike = {
        name: 'mine',
        diff: make({
          apply: relu.apply,
          jvp: relu.jvp,
          vjp: (h: Tensor) => {
            const [out, pb] = relu.vjp(keep(h))
            return [keep(out), (g: Tensor) => keep(pb(g))]
          },
        }),
      }
      const ce: LossFn<Int32Array> = (t) => {
        const l = Loss.softmaxCrossEntropy(t)
        return make({ apply: l.apply, jvp: l.jvp, vjp: (out) => {
          const [v, pb] = l.vjp(out)
          return [v, (c: number) => keep(pb(c))]
        } })
      }
      const options = { epochs: 2, batchSize: 8, learningRate: 0.05, key: key(10) }
      const withMine = Layer.sequential(Layer.dense(40, 32, { init: 'he' }), Layer.activation(mine), Layer.dense(32, 5))
      for (const [m, loss] of [[withMine, Loss.softmaxCrossEntropy], [model, ce]] as const)
        for (let i = 0; i < 2; i++) {
          const r = Train.fit(m, params, { x, y }, { ...options, loss })
          expect(isRight(r)).toBe(true)
        }
      expect(kept.length).toBe(2 * 6 * 3 + 2 * 6) // two fits of six steps, three arrays a step in the activation, one in the loss
      expect(unchanged(kept)).toBe(true)
    }))
})

describe('sealed: the library code that keeps nothing', () => {
  it("marks the built-in activations, layers and losses, and nothing a user made or copied", () => {
    const builtIn = [...Act.all.map((a) => a.diff), Act.softmax.diff, Act.logSoftmax.diff, Act.leakyRelu(0.2).diff]
    expect(builtIn.every(isSealed)).toBe(true)
    expect([Layer.dense(2, 3), Layer.activation(Act.tanh), Layer.perceptron(2), model, Layer.sequential()].every(isSealed)).toBe(true)
    expect([Loss.mse, Loss.binaryCrossEntropyWithLogits, Loss.softmaxCrossEntropy].every(isSealed)).toBe(true)
    const square = Act.pointwiseDiff('square', {
      value: (xs, out) => out.set(xs.map((v) => v * v)),
      valueAndDerivative: (xs, out, d) => {
        out.set(xs.map((v) => v * v))
        d.set(xs.map((v) => 2 * v))
      },
    })
    const users = [
      square,
      { ...Act.relu.diff },
      Layer.activation({ name: 'square', diff: square }),
      Layer.sequential(Layer.dense(2, 2), Layer.activation({ name: 'square', diff: square })),
      { ...model },
      (t: Int32Array) => Loss.softmaxCrossEntropy(t),
    ]
    expect(users.some(isSealed)).toBe(false)
  })
})
