/**
 * Issue 2's figures: forward mode on a 20-operation function and reverse mode on a
 * 1,000,000-operation chain, each against the plain `number` evaluation of the same generic code.
 */
import { Dual, Reverse, floatingNumber, type Floating, type MultiFn, type ScalarFn } from '../../src/index.js'
import { compare, ratio, type Suite } from '../harness.js'

/** 20 operations: a mix of arithmetic and elementary functions. */
const twenty: ScalarFn = <A>(F: Floating<A>) => (x: A): A => {
  const a = F.mul(x, x) // 1
  const b = F.add(a, F.of(1)) // 2 (of is free of arithmetic)
  const c = F.sin(b) // 3
  const d = F.mul(c, x) // 4
  const e = F.exp(F.neg(a)) // 5, 6
  const f = F.add(d, e) // 7
  const g = F.tanh(f) // 8
  const h = F.div(g, b) // 9
  const i = F.sub(h, c) // 10
  const j = F.mul(i, i) // 11
  const k = F.log1p(j) // 12
  const l = F.sqrt(F.add(k, b)) // 13, 14
  const m = F.mul(l, d) // 15
  const n = F.cos(m) // 16
  const o = F.add(n, h) // 17
  const p = F.mul(o, e) // 18
  const q = F.sub(p, x) // 19
  return F.mul(q, g) // 20
}

const N = 1_000_000
/** A chain of 1,000,000 operations: alternately x <- x * 0.999999 + sin(x)-free arithmetic. */
const chain: MultiFn = <A>(F: Floating<A>) => ([x0 = F.zero, w = F.zero]: readonly A[]): A => {
  let x = x0
  for (let i = 0; i < N / 2; i++) x = F.add(F.mul(x, w), x0)
  return x
}

export const suite: Suite = {
  name: 'scalar AD (issue 2)',
  run: () => {
    let sink = 0
    const f = twenty(floatingNumber)
    const df = Dual.derivative(twenty)
    const xs = Array.from({ length: 1000 }, (_, i) => -2 + (4 * i) / 1000)
    const t20 = compare({
      plain: () => { for (const x of xs) sink += f(x) },
      derivative: () => { for (const x of xs) sink += df(x) },
    })
    const chainPlain = chain(floatingNumber)
    const grad = Reverse.gradient(chain)
    const tChain = compare(
      {
        plain: () => { sink += chainPlain([0.5, 0.9]) },
        gradient: () => { sink += grad([0.5, 0.9])[0]! },
      },
      { rounds: 5, minMs: 100 },
    )
    if (Number.isNaN(sink)) console.log('')
    return [
      { name: 'forward: 20-op function, plain evaluation', value: (t20.plain * 1e6) / xs.length, unit: 'ns/call' },
      ratio('forward: derivative / plain (20 ops)', t20.derivative / t20.plain, '<=', 5),
      { name: 'reverse: 1e6-op chain, plain evaluation', value: tChain.plain, unit: 'ms' },
      ratio('reverse: gradient / plain (1e6-op chain)', tChain.gradient / tChain.plain, '<=', 10),
    ]
  },
}
