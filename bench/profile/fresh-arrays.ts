/**
 * Counts the typed arrays constructed (by the constructor, `from`, `of`, `slice`; views on a
 * buffer not counted) while `on`, with their bytes, by the caller's frames: import it before the
 * library, so that the library's arrays are made by the counting constructors. For the
 * allocation profiles (`w1-alloc.ts`, `program-alloc.ts`).
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')

const bytes = new Map<string, { n: number; bytes: number }>()
let on = false
const record = (b: number): void => {
  if (!on) return
  const st = (new Error().stack ?? '').split('\n').slice(3, 7).map((l) => l.trim().replace(/^at /, '').replace(/\(.*\/(src|bench)\//, '($1/')).join(' < ')
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

/** Runs `run` `warm` times uncounted, then `reps` times counted, and prints the arrays per step (`stepsPerRun` steps a run). */
export const countFresh = (label: string, run: () => unknown, { warm = 5, reps = 10, stepsPerRun = 1, top = 30 } = {}): void => {
  for (let i = 0; i < warm; i++) run()
  on = true
  for (let i = 0; i < reps; i++) run()
  on = false
  const per = reps * stepsPerRun
  const rows = [...bytes].sort((a, b) => b[1].bytes - a[1].bytes)
  let tb = 0
  let tn = 0
  for (const [, v] of rows) {
    tb += v.bytes
    tn += v.n
  }
  console.log(`${label}: per step ${(tb / per / 1024).toFixed(1)} KiB in ${(tn / per).toFixed(1)} typed arrays`)
  for (const [k, v] of rows.slice(0, top)) console.log(`${(v.bytes / per / 1024).toFixed(1).padStart(8)} KiB ${(v.n / per).toFixed(2).padStart(6)}x  ${k}`)
  bytes.clear()
}
