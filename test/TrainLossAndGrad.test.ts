import { describe, expect, it } from 'vitest'
import * as Act from '../src/Activation.js'
import * as L from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import { key, uniform } from '../src/Random.js'
import { fromData } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as Tr from '../src/Train.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'

const x = uniform(key(1), [5, 3], { low: -1, high: 1 })
const labels = [0, 2, 1, 1, 0]
const model = L.sequential(L.dense(3, 4), L.activation(Act.tanh), L.dense(4, 3), L.activation(Act.softplus), L.dense(3, 3))
const params = model.init(key(2))

/** The loss at the params that `unravel` makes of `v`. */
const lossAt = (unravel: (v: ArrayLike<number>) => typeof params, v: Float64Array): number =>
  Loss.softmaxCrossEntropy(labels).apply(model.apply([unravel(v), x]))

describe('lossAndGrad(model, loss)(params, x, y)', () => {
  const [loss, grads] = Tr.lossAndGrad(model, Loss.softmaxCrossEntropy)(params, x, labels)

  it('gives the loss of the model on the batch', () => {
    expect(loss).toBe(Loss.softmaxCrossEntropy(labels).apply(model.apply([params, x])))
  })

  it('gives grads of exactly the structure of params, with no entry for the activation layers', () => {
    const [, defP] = T.flatten(params as Tree)
    const [, defG] = T.flatten(grads as Tree)
    expect(defG).toEqual(defP)
    expect(T.structureEq(grads, params)).toBe(true)
    expect(Object.entries(grads).map(([i, g]) => [i, Object.keys(g).sort()])).toEqual([['0', ['b', 'w']], ['2', ['b', 'w']], ['4', ['b', 'w']]])
  })

  it('agrees with central finite differences in every parameter', () => {
    const [flat, unravel] = T.ravel(params)
    const g = T.ravel(grads as Tree)[0]
    const h = 1e-6
    for (let i = 0; i < flat.length; i++) {
      const up = Float64Array.from(flat)
      const down = Float64Array.from(flat)
      up[i] = up[i]! + h
      down[i] = down[i]! - h
      const fd = (lossAt(unravel, up) - lossAt(unravel, down)) / (2 * h)
      expect(Math.abs(fd - g[i]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)))
    }
  })

  it('is what trainStep descends along: one SGD step of rate 1 moves params by exactly -grads', () => {
    const p = { w: fromData([1, 1], [2]), b: fromData([1], [0.5]) }
    const lin = L.dense(1, 1)
    const xb = fromData([2, 1], [1, 3])
    const yb = fromData([2, 1], [1, 2])
    const [l, g] = Tr.lossAndGrad(lin, Loss.mse)(p, xb, yb)
    // outputs 2.5 and 6.5, residuals 1.5 and 4.5: loss (2.25 + 20.25) / 2, dL/dw = mean(2 r x), dL/db = mean(2 r)
    expect(l).toBe(11.25)
    expect([...(g.w as Tensor).data]).toEqual([(2 * 1.5 * 1 + 2 * 4.5 * 3) / 2])
    expect([...(g.b as Tensor).data]).toEqual([(2 * 1.5 + 2 * 4.5) / 2])
  })
})
