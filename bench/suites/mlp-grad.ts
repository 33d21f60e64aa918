/**
 * The cheap-gradient principle: the gradient of a 784-128-10 MLP loss (dense, relu, dense,
 * softmax cross-entropy averaged over a batch of 128), built from the primitives and
 * differentiated through their pullbacks, against its forward pass alone.
 */
import { compare, lcg, ratio, type Figure, type Suite } from '../harness.js'
import type { Tensor } from '../../src/Tensor.js'
import { wrap } from '../../src/Tensor.js'
import { add, mul, sub } from '../../src/ops/arithmetic.js'
import { matmul } from '../../src/ops/linalg.js'
import { bindLeft } from '../../src/ops/Primitive.js'
import { logSumExp, mean, sum } from '../../src/ops/reduce.js'
import { relu } from '../../src/ops/unary.js'
import { plus } from '../../src/ops/tensorMath.js'

const BATCH = 128
const IN = 784
const HIDDEN = 128
const OUT = 10

type Params = readonly [w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor]

const lse = logSumExp({ axis: 1 })
const rowSum = sum({ axis: 1 })
const meanAll = mean()

/** The loss: mean over the batch of logSumExp(z) - z[label], with z = relu(x W1 + b1) W2 + b2. */
const makeLoss = (x: Tensor, oneHot: Tensor) => {
  const layer1 = bindLeft(matmul, x) // W1 => x W1: the data is a constant, no input gradient
  const pick = bindLeft(mul, oneHot)
  const forward = ([w1, b1, w2, b2]: Params): Tensor => {
    const h = relu.apply(add.apply([layer1.apply(w1), b1]))
    const z = add.apply([matmul.apply([h, w2]), b2])
    return meanAll.apply(sub.apply([lse.apply(z), rowSum.apply(pick.apply(z))]))
  }
  /** Value and gradient by the primitives' pullbacks, chained in reverse by hand. */
  const valueAndGrad = ([w1, b1, w2, b2]: Params): readonly [Tensor, Params] => {
    const [a1, pA1] = layer1.vjp(w1)
    const [z1, pZ1] = add.vjp([a1, b1])
    const [h, pH] = relu.vjp(z1)
    const [a2, pA2] = matmul.vjp([h, w2])
    const [z, pZ] = add.vjp([a2, b2])
    const [l, pL] = lse.vjp(z)
    const [m, pM] = pick.vjp(z)
    const [p, pP] = rowSum.vjp(m)
    const [d, pD] = sub.vjp([l, p])
    const [loss, pLoss] = meanAll.vjp(d)
    const [gl, gp] = pD(pLoss(wrap([], Float64Array.of(1))))
    const gz = plus(pL(gl), pM(pP(gp)))
    const [ga2, gb2] = pZ(gz)
    const [gh, gw2] = pA2(ga2)
    const [ga1, gb1] = pZ1(pH(gh))
    return [loss, [pA1(ga1), gb1, gw2, gb2]]
  }
  return { forward, valueAndGrad }
}

/** The suite: the median time of value-and-gradient over the median time of the forward pass. */
export const suite: Suite = {
  name: 'MLP 784-128-10 gradient vs forward (batch 128)',
  run: () => {
    const rand = lcg(11)
    const t = (shape: number[], scale: number) =>
      wrap(shape, Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * scale))
    const x = t([BATCH, IN], 1)
    const labels = Array.from({ length: BATCH }, (_, i) => (i * 7) % OUT)
    const oneHot = wrap([BATCH, OUT], Float64Array.from({ length: BATCH * OUT }, (_, k) => (labels[Math.floor(k / OUT)] === k % OUT ? 1 : 0)))
    const params: Params = [t([IN, HIDDEN], Math.sqrt(6 / (IN + HIDDEN))), t([HIDDEN], 0.1), t([HIDDEN, OUT], Math.sqrt(6 / (HIDDEN + OUT))), t([OUT], 0.1)]
    const { forward, valueAndGrad } = makeLoss(x, oneHot)
    const [l1] = valueAndGrad(params)
    if (!(Math.abs(l1.data[0]! - forward(params).data[0]!) < 1e-12)) throw new Error('mlp bench: value and forward disagree')
    // the gradient agrees with a central difference along a random direction of all parameters
    const [, g] = valueAndGrad(params)
    const dir = params.map((p) => t([...p.shape], 1))
    const step = (h: number) => params.map((p, i) => wrap(p.shape, Float64Array.from(p.data as ArrayLike<number>, (v, j) => v + h * dir[i]!.data[j]!))) as unknown as Params
    const fd = (forward(step(1e-5)).data[0]! - forward(step(-1e-5)).data[0]!) / 2e-5
    const an = g.reduce((s, gi, i) => s + gi.data.reduce((a, v, j) => a + v * dir[i]!.data[j]!, 0), 0)
    if (!(Math.abs(fd - an) <= 1e-6 * (1 + Math.abs(an)))) throw new Error(`mlp bench: gradient ${an} vs finite difference ${fd}`)
    const fns = { forward: () => forward(params), grad: () => valueAndGrad(params) }
    const m = compare(fns, { rounds: 9, minMs: 100 })
    const c = compare(fns, { rounds: 9, minMs: 60, clock: 'cpu' })
    const figures: Figure[] = [
      { name: 'forward pass (loss only)', value: m.forward, unit: 'ms' },
      { name: 'value and gradient (all four parameters)', value: m.grad, unit: 'ms' },
      ratio('gradient cost / forward cost (wall time)', m.grad / m.forward, '<=', 3),
      ratio('gradient cost / forward cost (CPU time)', c.grad / c.forward, '<=', 3),
    ]
    return figures
  },
}
