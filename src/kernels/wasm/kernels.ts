/**
 * The WebAssembly backend: the generated module compiled once on the kernels' memory, and the
 * JS-facing kernels that copy operands in, run, and copy a fresh result out.
 *
 * @packageDocumentation
 */
import { wasmApi } from './api.js'
import type { Simd } from './detect.js'
import { assemble } from './emit.js'
import type { GemmShape } from './gemm.js'
import { gemmFuncs } from './gemm.js'
import type { Heap } from './memory.js'
import { align64, CONTROL_BYTES, makeHeap, MAX_PAGES } from './memory.js'
import type { GemmFn, Pool, Spawn } from './threads.js'
import { makePool, spawnWorker } from './threads.js'

/**
 * The micro-kernel tile (4 rows by 2 f64x2 vectors: 8 accumulators, which x64's 16 vector
 * registers hold with the operands), its loop not unrolled, and the cache blocks (a 256 by 128
 * block of op(B) is 256 KiB). `bench/profile/tiles.ts` measures the alternatives side by side: on
 * the 2-core x64 machine here (CPU clock, 512^3), 4x2 and 2x4 ran 22-24 GFLOP/s, 4x3 and 6x2
 * 12-16, and unrolling by two cost a third (V8 then spills).
 */
export const tileShape = (relaxed: boolean): GemmShape => ({ mr: 4, nv: 2, kc: 256, nc: 128, relaxed, unroll: 1 })

/** Multiply-adds from which a product is split across threads. */
export const THREAD_THRESHOLD = 1 << 21

/** A ready Wasm backend. */
export interface WasmKernels {
  readonly simd: Exclude<Simd, 'none'>
  readonly shape: GemmShape
  readonly heap: Heap
  /** The raw module function (pointers in bytes, strides in elements). */
  readonly gemmRaw: GemmFn
  /**
   * `C = op(A) op(B)` as the JS kernel's `gemm`: strided operands, a fresh m by n row-major
   * result, using up to `threads` threads for large products.
   */
  readonly gemm: (
    a: ArrayLike<number>, aRow: number, aCol: number,
    b: ArrayLike<number>, bRow: number, bCol: number,
    m: number, k: number, n: number, threads: number,
  ) => Float64Array
  /** The worker pool, once a product large enough to use it has run with threads > 1. */
  readonly pool: () => Pool | undefined
}

/** Compiles the kernels for `simd` on a fresh heap; `spawn` starts workers (replaceable for tests). */
export const makeWasmKernels = (simd: Exclude<Simd, 'none'>, spawn: Spawn = spawnWorker): WasmKernels => {
  const shape = tileShape(simd === 'relaxed')
  const { mr, nv, kc, nc } = shape
  const nr = 2 * nv
  const packABytes = align64(8 * mr * kc)
  const heap = makeHeap(packABytes + 8 * kc * nc)
  const bytes = assemble({ shared: heap.shared, initial: 1, maximum: MAX_PAGES }, gemmFuncs(shape))
  if (wasmApi === undefined) throw new Error('WebAssembly is not available')
  const module = new wasmApi.Module(bytes)
  const gemmRaw = new wasmApi.Instance(module, { env: { memory: heap.memory } }).exports['gemm'] as GemmFn
  const packs = (slot: number): readonly [number, number] => {
    const pa = CONTROL_BYTES + slot * heap.slotBytes
    return [pa, pa + packABytes]
  }
  let pool: Pool | undefined

  const gemm: WasmKernels['gemm'] = (a, aRow, aCol, b, bRow, bCol, m, k, n, threads) => {
    const sizes = [m, k, n]
    if (!sizes.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new RangeError(`matmul: sizes must be non-negative integers, got m=${m}, k=${k}, n=${n}`)
    if (m === 0 || n === 0 || k === 0) return new Float64Array(m * n)
    const rows = Math.ceil(m / mr) * mr
    const ldc = Math.ceil(n / nr) * nr
    const aBytes = align64(8 * m * k)
    const bBytes = align64(8 * k * n)
    const cBytes = 8 * rows * ldc
    const view = heap.reserve(aBytes + bBytes + cBytes, `matmul of [${m}, ${k}] by [${k}, ${n}]`)
    if (a.length !== m * k || b.length !== k * n)
      throw new RangeError(`matmul: operands of ${a.length} and ${b.length} elements do not match m=${m}, k=${k}, n=${n}`)
    const aPtr = heap.dataStart
    const bPtr = aPtr + aBytes
    const cPtr = bPtr + bBytes
    view.set(a, aPtr / 8)
    view.set(b, bPtr / 8)
    const tiles = rows / mr
    const parallel = threads > 1 && heap.shared && tiles >= 2 && m * k * n >= THREAD_THRESHOLD
    if (parallel && pool === undefined) pool = makePool(heap, module, gemmRaw, packs, spawn)
    let done = false
    if (parallel && pool !== undefined && !pool.failed()) {
      pool.grow(threads - 1)
      const chunks = Math.min(threads, tiles)
      const perChunk = Math.ceil(tiles / chunks) * mr
      done = pool.run({ a: aPtr, aRow, aCol, b: bPtr, bRow, bCol, c: cPtr, ldc, rows, m, k, n }, Math.ceil(rows / perChunk), perChunk)
    }
    if (!done) {
      const [pa, pb] = packs(0)
      gemmRaw(aPtr, aRow, aCol, bPtr, bRow, bCol, cPtr, ldc, 0, rows, m, k, n, pa, pb)
    }
    const c = new Float64Array(m * n)
    const c0 = cPtr / 8
    if (ldc === n) c.set(view.subarray(c0, c0 + m * n))
    else for (let i = 0; i < m; i++) c.set(view.subarray(c0 + i * ldc, c0 + i * ldc + n), i * n)
    return c
  }
  return { simd, shape, heap, gemmRaw, gemm, pool: () => pool }
}
