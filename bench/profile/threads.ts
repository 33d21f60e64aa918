/**
 * Two threads against one, interleaved in this process: W1 steps (`Train.trainStep`, as
 * `bench/train/w1.ts`), W1 as the train suite runs it (`Train.fit`, one epoch of 512 examples),
 * W1's two large products (X W1 and Xᵀ dH) and A B at 128 (the threads' threshold), 256 and 512
 * (GFLOP/s).
 * `tsx bench/profile/threads.ts [rounds]` prints medians, the ratios of each round, and the load
 * average before and after.
 */
import { setFlagsFromString } from 'node:v8'
import { loadavg } from 'node:os'
if (process.env['AUTODIFF_RELAXED'] !== '0') setFlagsFromString('--experimental-wasm-relaxed-simd')
const { kernelInfo, useKernels } = await import('../../src/kernels/backend.js')
const { matmulNN, matmulTN } = await import('../../src/kernels/matmul.js')
const { lcg, median, sample } = await import('../harness.js')
const { W1_BATCH, w1Trainer } = await import('../train/w1.js')
const { fitTrainer } = await import('../train/w1.js')
const { foreignCpu } = await import('../quiet.js')

const rounds = Number(process.argv[2] ?? 7)
const rand = lcg(7)
const a = Float64Array.from({ length: 512 * 512 }, rand)
const b = Float64Array.from({ length: 512 * 512 }, rand)
const steps = w1Trainer()
const fit = fitTrainer()
const subjects: Record<string, () => number> = {
  'W1 step': () => (W1_BATCH / sample(() => steps.run(1), 200)) * 1000,
  'W1 fit': () => (512 / sample(fit, 200)) * 1000,
  'X W1': () => (2 * 128 * 784 * 128) / (sample(() => matmulNN(a.subarray(0, 128 * 784), b.subarray(0, 784 * 128), 128, 784, 128), 100) * 1e6),
  'Xt dH': () => (2 * 128 * 784 * 128) / (sample(() => matmulTN(a.subarray(0, 128 * 784), b.subarray(0, 128 * 128), 784, 128, 128), 100) * 1e6),
  'A B 128': () => (2 * 128 ** 3) / (sample(() => matmulNN(a.subarray(0, 128 * 128), b.subarray(0, 128 * 128), 128, 128, 128), 100) * 1e6),
  'A B 256': () => (2 * 256 ** 3) / (sample(() => matmulNN(a.subarray(0, 256 * 256), b.subarray(0, 256 * 256), 256, 256, 256), 100) * 1e6),
  'A B 512': () => (2 * 512 ** 3) / (sample(() => matmulNN(a, b, 512, 512, 512), 100) * 1e6),
}
const before = loadavg().map((x) => x.toFixed(2)).join(' ')
useKernels({ threads: 2 })
matmulNN(a, b, 512, 512, 512)
for (let i = 0; i < 200 && kernelInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 50))
const foreign = foreignCpu()
const ratios: Record<string, number[]> = {}
const speeds: Record<string, [number[], number[]]> = {}
for (let r = -1; r < rounds; r++)
  for (const [name, run] of Object.entries(subjects)) {
    useKernels({ threads: 1 })
    const one = run()
    useKernels({ threads: 2 })
    const two = run()
    if (r < 0) continue
    ;(ratios[name] ??= []).push(two / one)
    const s = (speeds[name] ??= [[], []])
    s[0].push(one)
    s[1].push(two)
  }
console.log(`${JSON.stringify(kernelInfo())}; load ${before} -> ${loadavg().map((x) => x.toFixed(2)).join(' ')}; other processes used ${foreign()?.toFixed(0) ?? '?'} CPU ms per s`)
for (const [name, rs] of Object.entries(ratios))
  console.log(`${name.padEnd(10)} 2/1 ${median(rs).toFixed(2)} [${rs.map((x) => x.toFixed(2)).join(', ')}]  1: ${median(speeds[name]![0]).toPrecision(4)}  2: ${median(speeds[name]![1]).toPrecision(4)}`)
