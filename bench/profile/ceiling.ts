/**
 * The hardware ceiling of the f64x2 micro-kernels on this machine (perf has no cycle counter in
 * this VM): `tsx bench/profile/ceiling.ts` times Wasm loops of independent f64x2 operations with
 * no memory traffic, so that only the floating-point pipes limit them: fused multiply-adds
 * (relaxed SIMD), and mul + add pairs (SIMD128), with 12 accumulators. Prints GFLOP/s (medians of
 * the CPU clock, which preemption by other processes does not inflate); a core issuing two f64x2 FMAs per cycle peaks at 8 flop/cycle.
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { compare } = await import('../harness.js')
const { wasmApi } = await import('../../src/kernels/wasm/api.js')
const { assemble, forRange, get, i32, locals, seq, set, v128 } = await import('../../src/kernels/wasm/emit.js')
type Code = readonly number[]

const ACC = 12
const fn = (relaxed: boolean) => {
  const l = locals(['i32'])
  const acc = l.many('v128', ACC)
  const [x, y] = l.many('v128', 2) as [number, number]
  const i = l.add('i32')
  const op = (a: number): Code => (relaxed ? seq(get(x), get(y), get(a), v128.relaxedMadd, set(a)) : seq(get(a), get(x), get(y), v128.mul, v128.add, set(a)))
  const body = seq(
    i32.const(0), v128.loadSplat64(0), set(x), i32.const(0), v128.loadSplat64(8), set(y),
    ...acc.map((a) => seq(v128.zero, set(a))),
    forRange(i, i32.const(0), get(0), i32.const(1), ...acc.map(op)),
    i32.const(16), get(acc[0]!), ...acc.slice(1).map((a) => seq(get(a), v128.add)), v128.store(0),
  )
  return { name: relaxed ? 'fma' : 'muladd', params: ['i32'] as const, results: [], locals: l.types(), body }
}
const memory = new wasmApi!.Memory({ initial: 1, maximum: 1 })
new Float64Array(memory.buffer).set([1.0000001, 0.9999999])
const ex = new wasmApi!.Instance(new wasmApi!.Module(assemble({ shared: false, initial: 1, maximum: 1 }, [fn(true), fn(false)])), { env: { memory } }).exports as Record<string, (n: number) => void>
const N = 1_000_000
const t = compare({ fma: () => ex['fma']!(N), muladd: () => ex['muladd']!(N) }, { rounds: 7, minMs: 100, clock: 'cpu' })
const flops = N * ACC * 4
for (const [k, ms] of Object.entries(t)) console.log(`${k}: ${(flops / (ms * 1e6)).toFixed(1)} GFLOP/s (${ACC} f64x2 accumulators, no loads)`)
