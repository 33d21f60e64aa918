/**
 * `npm run bench`: runs every suite in `bench/suites/` (or those named on the command line),
 * prints each figure (and how much CPU other processes took while the suite ran, on Linux) and
 * writes them all to `bench/results/latest.json`.
 */
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import type { Figure, Suite } from './harness.js'
import { foreignCpu } from './quiet.js'

// Relaxed SIMD (f64x2.relaxed_madd) is on by default in newer engines; Node 20 has it behind a
// flag, set here before the kernels load so that they can pick it (AUTODIFF_RELAXED=0 keeps it off).
if (process.env['AUTODIFF_RELAXED'] !== '0') setFlagsFromString('--experimental-wasm-relaxed-simd')
const { kernelInfo } = await import('../src/kernels/backend.js')
console.log(`kernels: ${JSON.stringify(kernelInfo())}`)

const here = dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2)
const files = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort()

const results: Record<string, readonly Figure[]> = {}
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, 'suites', file)).href)) as { suite: Suite }
  const { suite } = mod
  console.log(`\n== ${suite.name}`)
  const other = foreignCpu()
  const figures = await suite.run()
  const busy = other()
  // two-thread figures, and any figure, mean little when other processes took CPU meanwhile
  if (busy !== undefined) console.log(`  (other processes used ${busy.toFixed(0)} CPU ms per s of this suite's wall time)`)
  for (const f of figures) {
    const mark = f.pass === undefined ? '' : f.pass ? '  ok' : '  MISSED'
    const target = f.target === undefined ? '' : `  (target ${f.target})`
    console.log(`  ${f.name.padEnd(60)} ${f.value.toPrecision(4).padStart(10)} ${f.unit}${target}${mark}`)
  }
  results[suite.name] = figures
}
const out = join(here, 'results', 'latest.json')
mkdirSync(dirname(out), { recursive: true })
writeFileSync(
  out,
  JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2) + '\n',
)
console.log(`\nwrote ${out}`)
