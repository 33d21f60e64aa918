/**
 * Where the CPU goes while W1 trains, thread by thread (Linux, from /proc/self/task): `fit` (one
 * epoch of 512 examples, as the train suite) and `Train.trainStep` loops, 2 s each at 1 and 2
 * threads: samples/s, and the CPU ticks (1/100 s) of the main thread, the kernel worker and V8's
 * own background threads. `tsx bench/profile/w1-cpu.ts`; compare with
 * `node --single-threaded-gc --import tsx bench/profile/w1-cpu.ts`.
 *
 * Measured here (quiet machine, 2 s = 200 ticks of wall per line): during `fit` at 2 threads V8's
 * four background threads (concurrent marking and sweeping) took 84 ticks, about 0.4 of the second
 * core, the worker 79, and the main thread ran only 162 (off its core the rest: three kinds of busy
 * thread share two cores); 2 threads / 1 was 1.19 for `fit` (43.3k -> 51.3k samples/s) and
 * 1.29 for steps. With `--single-threaded-gc` the background threads took 4-24 ticks, the worker
 * 104-137, the main thread 200, and 2 threads / 1 was 1.37 (46.1k -> 63.0k) and 1.59 (53.1k ->
 * 84.6k); one thread was faster too.
 *
 * After the allocation cuts of issue 16 (SGD over the gradients, one batch array, lent parameter
 * arrays, the bias over the product: 3.0 -> 1.1 MB of fresh arrays a `fit` step,
 * `w1-alloc.ts`), without any flag: V8's background threads took 15 ticks at 2 threads, the
 * worker 129, and 2 threads / 1 was 1.54 for `fit` (51.9k -> 79.8k) and 1.55 for steps. The train
 * suite still said 1.22-1.25: its 2-thread sample follows a tfjs-wasm epoch, after which our
 * `fit` runs about 10% slower for a while (no tfjs thread runs meanwhile; cause not found); with
 * the subjects ordered ours 1 thread, then ours 2 threads, it said 1.51 and 1.54 (the base of
 * this session, so ordered: 1.33, 1.13).
 */
import { newestThread, ticks } from './ticks.js'
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { kernelInfo, useKernels } = await import('../../src/kernels/backend.js')
const { fitTrainer, w1Trainer } = await import('../train/w1.js')

const fit = fitTrainer()
const steps = w1Trainer()
useKernels({ threads: 2 })
fit()
for (let i = 0; i < 200 && kernelInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 50))

const main = String(process.pid)
const worker = newestThread()
for (const [name, run] of [['fit', () => fit()], ['steps', () => steps.run(4)]] as const)
  for (const t of [1, 2]) {
    useKernels({ threads: t })
    const a = ticks()
    const t0 = performance.now()
    let n = 0
    while (performance.now() - t0 < 2000) {
      run()
      n++
    }
    const wall = performance.now() - t0
    const d = [...ticks()].map(([tid, v]) => [tid, v - (a.get(tid) ?? 0)] as const)
    const of = (tid: string): number => d.find(([x]) => x === tid)?.[1] ?? 0
    const v8 = d.filter(([x]) => x !== main && x !== worker).reduce((s, [, v]) => s + v, 0)
    console.log(`${name.padEnd(5)} ${t} thread(s): ${((n * 512 * 1000) / wall).toFixed(0)} samples/s; CPU ticks in ${(wall / 10).toFixed(0)} of wall: main ${of(main)}, worker ${of(worker)}, V8 background ${v8}`)
  }
