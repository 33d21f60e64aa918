/**
 * Arrays lent to the kernels (kernels/spares.ts): taken by exact length, once, only inside the
 * call, which learns what the kernels handed out; arrays given up wait for the next taker until
 * the job ends; a kernel writes every element of a lent array (the bits of a fresh one).
 */
import { describe, expect, it } from 'vitest'
import * as Act from '../src/Activation.js'
import * as Loss from '../src/Loss.js'
import { giveUp, takeOne, takeUp, toOverwrite, withSpares } from '../src/kernels/spares.js'
import { matmulNN } from '../src/kernels/matmul.js'
import { useKernels } from '../src/kernels/backend.js'
import { fromData } from '../src/Tensor.js'

describe('withSpares and toOverwrite', () => {
  it('lend each array once, to a request of its length, inside the call only; calls nest', () => {
    const a = new Float64Array(4)
    const b = new Float64Array(6)
    expect(toOverwrite(4)).not.toBe(a)
    withSpares([a, b], () => {
      expect(toOverwrite(5)).not.toBe(a)
      expect(toOverwrite(6)).toBe(b)
      withSpares([], () => expect(toOverwrite(4)).not.toBe(a))
      expect(toOverwrite(4)).toBe(a)
      expect(toOverwrite(4)).not.toBe(a)
    })
    expect(toOverwrite(4)).not.toBe(a)
    expect(withSpares([a], () => 7).value).toBe(7)
  })

  it('tell the caller every array handed out inside the call (lent or fresh), and the lent ones not taken', () => {
    const [a, b, c] = [new Float64Array(4), new Float64Array(6), new Float64Array(6)]
    let inner: readonly Float64Array[] = []
    const r = withSpares([a, b, c], () => {
      const x = toOverwrite(6)
      const y = toOverwrite(3)
      inner = withSpares([], () => [toOverwrite(2)]).made
      return [x, y]
    })
    expect(r.made).toEqual(r.value)
    expect(r.made[0]).toBe(b)
    expect(inner.length).toBe(1)
    expect(r.made).not.toContain(inner[0])
    expect(r.unused).toEqual([a, c])
    expect(r.unused[0]).toBe(a)
    expect(r.unused[1]).toBe(c)
  })

  it('keep what a caller gives up for the next taker until the job ends, at most 64 arrays', async () => {
    const a = new Float64Array(5)
    giveUp([a])
    const taken = takeUp()
    expect(taken).toEqual([a])
    expect(taken[0]).toBe(a)
    expect(takeUp()).toEqual([])
    const many = Array.from({ length: 70 }, (_, i) => new Float64Array(i + 1))
    giveUp(many)
    const kept = takeUp()
    expect(kept.length).toBe(64)
    expect(kept[0]).toBe(many[6])
    giveUp([a])
    await Promise.resolve()
    await Promise.resolve()
    expect(takeUp()).toEqual([])
    const pool = [new Float64Array(3), new Float64Array(5)]
    const five = pool[1]
    expect(takeOne(pool, 5)).toBe(five) // taken out of the list
    expect(pool.length).toBe(1)
    expect(takeOne(pool, 4).length).toBe(4)
    expect(pool.length).toBe(1)
  })

  it("give a Wasm matrix product the product's bits, whatever the lent array held", () => {
    useKernels({ backend: 'wasm' })
    try {
      const x = Float64Array.from({ length: 600 }, (_, i) => Math.sin(i))
      const w = Float64Array.from({ length: 200 }, (_, i) => Math.cos(i))
      const want = [...matmulNN(x, w, 30, 20, 10)]
      const garbage = new Float64Array(300).fill(NaN)
      const got = withSpares([garbage], () => matmulNN(x, w, 30, 20, 10)).value
      expect(got).toBe(garbage)
      expect([...got]).toEqual(want)
    } finally {
      useKernels({ backend: 'auto' })
    }
  })

  it("give Wasm activations, their pullbacks and a loss's gradient their bits, whatever the lent arrays held", () => {
    useKernels({ backend: 'wasm' })
    try {
      const x = fromData([40, 10], Array.from({ length: 400 }, (_, i) => Math.sin(i) * 3))
      const c = fromData([40, 10], Array.from({ length: 400 }, (_, i) => Math.cos(i)))
      const labels = Array.from({ length: 40 }, (_, i) => i % 10)
      const run = () => {
        const [y, pb] = Act.sigmoid.diff.vjp(x)
        const [l, pbLoss] = Loss.softmaxCrossEntropy(labels).vjp(x)
        return [[...Act.relu.diff.apply(x).data], [...y.data], [...pb(c).data], [l], [...pbLoss(1).data]]
      }
      const want = run()
      const garbage = () => new Float64Array(400).fill(NaN)
      const lent = [garbage(), garbage(), garbage(), garbage(), garbage(), garbage()]
      const got = withSpares(lent, run)
      expect(got.value).toEqual(want)
      expect(got.unused.length).toBeLessThan(2) // the kernels took them
    } finally {
      useKernels({ backend: 'auto' })
    }
  })
})
