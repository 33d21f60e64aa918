/**
 * Issue 16's matmul figures: the Wasm kernels (through the library's public kernel functions,
 * copies into and out of Wasm memory included) against the bench's hand-written 4x4-tiled JS
 * loop, at 256 and 512, in all three layouts; the micro-kernel's own in-cache peak (operands
 * already packed in Wasm memory, one KC by NC block); plain SIMD128 against relaxed SIMD; and
 * two threads against one. Every ratio is between subjects timed interleaved in this process.
 */
import { compare, lcg, ratio, type Figure, type Suite } from '../harness.js'
import { kernelInfo, useKernels } from '../../src/kernels/backend.js'
import { matmulNN, matmulNT, matmulTN } from '../../src/kernels/matmul.js'
import { detectSimd } from '../../src/kernels/wasm/detect.js'
import { makeWasmKernels } from '../../src/kernels/wasm/kernels.js'
import { CONTROL_BYTES } from '../../src/kernels/wasm/memory.js'
import { tiledNN, tiledNT, tiledTN } from './matmul.js'

const gflops = (n: number, ms: number): number => (2 * n * n * n) / (ms * 1e6)
const load = (): string => {
  const os = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:os') as
    | { loadavg: () => number[] }
    | undefined
  return os === undefined ? '?' : os.loadavg().map((x) => x.toFixed(2)).join(' ')
}

/** Waits (up to 10 s) for the worker threads to report ready after a first large product. */
const warmThreads = async (a: Float64Array, n: number): Promise<void> => {
  matmulNN(a, a, n, n, n)
  for (let i = 0; i < 200 && kernelInfo().workersReady < kernelInfo().threads - 1; i++) await new Promise((r) => setTimeout(r, 50))
}

export const suite: Suite = {
  name: 'Wasm matmul kernels, float64 (issue 16)',
  run: async (): Promise<readonly Figure[]> => {
    const info = kernelInfo()
    console.log(`  kernels: ${JSON.stringify(info)}; load average ${load()}`)
    if (info.backend !== 'wasm') return [{ name: 'Wasm backend not active: nothing to measure', value: 0, unit: '' }]
    const threads = info.threads
    const figures: Figure[] = []
    const rand = lcg(7)
    for (const [n, target] of [[256, 4], [512, 6]] as const) {
      const a = Float64Array.from({ length: n * n }, rand)
      const b = Float64Array.from({ length: n * n }, rand)
      useKernels({ threads: 1 })
      const t = compare(
        {
          NN: () => matmulNN(a, b, n, n, n), baseNN: () => tiledNN(a, b, n, n, n),
          TN: () => matmulTN(a, b, n, n, n), baseTN: () => tiledTN(a, b, n, n, n),
          NT: () => matmulNT(a, b, n, n, n), baseNT: () => tiledNT(a, b, n, n, n),
        },
        { rounds: 5, minMs: 100 },
      )
      for (const l of ['NN', 'TN', 'NT'] as const) {
        const base = t[`base${l}`]
        figures.push(
          { name: `${n} ${l}: Wasm, 1 thread, copies included`, value: gflops(n, t[l]), unit: 'GFLOP/s' },
          { name: `${n} ${l}: hand-written 4x4 tiled JS`, value: gflops(n, base), unit: 'GFLOP/s' },
          ratio(`${n} ${l}: Wasm / tiled JS`, base / t[l], '>=', target),
        )
      }
      console.log(`  (${n} done; load average ${load()})`)
    }

    // in-cache peak of the micro-kernel and the 512 product, interleaved; relaxed vs plain SIMD128
    const n = 512
    const a = Float64Array.from({ length: n * n }, rand)
    const b = Float64Array.from({ length: n * n }, rand)
    const flavours = detectSimd() === 'relaxed' ? (['relaxed', 'simd128'] as const) : (['simd128'] as const)
    for (const flavour of flavours) {
      const w = makeWasmKernels(flavour)
      const { mr, kc, nc } = w.shape
      // one KC by NC block of B and 64 rows of A, already in Wasm memory: everything stays in cache
      const [pm, pk, pn] = [64, kc, nc]
      const view = w.heap.reserve(8 * (pm * pk + pk * pn + pm * pn), 'peak')
      const base = w.heap.dataStart
      view.fill(0.5, base / 8, base / 8 + pm * pk + pk * pn)
      const [pa, pb] = [CONTROL_BYTES, CONTROL_BYTES + 8 * mr * kc] // thread slot 0's pack buffers (see kernels.ts)
      const aP = base, bP = aP + 8 * pm * pk, cP = bP + 8 * pk * pn
      const t = compare(
        {
          peak: () => w.gemmRaw(aP, pk, 1, bP, pn, 1, cP, pn, 0, pm, pm, pk, pn, pa, pb),
          full: () => w.gemm(a, n, 1, b, n, 1, n, n, n, 1),
        },
        { rounds: 7, minMs: 100 },
      )
      const peak = (2 * pm * pk * pn) / (t.peak * 1e6)
      figures.push(
        { name: `${flavour}: micro-kernel in-cache peak (64x256x128, no copies)`, value: peak, unit: 'GFLOP/s' },
        { name: `${flavour}: 512 A B, copies included`, value: gflops(n, t.full), unit: 'GFLOP/s' },
        ratio(`${flavour}: 512 A B / in-cache peak`, gflops(n, t.full) / peak, '>=', 0.8),
      )
    }

    // two threads against one at 512 (and 256), on the active backend
    if (threads >= 2) {
      useKernels({ threads: 2 })
      await warmThreads(a, n)
      for (const s of [256, 512]) {
        const x = a.subarray(0, s * s)
        const y = b.subarray(0, s * s)
        const t = compare(
          {
            one: () => { useKernels({ threads: 1 }); matmulNN(x, y, s, s, s) },
            two: () => { useKernels({ threads: 2 }); matmulNN(x, y, s, s, s) },
          },
          // more rounds than elsewhere: on two cores shared with V8's background threads, single
          // 100 ms samples of two threads vary by 10-20%, and the figure is the ratio of two medians
          { rounds: 15, minMs: 100 },
        )
        figures.push(
          { name: `${s} A B: 2 threads`, value: gflops(s, t.two), unit: 'GFLOP/s' },
          ratio(`${s} A B: 2 threads / 1 thread`, t.one / t.two, '>=', s === 512 ? 1.7 : 1),
        )
      }
    } else figures.push({ name: 'threads: only one available, no thread figures', value: threads, unit: 'threads' })
    useKernels({ threads })
    console.log(`  (load average at the end ${load()})`)
    return figures
  },
}
