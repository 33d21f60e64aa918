/**
 * Micro-kernel tile shapes side by side: `tsx bench/profile/tiles.ts` times the generated gemm
 * on 512 x 512 x 512 (operands already in Wasm memory) for several (rows, f64x2 vectors, unroll)
 * shapes, interleaved, and prints GFLOP/s (wall and CPU clock medians).
 */
import { compare } from '../harness.js'
import { wasmApi } from '../../src/kernels/wasm/api.js'
import { detectSimd } from '../../src/kernels/wasm/detect.js'
import { assemble } from '../../src/kernels/wasm/emit.js'
import type { GemmShape } from '../../src/kernels/wasm/gemm.js'
import { gemmFuncs } from '../../src/kernels/wasm/gemm.js'

const relaxed = detectSimd() === 'relaxed'
const N = 512
const memory = new wasmApi!.Memory({ initial: 200, maximum: 200 })
new Float64Array(memory.buffer).fill(0.5, (1 << 20) / 8, (1 << 20) / 8 + 2 * N * N)
const shapes: Record<string, GemmShape> = {}
for (const [mr, nv] of [[4, 2], [2, 4], [4, 3], [6, 2]] as const)
  for (const unroll of [1, 2] as const) shapes[`${mr}x${nv} u${unroll}`] = { mr, nv, kc: 256, nc: 120, relaxed, unroll }
const fns = Object.fromEntries(
  Object.entries(shapes).map(([name, shape]) => {
    const bytes = assemble({ shared: false, initial: 200, maximum: 200 }, gemmFuncs(shape))
    const gemm = new wasmApi!.Instance(new wasmApi!.Module(bytes), { env: { memory } }).exports['gemm'] as (...a: number[]) => void
    const [a, b, c] = [1 << 20, (1 << 20) + 8 * N * N, (1 << 20) + 16 * N * N]
    const rows = Math.ceil(N / shape.mr) * shape.mr
    const ldc = Math.ceil(N / (2 * shape.nv)) * 2 * shape.nv
    return [name, () => gemm(a, N, 1, b, N, 1, c, ldc, 0, rows, N, N, N, 64, 64 + 8 * 8 * 256)]
  }),
)
const wall = compare(fns, { rounds: 5, minMs: 150 })
const cpu = compare(fns, { rounds: 5, minMs: 150, clock: 'cpu' })
const gf = (ms: number) => ((2 * N ** 3) / (ms * 1e6)).toFixed(2)
console.log(`relaxed=${relaxed}`)
for (const k of Object.keys(fns)) console.log(`${k.padEnd(10)} wall ${gf(wall[k]!)} GFLOP/s   cpu ${gf(cpu[k]!)} GFLOP/s`)
