/**
 * Issue 2's figures: forward mode on a 20-operation function and reverse mode on a
 * 1,000,000-operation chain, each against the plain `number` evaluation of the same generic code.
 *
 * Each ratio is reported twice, because V8 shares the feedback (and the optimised code) of one
 * function literal between every instance it is called with:
 * - "shared": one generic function, evaluated both on numbers and on duals or tape variables in
 *   the same process (so its calls of `F.add` etc. see two instances), as a user who computes
 *   values and derivatives of the same function does;
 * - "monomorphic": copies of the same source (made with `new Function` from its text, so each is
 *   a distinct function literal), one only ever evaluated on numbers and one only ever
 *   differentiated: each mode at its fastest.
 *
 * For reverse mode it also times a hand-written tape of the same chain (one loop that writes the
 * nodes and one that sweeps them, no library): the floor that memory traffic puts under any
 * typed-array tape on this machine, to tell the library's overhead from the hardware's.
 */
import { Dual, Reverse, floatingNumber, type Floating, type MultiFn, type ScalarFn } from '../../src/index.js'
import { compare, ratio, type Figure, type Suite } from '../harness.js'

/** 20 operations: a mix of arithmetic and elementary functions. Self-contained, see `copyOf`. */
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

/** A chain of 1,000,000 operations: 500,000 times x <- x w + x0. Self-contained, see `copyOf`. */
const chain: MultiFn = <A>(F: Floating<A>) => ([x0 = F.zero, w = F.zero]: readonly A[]): A => {
  let x = x0
  for (let i = 0; i < 500_000; i++) x = F.add(F.mul(x, w), x0)
  return x
}

/**
 * The chain's gradient by a hand-written tape: per node a value, a kind and two parents (17
 * bytes, as `Reverse` stores them), then one backward loop. Returns d/dx0.
 */
const floorTape = (() => {
  const size = 1 << 20
  const val = new Float64Array(size)
  const kind = new Uint8Array(size)
  const pa = new Int32Array(size)
  const pb = new Int32Array(size)
  return (x0: number, w: number): number => {
    val[2] = x0
    val[3] = w
    let n = 4
    let x = 2
    for (let i = 0; i < 500_000; i++) {
      val[n] = val[x]! * w
      kind[n] = 3
      pa[n] = x
      pb[n] = 3
      n++
      val[n] = val[n - 1]! + x0
      kind[n] = 1
      pa[n] = n - 1
      pb[n] = 2
      x = n++
    }
    const g = new Float64Array(n)
    g[x] = 1
    for (let j = x; j >= 4; j--) {
      const gj = g[j]!
      if (gj === 0) continue
      const a = pa[j]!
      const b = pb[j]!
      if (kind[j] === 1) {
        g[a]! += gj
        g[b]! += gj
      } else {
        g[a]! += gj * val[b]!
        g[b]! += gj * val[a]!
      }
    }
    return g[2]!
  }
})()

/**
 * A distinct function literal with the same source as `f` (which must not refer to anything
 * outside itself), so that V8 keeps separate feedback for it.
 */
const copyOf = <T>(f: T): T => new Function(`return (${String(f)})`)() as T

export const suite: Suite = {
  name: 'scalar AD (issue 2)',
  run: () => {
    let sink = 0
    const xs = Array.from({ length: 1000 }, (_, i) => -2 + (4 * i) / 1000)
    const shared = twenty(floatingNumber)
    const mono = copyOf(twenty)(floatingNumber)
    const df = Dual.derivative(twenty)
    const dfMono = Dual.derivative(copyOf(twenty))
    if (mono(0.3) !== shared(0.3) || dfMono(0.3) !== df(0.3)) throw new Error('a monomorphic copy computes something else')
    const t20 = compare({
      shared: () => {
        for (const x of xs) sink += shared(x)
      },
      mono: () => {
        for (const x of xs) sink += mono(x)
      },
      derivative: () => {
        for (const x of xs) sink += df(x)
      },
      derivativeMono: () => {
        for (const x of xs) sink += dfMono(x)
      },
    })
    const chainShared = chain(floatingNumber)
    const chainMono = copyOf(chain)(floatingNumber)
    const grad = Reverse.grad(chain)
    const gradMono = Reverse.grad(copyOf(chain))
    if (Math.abs(floorTape(0.5, 0.9) - grad([0.5, 0.9])[0]!) > 1e-9) throw new Error('the hand-written tape computes something else')
    const tChain = compare(
      {
        shared: () => {
          sink += chainShared([0.5, 0.9])
        },
        mono: () => {
          sink += chainMono([0.5, 0.9])
        },
        gradient: () => {
          sink += grad([0.5, 0.9])[0]!
        },
        gradientMono: () => {
          sink += gradMono([0.5, 0.9])[0]!
        },
        floor: () => {
          sink += floorTape(0.5, 0.9)
        },
      },
      { rounds: 7, minMs: 100 },
    )
    if (Number.isNaN(sink)) console.log('')
    const perCall = (ms: number) => (ms * 1e6) / xs.length
    const figures: Figure[] = [
      { name: 'forward: 20-op function, plain (shared)', value: perCall(t20.shared), unit: 'ns/call' },
      { name: 'forward: 20-op function, derivative (shared)', value: perCall(t20.derivative), unit: 'ns/call' },
      { name: 'forward: 20-op function, plain (monomorphic)', value: perCall(t20.mono), unit: 'ns/call' },
      { name: 'forward: 20-op function, derivative (monomorphic)', value: perCall(t20.derivativeMono), unit: 'ns/call' },
      ratio('forward: derivative / plain, shared (20 ops)', t20.derivative / t20.shared, '<=', 5),
      ratio('forward: derivative / plain, monomorphic (20 ops)', t20.derivativeMono / t20.mono, '<=', 5),
      { name: 'reverse: 1e6-op chain, plain (shared)', value: tChain.shared, unit: 'ms' },
      { name: 'reverse: 1e6-op chain, gradient (shared)', value: tChain.gradient, unit: 'ms' },
      { name: 'reverse: 1e6-op chain, plain (monomorphic)', value: tChain.mono, unit: 'ms' },
      { name: 'reverse: 1e6-op chain, gradient (monomorphic)', value: tChain.gradientMono, unit: 'ms' },
      ratio('reverse: gradient / plain, shared (1e6-op chain)', tChain.gradient / tChain.shared, '<=', 10),
      ratio('reverse: gradient / plain, monomorphic (1e6-op chain)', tChain.gradientMono / tChain.mono, '<=', 10),
      { name: 'reverse: 1e6-op chain, hand-written tape (memory floor)', value: tChain.floor, unit: 'ms' },
      { name: 'reverse: hand-written tape / plain, monomorphic', value: tChain.floor / tChain.mono, unit: 'x' },
      { name: 'reverse: gradient (monomorphic) / hand-written tape', value: tChain.gradientMono / tChain.floor, unit: 'x' },
    ]
    return figures
  },
}
