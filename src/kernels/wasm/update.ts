/**
 * The optimizer updates in WebAssembly SIMD, generated: plain SGD `p - lr g` and SGD with weight
 * decay `p - lr (g + wd p)`, the same operations in the same order as the JavaScript loop of
 * `Optimizer.sgd`, so the bits are the same. In W1 (784-128-10, one thread, Wasm matmul) the JS
 * update loop took 7-9% of a training step, most of it writing 100k fresh doubles element by
 * element; copied out of Wasm memory in one `set`, the update and relu together (kernels and
 * copies) take about 5% (profiles on a loaded machine, `bench/profile/w1.ts`).
 *
 * @packageDocumentation
 */
import type { Func } from './emit.js'
import { f64x2, get, seq, set, v128 } from './emit.js'
import { streamLoop } from './loop.js'

/** `sgd(p, g, out, n, lr)` and `sgdDecay(p, g, out, n, lr, wd)`, each returning 1 if a result is not finite. */
export const updateFuncs = (): readonly Func[] => [
  streamLoop({ name: 'sgd', ins: 2, outs: 1, scalars: 1, finiteResults: true }, (s, [p, g], [lr]) => {
    const out = s.local()
    return { steps: [seq(get(p!), get(lr!), get(g!), v128.mul, f64x2.sub, set(out))], results: [out] }
  }),
  streamLoop({ name: 'sgdDecay', ins: 2, outs: 1, scalars: 2, finiteResults: true }, (s, [p, g], [lr, wd]) => {
    const out = s.local()
    return { steps: [seq(get(p!), get(lr!), get(g!), get(wd!), get(p!), v128.mul, v128.add, v128.mul, f64x2.sub, set(out))], results: [out] }
  }),
]
