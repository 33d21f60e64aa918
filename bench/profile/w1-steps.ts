/**
 * W1 step by step (`Train.trainStep`, as `bench/train/w1.ts`): the distribution of single-step
 * times at 1 and 2 threads, interleaved in blocks of 100 steps, and on two threads the caller's
 * share of the chunks in slow and in typical steps: `tsx bench/profile/w1-steps.ts [rounds]`.
 * A mean over many steps (what the train suite measures) mixes the typical step with the slow
 * ones (garbage collection pauses, the worker without a core); the percentiles separate them.
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { activeWasm, kernelInfo, useKernels } = await import('../../src/kernels/backend.js')
const { median } = await import('../harness.js')
const { w1Trainer } = await import('../train/w1.js')
const { foreignCpu } = await import('../quiet.js')

const rounds = Number(process.argv[2] ?? 6)
const steps = w1Trainer()
useKernels({ threads: 2 })
steps.run(20)
for (let i = 0; i < 200 && kernelInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 50))
const pool = activeWasm()!.pool()!
const q = (xs: readonly number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const all: [number[], number[]] = [[], []]
const shares: { slow: number[]; typical: number[] } = { slow: [], typical: [] }
const foreign = foreignCpu()
for (let r = 0; r < rounds; r++)
  for (const t of [1, 2] as const) {
    useKernels({ threads: t })
    for (let i = 0; i < 100; i++) {
      const s0 = pool.stats()
      const t0 = performance.now()
      steps.run(1)
      const ms = performance.now() - t0
      all[t - 1]!.push(ms)
      const s1 = pool.stats()
      if (t === 2 && s1.chunks > s0.chunks) (ms > 1.3 * median(all[1]) ? shares.slow : shares.typical).push((s1.callerChunks - s0.callerChunks) / (s1.chunks - s0.chunks))
    }
  }
const row = (xs: readonly number[]): string => `p10 ${q(xs, 0.1).toFixed(2)} p50 ${q(xs, 0.5).toFixed(2)} p90 ${q(xs, 0.9).toFixed(2)} mean ${mean(xs).toFixed(2)} ms`
console.log(`other processes ${foreign()?.toFixed(0) ?? '?'} CPU ms/s`)
console.log(`1 thread:  ${row(all[0])}`)
console.log(`2 threads: ${row(all[1])}`)
console.log(`2/1: median step ${(q(all[0], 0.5) / q(all[1], 0.5)).toFixed(2)}, mean step ${(mean(all[0]) / mean(all[1])).toFixed(2)}`)
console.log(`caller's share of chunks: typical steps ${mean(shares.typical).toFixed(2)} (${shares.typical.length}), slow steps (> 1.3x the median) ${mean(shares.slow).toFixed(2)} (${shares.slow.length})`)
