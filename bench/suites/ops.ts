/**
 * `valueAndGrad` of `sum(sigmoid(x))` over 1,000,000 elements through the primitives' pullbacks,
 * against a hand-written fused forward+backward loop on `Float64Array`, in the same process.
 */
import { compare, lcg, ratio, type Figure, type Suite } from '../harness.js'
import { compose } from '../../src/Diff.js'
import { valueAndGrad } from '../../src/Grad.js'
import { wrap, type Tensor } from '../../src/Tensor.js'
import { sigmoid } from '../../src/ops/unary.js'
import { sum } from '../../src/ops/reduce.js'

const N = 1_000_000

/** The baseline: one loop computing the value, the sum and the gradient `s (1 - s)`, with the same sigmoid formula as the kernel. */
const fused = (x: Float64Array): readonly [number, Float64Array] => {
  const g = new Float64Array(x.length)
  let total = 0
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!
    const e = Math.exp(-Math.abs(v))
    const r = 1 / (1 + e)
    const s = v >= 0 ? r : e * r
    total += s
    g[i] = s * (1 - s)
  }
  return [total, g]
}

/** The suite: the composed primitives against the fused loop. */
export const suite: Suite = {
  name: 'valueAndGrad sum(sigmoid(x)), 1e6 elements',
  run: () => {
    const data = Float64Array.from({ length: N }, lcg(7, -8, 8))
    const x = wrap([N], data.slice())
    const f = valueAndGrad(compose(sum(), sigmoid))
    const [v, g] = f(x) as readonly [Tensor, Tensor]
    const [v0, g0] = fused(data)
    let d = 0
    for (let i = 0; i < N; i++) d = Math.max(d, Math.abs(g.data[i]! - g0[i]!))
    if (!(Math.abs(v.data[0]! - v0) < 1e-6 && d < 1e-15)) throw new Error(`ops bench: results differ (${v.data[0]} vs ${v0}, ${d})`)
    const fns = { ours: () => f(x), base: () => fused(data) }
    const t = compare(fns, { rounds: 9, minMs: 100 })
    const c = compare(fns, { rounds: 9, minMs: 60, clock: 'cpu' })
    const figures: Figure[] = [
      { name: 'ours: valueAndGrad(compose(sum(), sigmoid))', value: t.ours, unit: 'ms' },
      { name: 'hand-written fused forward+backward loop', value: t.base, unit: 'ms' },
      ratio('ours / fused loop speed (wall time)', t.base / t.ours, '>=', 0.8),
      ratio('ours / fused loop speed (CPU time)', c.base / c.ours, '>=', 0.8),
    ]
    return figures
  },
}
