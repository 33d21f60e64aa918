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
import type { WasmModule } from './api.js'
import { toOverwrite } from '../spares.js'
import { unchangedIndex, unchangedScope } from '../unchanged.js'
import type { GemmFn, Pool, Spawn } from './threads.js'
import { makePool, MAX_CHUNKS, spawnWorker } from './threads.js'

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

/**
 * Where the chunks of rows of a threaded product start and end, in rows of the padded C (tiles of
 * `mr` rows), guided self-scheduling: each chunk is a `1 / (2 threads)` share of the tiles left,
 * but at least `minTiles` (and at least an even share of what is left among the chunks still
 * allowed, so there are never more than `MAX_CHUNKS`). Chunks shrink toward the end, so the last
 * thread to finish keeps the others waiting for little, and a late or preempted thread leaves
 * little undone.
 *
 * @example
 * ```ts
 * // 128 tiles of 4 rows for 2 threads: chunks of 32, 24, 18, 14, 10, 8, 6, 4, 4, 4, 4 tiles
 * chunkBounds(128, 4, 2, 4) // [0, 128, 224, 296, 352, 392, 424, 448, 464, 480, 496, 512]
 * ```
 */
export const chunkBounds = (tiles: number, mr: number, threads: number, minTiles: number): number[] => {
  const bounds = [0]
  for (let done = 0; done < tiles; ) {
    const left = tiles - done
    const slots = MAX_CHUNKS - (bounds.length - 1)
    done += Math.min(left, Math.max(minTiles, Math.ceil(left / (2 * threads)), Math.ceil(left / slots)))
    bounds.push(done * mr)
  }
  return bounds
}

/** The fewest tiles of rows in a chunk: each chunk reads all of the packed op(B), so tiny ones cost cache traffic. */
const MIN_CHUNK_TILES = 4

/** Copies rows `m0 .. m1` of the m by ldc matrix at byte address `c` of `view` into `out` (n columns). */
const copyRows = (view: Float64Array, c: number, ldc: number, out: Float64Array, n: number, m0: number, m1: number): void => {
  const c0 = c / 8
  if (ldc === n) out.set(view.subarray(c0 + m0 * n, c0 + m1 * n), m0 * n)
  else for (let i = m0; i < m1; i++) out.set(view.subarray(c0 + i * ldc, c0 + i * ldc + n), i * n)
}

/** A ready Wasm backend. */
export interface WasmKernels {
  readonly simd: Exclude<Simd, 'none'>
  readonly shape: GemmShape
  /**
   * The memory the kernels work in. Read it at each use: after a worker failed mid-task the
   * kernels move to a fresh memory (the old one may still be written by that worker).
   */
  readonly heap: Heap
  /** The raw module function (pointers in bytes, strides in elements), on `heap`. */
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

/** The compiled module on one memory, and its functions. */
interface Core {
  readonly heap: Heap
  readonly module: WasmModule
  readonly gemm: GemmFn
  readonly gemmPacked: GemmFn
  readonly packBAll: GemmFn
}

/**
 * Compiles the kernels for `simd` on a fresh heap; `spawn` starts workers and `patienceMs` bounds
 * the wait for a worker's chunk (both replaceable for tests).
 */
export const makeWasmKernels = (simd: Exclude<Simd, 'none'>, spawn: Spawn = spawnWorker, patienceMs?: number): WasmKernels => {
  const shape = tileShape(simd === 'relaxed')
  const { mr, nv, kc, nc } = shape
  const nr = 2 * nv
  const packABytes = align64(8 * mr * kc)
  const api = wasmApi
  if (api === undefined) throw new Error('WebAssembly is not available')
  const build = (): Core => {
    const heap = makeHeap(packABytes + 8 * kc * nc)
    const module = new api.Module(assemble({ shared: heap.shared, initial: 1, maximum: MAX_PAGES }, gemmFuncs(shape)))
    const fn = new api.Instance(module, { env: { memory: heap.memory } }).exports
    return { heap, module, gemm: fn['gemm'] as GemmFn, gemmPacked: fn['gemmPacked'] as GemmFn, packBAll: fn['packBAll'] as GemmFn }
  }
  let core = build()
  const packs = (slot: number): readonly [number, number] => {
    const pa = CONTROL_BYTES + slot * core.heap.slotBytes
    return [pa, pa + packABytes]
  }
  let pool: Pool | undefined

  /**
   * The copy of an operand that the open scope promises unchanged (see `../unchanged.ts`), made
   * on this memory at the start of the data region and kept there for the scope's next products,
   * whose own data regions start after it: `index` is its place among the scope's arrays.
   */
  let kept: { readonly core: Core; readonly scope: number; readonly index: number; readonly bytes: number } | undefined

  /**
   * Reserves the memory of a product (m by k by n; threaded: with room for op(B) packed whole),
   * copies the operands in and returns the view and the byte addresses of op(A), op(B), the packed
   * op(B) and C. An operand the open scope promises unchanged is read from the kept copy when it
   * is the kept one, else it is copied there and kept (one copy is kept: the last taken).
   */
  const load = (
    a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number, threaded: boolean, what: string,
  ): readonly [Float64Array, number, number, number, number] => {
    const scope = unchangedScope()
    const ia = unchangedIndex(a)
    const ib = unchangedIndex(b)
    const still = kept !== undefined && kept.core === core && kept.scope === scope ? kept : undefined
    const wanted = ia >= 0 ? ia : ib
    const fresh = wanted >= 0 && still?.index !== wanted
    const held = fresh ? { core, scope, index: wanted, bytes: align64(8 * (ia >= 0 ? a : b).length) } : still
    const start = core.heap.dataStart
    const aPtr = start + (held?.bytes ?? 0)
    const bPtr = aPtr + align64(8 * m * k)
    const packed = bPtr + align64(8 * k * n)
    const cPtr = packed + (threaded ? align64(8 * k * Math.ceil(n / nr) * nr) : 0)
    const view = core.heap.reserve(cPtr - start + 8 * Math.ceil(m / mr) * mr * Math.ceil(n / nr) * nr, what)
    if (fresh) view.set(ia >= 0 ? a : b, start / 8)
    kept = held
    const at = (x: ArrayLike<number>, i: number, ptr: number): number => {
      if (i >= 0 && i === held?.index) return start
      view.set(x, ptr / 8)
      return ptr
    }
    return [view, at(a, ia, aPtr), at(b, ib, bPtr), packed, cPtr]
  }

  /**
   * C = op(A) op(B) with up to `threads` threads, op(B) packed once for all, copied out into a
   * fresh array chunk by chunk as the chunks are computed; undefined if the threads could not be
   * used (nothing then is trusted).
   */
  const parallel = (
    a: ArrayLike<number>, aRow: number, aCol: number, b: ArrayLike<number>, bRow: number, bCol: number,
    m: number, k: number, n: number, threads: number, what: string,
  ): Float64Array | undefined => {
    pool ??= makePool(core.heap, core.module, core.gemmPacked, (slot) => packs(slot)[0], spawn, patienceMs)
    if (pool.failed() || !pool.worthIt()) return undefined
    pool.grow(threads - 1)
    pool.wake()
    const rows = Math.ceil(m / mr) * mr
    const np = Math.ceil(n / nr) * nr
    const [view, aPtr, bPtr, packed, cPtr] = load(a, b, m, k, n, true, what)
    core.packBAll(bPtr, bRow, bCol, k, n, np, packed)
    let out: Float64Array | undefined
    const copyOut = (m0: number, m1: number): void => {
      out ??= toOverwrite(m * n) // every row is copied out
      copyRows(view, cPtr, np, out, n, m0, Math.min(m, m1))
    }
    const bounds = chunkBounds(rows / mr, mr, threads, MIN_CHUNK_TILES)
    const result = pool.run({ a: aPtr, aRow, aCol, b: packed, np, c: cPtr, ldc: np, rows, m, k, n }, bounds, copyOut)
    if (result === 'timeout') {
      // a worker holds a chunk it may still write into C later: leave this memory to it
      pool.abandon(`a kernel worker did not finish its share of a matmul of [${m}, ${k}] by [${k}, ${n}]`)
      core = build()
    }
    return result === 'done' ? out : undefined
  }

  const gemm: WasmKernels['gemm'] = (a, aRow, aCol, b, bRow, bCol, m, k, n, threads) => {
    const sizes = [m, k, n]
    if (!sizes.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new RangeError(`matmul: sizes must be non-negative integers, got m=${m}, k=${k}, n=${n}`)
    if (m === 0 || n === 0 || k === 0) return new Float64Array(m * n)
    const rows = Math.ceil(m / mr) * mr
    const ldc = Math.ceil(n / nr) * nr
    const what = `matmul of [${m}, ${k}] by [${k}, ${n}]`
    if (a.length !== m * k || b.length !== k * n)
      throw new RangeError(`matmul: operands of ${a.length} and ${b.length} elements do not match m=${m}, k=${k}, n=${n}`)
    const threaded = threads > 1 && core.heap.shared && rows / mr >= 2 && m * k * n >= THREAD_THRESHOLD
    const fromThreads = threaded ? parallel(a, aRow, aCol, b, bRow, bCol, m, k, n, threads, what) : undefined
    if (fromThreads !== undefined) return fromThreads
    const [view, aPtr, bPtr, , c] = load(a, b, m, k, n, false, what)
    const [pa, pb] = packs(0)
    core.gemm(aPtr, aRow, aCol, bPtr, bRow, bCol, c, ldc, 0, rows, m, k, n, pa, pb)
    const out = toOverwrite(m * n)
    copyRows(view, c, ldc, out, n, 0, m)
    return out
  }
  return {
    simd,
    shape,
    get heap() {
      return core.heap
    },
    get gemmRaw() {
      return core.gemm
    },
    gemm,
    pool: () => pool,
  }
}
