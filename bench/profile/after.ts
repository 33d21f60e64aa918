/**
 * Two threads against one, A B at 256 and 512, in a process whose JS heap is as large as the
 * full `npm run bench` leaves it: `tsx bench/profile/after.ts [tfjs | suite ...]` first loads
 * tfjs with its wasm backend (`tfjs`, about 45 MB of live heap, as the activations suite leaves
 * it), or keeps both cores busy for 40 s without allocating (`burn`), or runs the named bench
 * suites (their output discarded), then times 1- and 2-thread samples alternately as the kernels
 * suite does (100 ms each), printing per pair of samples the ms per product and, for the 2-thread
 * one, the CPU ticks (1/100 s) of the main thread, the kernel worker and the other threads (V8's
 * platform threads: concurrent marking and sweeping), minor page faults per product and the
 * pool's counts; then the medians of 2 / 1, and how many full collections ended during the
 * samples.
 *
 * What it showed (issue 16, this machine): with the heap of the full bench (56 MB live, 8 MB with
 * the kernels suite alone), each product's fresh result (2 MB at 512) counts as external memory,
 * every 64 MB of which starts a full mark-compact (`--trace-gc`: "external memory pressure",
 * about every 70-150 ms at 2 threads); marking the large heap runs on V8's background threads
 * and took 4-9 of the 60 ticks of the two cores during a 2-thread sample (1-2 with the small
 * heap), time the worker or the caller then lose; a 1-thread sample loses nothing, its second
 * core being idle. Before the pool judged products by its wait for the workers, its GC pauses also
 * made it compute products alone (`skipped`; 0-2 per 50 products at 512, 0-4 per 120 at 256).
 *
 * Kernels suite, 2 / 1 threads (this session, runs with other processes under 100 CPU ms/s):
 * alone 1.83, 1.87, 1.85 at 512 and 1.75, 1.75, 1.80 at 256; after `activations fit-async gunzip
 * heap` 1.74, 1.65, 1.60 and 1.28, 1.49, 1.47 (the code before this session's pool change: 1.81,
 * 1.64, 1.73 and 1.54, 1.53, 1.32). Tried and not kept, no gain measurable against the noise
 * (5-10% between runs): workers packing op(B) by blocks of columns while the caller copies A in
 * (the serial part before a 512 product is 0.3 ms of 5.6: copies 0.17, packing 0.13), and chunks
 * down to 2 tiles instead of 4 (512 +1.5%, 256 -4%). In a 2-thread product at 512 the caller
 * computes 45% of the rows and copies every chunk out (1.0 ms with the page faults of a fresh
 * result, 0.3-1.2 ms alone), the worker computes the rest, both at 18.3 us per row, as one thread.
 *
 * What it showed next (issue 16, room `heap`; this corrects the above: the collections in the
 * timed samples are started mostly by the old generation's limit, not by external memory
 * pressure, and past 8 MB the heap's size matters little): the cause is not tfjs nor anything
 * the suites keep, but any JS heap over 8 MB, V8's threshold for starting incremental marking.
 * 512, 2 / 1:
 * nothing run before (6 MB live) 1.81, 1.87 (0-2 full collections in a run); after `burn` 1.85
 * (not the clock); after `fit-async gunzip heap`, no tfjs (13 MB live) 1.63, 1.63, 1.65, with a full
 * collection every 65-210 ms; after all four suites (56 MB) 1.56-1.61. Above the threshold, V8
 * counts the external memory of the results allocated since the last mark-compact against the
 * old generation's limit, whose slack sits at its minimum because the loop allocates almost
 * nothing there (`--trace-incremental-marking`: "Start (allocation limit) ... 56MB / 79MB"); so
 * every few products start a mark-compact, whose concurrent marking (`--trace-gc-nvp`
 * background.mark: about 20 ms at 13 MB, 37 ms at 56 MB, wall time on the busy cores) takes the
 * second core during two-thread samples. Besides its result a product allocates 2.3 KB of JS heap
 * with one thread and about 10 KB with two, young garbage that does not count against that
 * limit. Taking 18 MB (tfjs's source maps, see live.ts) out of the 56 changed neither the marking
 * time per collection nor the full bench's figure (1.655, 1.794, 1.628 against 1.708, 1.788, 1.666).
 */
import { readFileSync } from 'node:fs'
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks'
import { runBefore } from './before.js'
import { newestThread, ticks } from './ticks.js'
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { kernelInfo, useKernels, activeWasm } = await import('../../src/kernels/backend.js')
const { matmulNN } = await import('../../src/kernels/matmul.js')
const { lcg, median, sample } = await import('../harness.js')
const { foreignCpu } = await import('../quiet.js')

for (const name of process.argv.slice(2)) {
  const t0 = performance.now()
  await runBefore(name)
  console.log(`${name}: ${(performance.now() - t0).toFixed(0)} ms, heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`)
}
// the times full collections (mark-compact) ended, to count those that ended during the samples
const majors: number[] = []
new PerformanceObserver((list) => {
  for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[])
    if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors.push(e.startTime + e.duration)
}).observe({ entryTypes: ['gc'] })
const windows: { n: number; r: number; t0: number; t1: number }[] = []
const timed = (n: number, r: number, f: () => number): number => {
  const t0 = performance.now()
  const ms = f()
  windows.push({ n, r, t0, t1: performance.now() })
  return ms
}
const faults = (): number => Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[7])
const rand = lcg(7)
const a = Float64Array.from({ length: 512 * 512 }, rand)
const b = Float64Array.from({ length: 512 * 512 }, rand)
useKernels({ threads: 2 })
matmulNN(a, b, 512, 512, 512)
for (let i = 0; i < 200 && kernelInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 50))
const main = String(process.pid)
const worker = newestThread()
const rounds = Number(process.env['ROUNDS'] ?? 9)
const foreign = foreignCpu()
for (const n of [256, 512]) {
  const x = a.subarray(0, n * n), y = b.subarray(0, n * n)
  const ratios: number[] = []
  for (let r = -1; r < rounds; r++) {
    useKernels({ threads: 1 })
    const one = timed(n, r, () => sample(() => matmulNN(x, y, n, n, n), 100))
    useKernels({ threads: 2 })
    const s0 = activeWasm()!.pool()!.stats()
    const k0 = ticks(), f0 = faults()
    const two = timed(n, r, () => sample(() => matmulNN(x, y, n, n, n), 100))
    const d = [...ticks()].map(([tid, v]) => [tid, v - (k0.get(tid) ?? 0)] as const)
    const of = (tid: string): number => d.find(([t]) => t === tid)?.[1] ?? 0
    const v8 = d.filter(([t]) => t !== main && t !== worker).reduce((s, [, v]) => s + v, 0)
    const s1 = activeWasm()!.pool()!.stats()
    const products = s1.products - s0.products + s1.skipped - s0.skipped
    if (r < 0) continue
    ratios.push(one / two)
    console.log(`${n}: 1 ${one.toFixed(3)} ms, 2 ${two.toFixed(3)} ms, 2/1 ${(one / two).toFixed(2)}; ticks main ${of(main)} worker ${of(worker)} V8 ${v8}; faults/product ${((faults() - f0) / products).toFixed(0)}; products ${products}, alone ${s1.skipped - s0.skipped}, caller's chunks ${s1.callerChunks - s0.callerChunks}/${s1.chunks - s0.chunks}, waited ${(s1.waitedMs - s0.waitedMs).toFixed(1)} ms`)
  }
  console.log(`${n} 2/1: median ${median(ratios).toFixed(3)} [${ratios.map((v) => v.toFixed(2)).join(', ')}]`)
}
await new Promise((r) => setTimeout(r, 100)) // the observer's entries arrive asynchronously
for (const n of [256, 512]) {
  // a collection's concurrent marking runs for tens of ms before it ends, often across samples
  const ws = windows.filter((w) => w.n === n && w.r >= 0)
  const count = majors.filter((t) => ws.some((w) => t > w.t0 && t <= w.t1)).length
  const ms = ws.reduce((s, w) => s + w.t1 - w.t0, 0)
  console.log(`${n}: ${count} full collections ended during the ${ms.toFixed(0)} ms of samples${count > 0 ? `, one per ${(ms / count).toFixed(0)} ms` : ''}`)
}
console.log(`other processes used ${foreign()?.toFixed(0) ?? '?'} CPU ms per s`)
