/**
 * A loop of one of issue 11's steps for `node --cpu-prof`, with its mean time:
 * `node --cpu-prof --import tsx bench/profile/program-cpu.ts [program|trainStep|valueAndGrad|combinator] [seconds]`.
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { steps } = await import('./program-steps.js')
const mode = (process.argv[2] ?? 'program') as keyof ReturnType<typeof steps>
const seconds = Number(process.argv[3] ?? 3)
const run = steps()[mode]
for (let i = 0; i < 50; i++) run()
const t0 = performance.now()
let n = 0
while (performance.now() - t0 < seconds * 1000) { run(); n++ }
console.log(`${mode}: ${((performance.now() - t0) / n).toFixed(3)} ms a step (${n} steps)`)
