import { setFlagsFromString } from 'node:v8'
import { describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { chooseBackend, kernelInfo, useKernels } from '../src/kernels/backend.js'
import { gemmJs, matmulNN } from '../src/kernels/matmul.js'
import { wasmApi } from '../src/kernels/wasm/api.js'
import { detectSimd } from '../src/kernels/wasm/detect.js'
import { assemble, sleb, uleb } from '../src/kernels/wasm/emit.js'
import { gemmFuncs } from '../src/kernels/wasm/gemm.js'
import { chunkBounds, makeWasmKernels, THREAD_THRESHOLD, type WasmKernels } from '../src/kernels/wasm/kernels.js'
import { MAX_CHUNKS, spawnWorker, type Spawn } from '../src/kernels/wasm/threads.js'

/** What the library saw when it loaded (the backend tests below compare with it). */
const simd = detectSimd()
// Node 20 has relaxed SIMD behind a flag (newer engines have it on): turn it on here, after the
// library chose its backend, so that both flavours of the kernels are tested.
setFlagsFromString('--experimental-wasm-relaxed-simd')
const both = detectSimd()
const flavours = (both === 'none' ? [] : both === 'relaxed' ? ['relaxed', 'simd128'] : ['simd128']) as readonly ('relaxed' | 'simd128')[]
const backends = new Map<string, WasmKernels>(flavours.map((f) => [f, makeWasmKernels(f)]))

/** The three layouts as (aRow, aCol, bRow, bCol) of op(A) m by k and op(B) k by n. */
const layouts = {
  NN: (m: number, k: number, n: number) => [k, 1, n, 1] as const,
  TN: (m: number, _k: number, n: number) => [1, m, n, 1] as const,
  NT: (_m: number, k: number, _n: number) => [k, 1, 1, k] as const,
}

/** Dimensions: the edge sizes the issue names, and anything small. */
const dim = fc.oneof(fc.constantFrom(0, 1, 3, 17, 255, 257), fc.integer({ min: 0, max: 40 }))
const entries = (n: number, seed: number) => {
  // a cheap deterministic generator: fast-check draws the seed, the entries follow from it
  let s = seed >>> 0
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s / 2 ** 32) * 20 - 10
  })
}

/** Σ_p |op(A)[i,p]| |op(B)[p,j]|: what a difference in summation order is relative to. */
const absProduct = (a: Float64Array, b: Float64Array, l: readonly number[], m: number, k: number, n: number) =>
  gemmJs(a.map(Math.abs), l[0]!, l[1]!, b.map(Math.abs), l[2]!, l[3]!, m, k, n)

describe.runIf(flavours.length > 0)('Wasm matmul kernels', () => {
  it('covers relaxed SIMD too (the engine validates it once the flag is on)', () => {
    expect(flavours).toContain('relaxed')
  })

  for (const [flavour, w] of backends)
    for (const [name, layout] of Object.entries(layouts))
      it(`${flavour} ${name} agrees with the JS kernel to 1e-12 relative to Σ|a||b| on random shapes`, () => {
        fc.assert(
          fc.property(dim, dim, dim, fc.integer(), (m, k, n, seed) => {
            // keep the largest cases affordable for the reference: at most two dimensions from the 255/257 tier
            fc.pre([m, k, n].filter((d) => d > 200).length <= 2)
            const l = layout(m, k, n)
            const a = entries(m * k, seed)
            const b = entries(k * n, seed ^ 0x5bd1e995)
            const got = w.gemm(a, l[0], l[1], b, l[2], l[3], m, k, n, 1)
            const want = gemmJs(a, l[0], l[1], b, l[2], l[3], m, k, n)
            const scale = absProduct(a, b, l, m, k, n)
            expect(got.length).toBe(m * n)
            for (let i = 0; i < m * n; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-12 * scale[i]!)
            // and the same backend gives the same bits again
            const again = w.gemm(a, l[0], l[1], b, l[2], l[3], m, k, n, 1)
            for (let i = 0; i < m * n; i++) expect(Object.is(again[i], got[i])).toBe(true)
          }),
          { numRuns: 40 },
        )
      })

  it('plain SIMD128 sums in the JS kernel\'s order, so it matches it bit for bit', () => {
    const w = backends.get('simd128')!
    const [m, k, n] = [37, 600, 45]
    const a = entries(m * k, 1)
    const b = entries(k * n, 2)
    const got = w.gemm(a, k, 1, b, n, 1, m, k, n, 1)
    const want = gemmJs(a, k, 1, b, n, 1, m, k, n)
    expect(got.every((v, i) => Object.is(v, want[i]))).toBe(true)
  })

  it('a deliberately wrong kernel fails the agreement check', () => {
    const w = backends.get(flavours[0]!)!
    const [m, k, n] = [9, 17, 9]
    const a = entries(m * k, 3)
    const b = entries(k * n, 4)
    const got = w.gemm(a, k, 1, b, n, 1, m, k, n, 1)
    got[40] = got[40]! * (1 + 1e-9)
    const want = gemmJs(a, k, 1, b, n, 1, m, k, n)
    const scale = absProduct(a, b, [k, 1, n, 1], m, k, n)
    expect(got.some((v, i) => Math.abs(v - want[i]!) > 1e-12 * scale[i]!)).toBe(true)
  })

  it('does not write into its inputs and returns fresh arrays', () => {
    const w = backends.get(flavours[0]!)!
    const a = entries(64 * 64, 5)
    const b = entries(64 * 64, 6)
    const [a0, b0] = [a.slice(), b.slice()]
    const c1 = w.gemm(a, 64, 1, b, 64, 1, 64, 64, 64, 1)
    const c2 = w.gemm(a, 64, 1, b, 64, 1, 64, 64, 64, 1)
    expect(c1).not.toBe(c2)
    expect(c1.buffer).not.toBeInstanceOf(SharedArrayBuffer)
    expect(a).toEqual(a0)
    expect(b).toEqual(b0)
  })

  it('a size that does not fit Wasm memory is a RangeError naming it, before any work', () => {
    const w = backends.get(flavours[0]!)!
    const huge = { length: 8000 * 8000 } as ArrayLike<number>
    expect(() => w.gemm(huge, 8000, 1, huge, 8000, 1, 8000, 8000, 8000, 1)).toThrow(RangeError)
    expect(() => w.gemm(huge, 8000, 1, huge, 8000, 1, 8000, 8000, 8000, 1)).toThrow(/matmul of \[8000, 8000\] by \[8000, 8000\]/)
    expect(() => w.gemm(new Float64Array(5), 2, 1, new Float64Array(6), 3, 1, 2, 2, 3, 1)).toThrow(RangeError)
    expect(() => w.gemm(new Float64Array(0), 1, 1, new Float64Array(0), 1, 1, -1, 0, 0, 1)).toThrow(RangeError)
    // still works afterwards
    expect(Array.from(w.gemm(Float64Array.of(1, 2), 2, 1, Float64Array.of(3, 4), 1, 1, 1, 2, 1, 1))).toEqual([11])
  })

  for (const flavour of flavours)
    it(`${flavour}: bit-identical products for 1, 2 and 3 threads in every layout and split (each element computed by one thread, in one order)`, async () => {
      const w = makeWasmKernels(flavour)
      // W1's two products, 512, and ragged shapes: rows and columns not whole tiles, several
      // KC blocks and NC blocks, a few tiles only
      const shapes = [[128, 784, 128], [784, 128, 128], [512, 512, 512], [203, 301, 99], [130, 517, 261], [9, 1200, 300], [1001, 40, 70]] as const
      for (const [m, k, n] of shapes) expect(m * k * n).toBeGreaterThanOrEqual(THREAD_THRESHOLD)
      w.gemm(entries(512 * 512, 1), 512, 1, entries(512 * 512, 2), 512, 1, 512, 512, 512, 3) // starts the workers
      for (let i = 0; i < 200 && (w.pool()?.ready() ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 50))
      expect(w.pool()?.ready()).toBe(2)
      for (const [m, k, n] of shapes)
        for (const [name, layout] of Object.entries(layouts)) {
          const l = layout(m, k, n)
          const a = entries(m * k, m + k)
          const b = entries(k * n, k + n)
          const one = w.gemm(a, l[0], l[1], b, l[2], l[3], m, k, n, 1)
          for (const threads of [2, 3, 2]) {
            const many = w.gemm(a, l[0], l[1], b, l[2], l[3], m, k, n, threads)
            const same = many.every((v, i) => Object.is(v, one[i]))
            if (!same) expect.fail(`${name} [${m}, ${k}] by [${k}, ${n}] with ${threads} threads differs from one thread`)
          }
        }
      expect(w.pool()?.failed()).toBe(false)
      // the workers computed some rows, and no product was computed again alone after a thread's kernel threw
      const stats = w.pool()!.stats()
      expect(stats.callerChunks).toBeLessThan(stats.chunks)
      expect(stats.failedProducts).toBe(0)
    })
})

describe('chunks of rows for the threads (guided: a 1 / (2 threads) share of what is left, at least minTiles)', () => {
  it('cover every row once, in whole tiles, shrinking toward the end, at most MAX_CHUNKS of them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50000 }), fc.constantFrom(2, 4, 6), fc.integer({ min: 2, max: 16 }), fc.integer({ min: 1, max: 8 }), (tiles, mr, threads, minTiles) => {
        const b = chunkBounds(tiles, mr, threads, minTiles)
        expect(b[0]).toBe(0)
        expect(b.at(-1)).toBe(tiles * mr)
        expect(b.length - 1).toBeLessThanOrEqual(MAX_CHUNKS)
        const sizes = b.slice(1).map((x, i) => x - b[i]!)
        for (const s of sizes) {
          expect(s).toBeGreaterThan(0)
          expect(s % mr).toBe(0)
        }
        // all but the last are at least minTiles, and none is larger than the one before
        for (let i = 0; i + 1 < sizes.length; i++) {
          expect(sizes[i]!).toBeGreaterThanOrEqual(minTiles * mr)
          expect(sizes[i + 1]!).toBeLessThanOrEqual(sizes[i]!)
        }
        // the first chunk is a 1 / (2 threads) share (or an even share of MAX_CHUNKS): a late thread leaves at most that undone
        expect(sizes[0]!).toBe(Math.min(tiles, Math.max(minTiles, Math.ceil(tiles / (2 * threads)), Math.ceil(tiles / MAX_CHUNKS))) * mr)
      }),
      { numRuns: 500 },
    )
    expect(chunkBounds(128, 4, 2, 4)).toEqual([0, 128, 224, 296, 352, 392, 424, 448, 464, 480, 496, 512])
    expect(chunkBounds(1, 4, 2, 4)).toEqual([0, 4])
  })
})

/** The real worker with `fault` run right after it has claimed a chunk (the code's first `try {`). */
const faultyWorker =
  (fault: string): Spawn =>
  (code, data, onError) => {
    expect(code).toContain('try {')
    return spawnWorker(code.replace('try {', `${fault} try {`), data, onError)
  }

/** Kernels whose workers `spawn` starts, with the one-thread product of a by b, once a worker is ready (or failed). */
const startedKernels = async (spawn: Spawn, a: Float64Array, b: Float64Array, [m, k, n]: readonly number[], patienceMs?: number) => {
  const w = makeWasmKernels(flavours[0]!, spawn, patienceMs)
  const want = w.gemm(a, k!, 1, b, n!, 1, m!, k!, n!, 1)
  w.gemm(a, k!, 1, b, n!, 1, m!, k!, n!, 2) // starts the worker (it claims nothing while starting)
  for (let i = 0; i < 200 && (w.pool()?.ready() ?? 0) < 1 && w.pool()?.failed() !== true; i++) await new Promise((r) => setTimeout(r, 50))
  return { w, want }
}

describe.runIf(flavours.length > 0)('a worker that is preempted mid-chunk (an oversubscribed machine)', () => {
  it('makes the caller compute alone for a while (1, 2, 4, ... products), with the same bits and no warning', async () => {
    const [m, k, n] = [256, 300, 200]
    const a = entries(m * k, 16)
    const b = entries(k * n, 17)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      // the real worker, made to stall 30 ms in every chunk it takes
      const { w, want } = await startedKernels(faultyWorker('{ const end = performance.now() + 30; while (performance.now() < end); }'), a, b, [m, k, n])
      for (let i = 0; i < 40 && (w.pool()?.stats().skipped ?? 0) < 3; i++)
        expect(w.gemm(a, k, 1, b, n, 1, m, k, n, 2).every((v, j) => Object.is(v, want[j]))).toBe(true)
      const stats = w.pool()!.stats()
      expect(stats.skipped).toBeGreaterThanOrEqual(3)
      expect(stats.callerChunks).toBeLessThan(stats.chunks) // the worker did take chunks
      expect(w.pool()?.failed()).toBe(false)
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })
})

describe.runIf(flavours.length > 0)('a worker that takes a chunk and never finishes it', () => {
  const [m, k, n] = [256, 300, 200]
  const a = entries(m * k, 14)
  const b = entries(k * n, 15)
  // the real worker, made to stop right after it has claimed a chunk of rows: killed, or stuck
  const faults = {
    'is killed (its thread exits)': 'process.exit(1);',
    'hangs (never scheduled again)': 'for (;;) {}',
  }
  for (const [how, fault] of Object.entries(faults))
    it(`${how}: an error-free fallback to one thread on a fresh memory, one warning, the same bits, no hang`, async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
      try {
        const { w, want } = await startedKernels(faultyWorker(fault), a, b, [m, k, n], 200)
        const memory = w.heap.memory
        // the worker may be too late to take a chunk of a product; it takes one within a few
        let ms = 0
        for (let i = 0; i < 50 && w.pool()?.failed() !== true; i++) {
          const t0 = performance.now()
          const got = w.gemm(a, k, 1, b, n, 1, m, k, n, 2)
          ms = performance.now() - t0
          expect(got.every((v, j) => Object.is(v, want[j]))).toBe(true)
        }
        // the call it broke waited the patience given for the worker's chunk, and not much longer
        expect(ms).toBeGreaterThanOrEqual(200)
        expect(ms).toBeLessThan(5000)
        expect(w.pool()?.failed()).toBe(true)
        expect(w.heap.memory).not.toBe(memory)
        expect(warn).toHaveBeenCalledTimes(1)
        expect(String(warn.mock.calls[0]![0])).toMatch(/did not finish its share of a matmul of \[256, 300\] by \[300, 200\]; running on one thread/)
        // and afterwards: one thread, same bits, no more waiting
        const t1 = performance.now()
        const got = w.gemm(a, k, 1, b, n, 1, m, k, n, 2)
        expect(performance.now() - t1).toBeLessThan(200)
        expect(got.every((v, i) => Object.is(v, want[i]))).toBe(true)
        expect(warn).toHaveBeenCalledTimes(1)
      } finally {
        warn.mockRestore()
      }
    })
})

describe.runIf(flavours.length > 0)('worker threads that fail to start', () => {
  const [m, k, n] = [150, 200, 120]
  const a = entries(m * k, 12)
  const b = entries(k * n, 13)
  const want = gemmJs(a, k, 1, b, n, 1, m, k, n)
  const failing = {
    'throw when started': () => {
      throw new Error('no threads here')
    },
    'are not available': () => undefined,
    'report an error later': (_code: string, _data: unknown, onError: (e: unknown) => void) => {
      setTimeout(() => onError(new Error('worker crashed on start')), 0)
      return { terminate: () => undefined }
    },
  }
  for (const [how, spawn] of Object.entries(failing))
    it(`that ${how}: one warning, then one thread, same results, no hang`, async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
      try {
        const w = makeWasmKernels(flavours[0]!, spawn)
        for (let i = 0; i < 3; i++) {
          const got = w.gemm(a, k, 1, b, n, 1, m, k, n, 2)
          const scale = absProduct(a, b, [k, 1, n, 1], m, k, n)
          for (let j = 0; j < m * n; j++) expect(Math.abs(got[j]! - want[j]!)).toBeLessThanOrEqual(1e-12 * scale[j]!)
          await new Promise((r) => setTimeout(r, 10))
        }
        expect(w.pool()?.failed()).toBe(true)
        expect(w.pool()?.ready()).toBe(0)
        expect(warn).toHaveBeenCalledTimes(1)
        expect(String(warn.mock.calls[0]![0])).toMatch(/one thread/)
      } finally {
        warn.mockRestore()
      }
    })
})

describe('kernel backend selection', () => {
  it('useKernels forces the backend, and kernelInfo says which is active', () => {
    const before = kernelInfo()
    try {
      expect(useKernels({ backend: 'js' })).toMatchObject({ backend: 'js', threads: 1 })
      const a = entries(40 * 50, 9)
      const b = entries(50 * 60, 10)
      expect(matmulNN(a, b, 40, 50, 60)).toEqual(gemmJs(a, 50, 1, b, 60, 1, 40, 50, 60))
      const auto = useKernels({ backend: 'auto' })
      expect(auto.backend).toBe(simd === 'none' ? 'js' : 'wasm')
      expect(auto.simd).toBe(simd)
      expect(useKernels({ threads: 1 }).threads).toBe(1)
      expect(() => useKernels({ threads: 0 })).toThrow(RangeError)
      expect(() => useKernels({ threads: 1.5 })).toThrow(RangeError)
    } finally {
      useKernels({ backend: before.backend, threads: Math.max(1, before.threads) })
    }
  })

  it('an engine without SIMD128 gets the JS kernels, whatever was asked for', () => {
    expect(chooseBackend('wasm', 'none')).toBe('js')
    expect(chooseBackend('auto', 'none')).toBe('js')
    expect(chooseBackend('auto', 'simd128')).toBe('wasm')
    expect(chooseBackend('auto', 'relaxed')).toBe('wasm')
    expect(chooseBackend('js', 'relaxed')).toBe('js')
  })

  it('honours AUTODIFF_KERNELS (this run: whatever the environment says, default auto)', () => {
    const e = process.env['AUTODIFF_KERNELS']
    expect(kernelInfo().backend).toBe(e === 'js' || simd === 'none' ? 'js' : 'wasm')
  })
})

describe('the Wasm bytecode emitter', () => {
  it('encodes LEB128 as the specification\'s examples', () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26])
    expect(uleb(0)).toEqual([0])
    expect(uleb(127)).toEqual([0x7f])
    expect(uleb(128)).toEqual([0x80, 0x01])
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78])
    expect(sleb(-1)).toEqual([0x7f])
    expect(sleb(63)).toEqual([0x3f])
    expect(sleb(64)).toEqual([0xc0, 0x00])
  })

  it('every tile shape and unrolling computes the same bits (plain SIMD128 sums in the JS order)', () => {
    const memory = new wasmApi!.Memory({ initial: 64, maximum: 64 })
    const view = new Float64Array(memory.buffer)
    for (const [mr, nv] of [[4, 2], [2, 4], [3, 3], [6, 2]] as const)
      for (const unroll of [1, 2] as const)
        for (const [m, k, n] of [[13, 7, 11], [9, 300, 14], [1, 1, 1], [20, 2, 3]] as const) {
          const shape = { mr, nv, kc: 256, nc: 8 * nv, relaxed: false, unroll } // the JS kernel's KC: same blocks, same order
          const bytes = assemble({ shared: false, initial: 64, maximum: 64 }, gemmFuncs(shape))
          const gemm = new wasmApi!.Instance(new wasmApi!.Module(bytes), { env: { memory } }).exports['gemm'] as (...a: number[]) => void
          const a = entries(m * k, m + k)
          const b = entries(k * n, k + n)
          const [aP, bP, cP] = [1 << 20, (1 << 20) + 8 * m * k, (1 << 20) + 8 * (m * k + k * n)]
          view.set(a, aP / 8)
          view.set(b, bP / 8)
          const rows = Math.ceil(m / mr) * mr
          const ldc = Math.ceil(n / (2 * nv)) * 2 * nv
          gemm(aP, k, 1, bP, n, 1, cP, ldc, 0, rows, m, k, n, 64, 64 + 8 * mr * 256)
          const want = gemmJs(a, k, 1, b, n, 1, m, k, n)
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) expect(Object.is(view[cP / 8 + i * ldc + j], want[i * n + j])).toBe(true)
        }
  })

  it('assembles modules the engine validates, and a corrupted one it rejects', () => {
    const bytes = assemble({ shared: false, initial: 1, maximum: 2 }, gemmFuncs({ mr: 4, nv: 2, kc: 8, nc: 8, relaxed: false, unroll: 2 }))
    expect(wasmApi?.validate(bytes)).toBe(true)
    const bad = bytes.slice()
    bad[bad.length - 1] = 0x00 // the last function no longer ends with `end`
    expect(wasmApi?.validate(bad)).toBe(false)
  })
})
