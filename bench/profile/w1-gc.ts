/**
 * W1 `fit` epochs (one epoch of 512 examples, as the train suite runs them) at 2 threads and 1,
 * interleaved, optionally with a tfjs-wasm epoch before each 2-thread sample and a JS-kernel
 * epoch before each 1-thread sample (the train suite's neighbours):
 * `tsx bench/profile/w1-gc.ts [rounds] [tf 0|1] [js 0|1]`. Prints samples/s, 2/1 per round, the
 * pool's counters, and how much CPU other processes took meanwhile.
 *
 * What it showed: without tfjs, 2/1 was 0.995-1.14; with a tfjs-wasm epoch between rounds both
 * settings got faster and 2/1 was 1.27-1.43. Under `node --min-semi-space-size=16` (no tfjs) 2/1
 * was 1.37-1.40 and mark-compacts fell from 109 to 2 in one run (`--trace-gc`): tfjs's allocations
 * had grown V8's young generation, and fewer mark-compacts mean less concurrent marking on the
 * second core, which the kernel worker needs (see w1-cpu.ts). `--single-threaded-gc` gave 1.37.
 * The young generation is not the whole story: in the train suite itself `--min-semi-space-size=16`
 * did not help (1.05-1.09, 4 runs) while `--single-threaded-gc` did (1.40, 1.45).
 */
import { loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { activeWasm, kernelInfo, useKernels } = await import('../../src/kernels/backend.js')
const { median, sample } = await import('../harness.js')
const { fitTrainer } = await import('../train/w1.js')
const { foreignCpu } = await import('../quiet.js')

const rounds = Number(process.argv[2] ?? 7)
const withTf = process.argv[3] === '1'
const withJs = process.argv[4] === '1'
let tfEpoch: (() => unknown) | undefined
if (withTf) {
  const { tfTrainer, useBackend } = await import('../train/tfjs.js')
  await useBackend('wasm')
  const n = 512, nIn = 784, h = 128, o = 10
  const xs = Float64Array.from({ length: n * nIn }, (_, i) => Math.sin(i))
  const ys = Int32Array.from({ length: n }, (_, i) => i % o)
  const w = { w1: new Float64Array(nIn * h).fill(0.01), b1: new Float64Array(h), w2: new Float64Array(h * o).fill(0.01), b2: new Float64Array(o) }
  tfEpoch = tfTrainer(w, { nIn, nHidden: h, nOut: o }, xs, ys, Array.from({ length: n }, (_, i) => i), 128, 0.01).epoch
}
const fit = fitTrainer()
useKernels({ threads: 2 })
fit()
for (let i = 0; i < 200 && kernelInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 50))
const before = loadavg().map((x) => x.toFixed(2)).join(' ')
const foreign = foreignCpu()
const st0 = activeWasm()!.pool()!.stats()
const s: [number[], number[]] = [[], []]
for (let r = -1; r < rounds; r++)
  for (const t of [2, 1] as const) {
    if (tfEpoch !== undefined && t === 2) sample(tfEpoch, 300)
    if (withJs && t === 1) {
      useKernels({ backend: 'js', threads: 1 })
      sample(fit, 300)
      useKernels({ backend: 'auto' })
    }
    useKernels({ threads: t })
    const sps = (512 / sample(fit, 300)) * 1000
    if (r >= 0) s[t - 1]!.push(sps)
  }
const st = activeWasm()!.pool()!.stats()
const ratios = s[0].map((one, i) => s[1][i]! / one)
console.log(`tf=${withTf} js=${withJs} ${process.execArgv.join(' ')}; load ${before} -> ${loadavg().map((x) => x.toFixed(2)).join(' ')}; other processes ${foreign()?.toFixed(0) ?? '?'} CPU ms/s`)
console.log(`pool: ${st.products - st0.products} products, caller took ${st.callerChunks - st0.callerChunks} of ${st.chunks - st0.chunks} chunks, waited ${(st.waitedMs - st0.waitedMs).toFixed(1)} ms, skipped ${st.skipped - st0.skipped}`)
console.log(`samples/s 1: ${median(s[0]).toFixed(0)} 2: ${median(s[1]).toFixed(0)}; 2/1 ${median(ratios).toFixed(3)} [${ratios.map((x) => x.toFixed(2)).join(', ')}]`)
