/**
 * Where the fresh typed arrays of issue 11's two training steps come from (the program step,
 * `Program.valueAndGrad` then the optimizer's update, and the combinator step, `Train.trainStep`):
 * bytes and number of typed arrays constructed per step, by the caller's frames:
 * `tsx bench/profile/program-alloc.ts [program|combinator]`.
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')

const bytes = new Map<string, { n: number; bytes: number }>()
let on = false
const record = (b: number): void => {
  if (!on) return
  const st = (new Error().stack ?? '').split('\n').slice(3, 8).map((l) => l.trim().replace(/^at /, '').replace(/\(.*\/(src|bench)\//, '($1/')).join(' < ')
  const e = bytes.get(st) ?? { n: 0, bytes: 0 }
  e.n++
  e.bytes += b
  bytes.set(st, e)
}
for (const name of ['Float64Array', 'Int32Array', 'Uint8Array', 'Float32Array'] as const) {
  const Base = globalThis[name] as unknown as Float64ArrayConstructor
  class Counted extends Base {
    constructor(...a: unknown[]) {
      // @ts-expect-error spread into typed array constructor
      super(...a)
      if (!(a[0] instanceof ArrayBuffer) && !(typeof SharedArrayBuffer !== 'undefined' && a[0] instanceof SharedArrayBuffer)) record(this.byteLength)
    }
  }
  ;(globalThis as Record<string, unknown>)[name] = Counted
}
const { steps } = await import('./program-steps.js')
const mode = process.argv[2] ?? 'program'
const s = steps()
const run = s[mode as keyof typeof s]
for (let i = 0; i < 5; i++) run()
on = true
const reps = 20
for (let i = 0; i < reps; i++) run()
on = false
const rows = [...bytes].sort((a, b) => b[1].bytes - a[1].bytes)
let tb = 0, tn = 0
for (const [, v] of rows) { tb += v.bytes; tn += v.n }
console.log(`${mode}: per step ${(tb / reps / 1024).toFixed(1)} KiB in ${(tn / reps).toFixed(1)} typed arrays`)
for (const [k, v] of rows.slice(0, 40)) console.log(`${(v.bytes / reps / 1024).toFixed(1).padStart(8)} KiB ${(v.n / reps).toFixed(2).padStart(6)}x  ${k}`)
