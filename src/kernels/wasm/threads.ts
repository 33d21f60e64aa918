/**
 * The second core (and more): worker threads sharing the kernels' `WebAssembly.Memory`, each
 * running the same compiled gemm on a block of rows of C.
 *
 * A task is split into chunks of whole micro-kernel row tiles; the caller and every awake worker
 * claim chunks from a shared counter until none are left, so a worker that is slow to wake (or
 * not started yet) only means the caller does more of the work. Each element of C lies in one
 * chunk and is computed by one thread with the same operations in the same order, so the result
 * does not depend on how many threads took part.
 *
 * Synchronisation is a handful of 32-bit words at the start of the shared memory, used with
 * `Atomics`. Idle workers spin on the task generation for a short while before they block in
 * `Atomics.wait`, so back-to-back matmuls (a training step) do not pay a wake-up each. The
 * generation is odd while the caller writes a task and even once it is published; a worker that
 * woke for an old task leaves without touching the new one.
 *
 * Workers get their code as a string (no file to resolve, so it loads the same from TypeScript
 * sources under vitest/tsx, from the built `dist`, and in a browser from a Blob URL) and start
 * asynchronously; until they report ready, the caller computes alone. If a worker cannot start,
 * the kernels warn once and stay on one thread.
 *
 * @packageDocumentation
 */
import type { WasmMemory, WasmModule } from './api.js'
import type { Heap } from './memory.js'

/** Word indices of the control block (an Int32Array at address 0). */
const GEN = 0, ACTIVE = 1, NEXT = 2, DONE = 3, CHUNKS = 4, ROWS = 5, FAILED = 6, READY = 7, ARGS = 8
/** How many times an idle thread polls before it blocks. */
const SPIN = 20000

/** gemm(a, aRow, aCol, b, bRow, bCol, c, ldc, m0, m1, m, k, n, pa, pb), as exported by the module. */
export type GemmFn = (...args: number[]) => void

/** Arguments of one product, minus the row range and the pack buffers. */
export interface GemmTask {
  readonly a: number; readonly aRow: number; readonly aCol: number
  readonly b: number; readonly bRow: number; readonly bCol: number
  readonly c: number; readonly ldc: number
  /** Rows of the padded C (a multiple of the tile height). */
  readonly rows: number
  readonly m: number; readonly k: number; readonly n: number
}

/**
 * The worker's code: instantiate the module on the shared memory, say ready, then serve tasks.
 * Plain JavaScript in a string, parameterised by the control-block layout above.
 */
const workerSource = (): string => `
const serve = ({ memory, module, pa, pb }) => {
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm
  const ctl = new Int32Array(memory.buffer, 0, ${ARGS + 16})
  Atomics.add(ctl, ${READY}, 1)
  let seen = Atomics.load(ctl, ${GEN})
  for (;;) {
    let g = Atomics.load(ctl, ${GEN})
    for (let i = 0; g === seen || (g & 1) === 1; i++) {
      if (i >= ${SPIN}) Atomics.wait(ctl, ${GEN}, g)
      g = Atomics.load(ctl, ${GEN})
    }
    seen = g
    Atomics.add(ctl, ${ACTIVE}, 1)
    if (Atomics.load(ctl, ${GEN}) === g) {
      const chunks = ctl[${CHUNKS}], rows = ctl[${ROWS}], s = ${ARGS}
      for (let c = Atomics.add(ctl, ${NEXT}, 1); c < chunks; c = Atomics.add(ctl, ${NEXT}, 1)) {
        const m0 = c * rows
        try {
          gemm(ctl[s], ctl[s + 1], ctl[s + 2], ctl[s + 3], ctl[s + 4], ctl[s + 5], ctl[s + 6], ctl[s + 7],
            m0, Math.min(ctl[s + 8], m0 + rows), ctl[s + 9], ctl[s + 10], ctl[s + 11], pa, pb)
        } catch {
          Atomics.store(ctl, ${FAILED}, 1)
        }
        if (Atomics.add(ctl, ${DONE}, 1) + 1 === chunks) Atomics.notify(ctl, ${DONE})
      }
    }
    Atomics.sub(ctl, ${ACTIVE}, 1)
  }
}
if (typeof require === 'function') serve(require('node:worker_threads').workerData)
else self.onmessage = (e) => serve(e.data)
`

/** The least a worker handle must offer, in Node and in browsers. */
export interface WorkerHandle {
  readonly terminate: () => unknown
}

interface NodeWorkerThreads {
  readonly Worker: new (code: string, options: { eval: true; workerData: unknown }) => WorkerHandle & {
    unref(): void
    on(event: 'error', listener: (e: unknown) => void): void
  }
}

/** What a worker is started with. */
export interface WorkerData {
  readonly memory: WasmMemory
  readonly module: WasmModule
  readonly pa: number
  readonly pb: number
}

/** Starts a worker running `code` with `data`, reporting errors to `onError`; undefined if the platform cannot. */
export type Spawn = (code: string, data: WorkerData, onError: (e: unknown) => void) => WorkerHandle | undefined

/** Starts one worker with `data`, in Node or in a cross-origin-isolated page; undefined if neither can. */
export const spawnWorker: Spawn = (code: string, data: WorkerData, onError: (e: unknown) => void): WorkerHandle | undefined => {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown }
    crossOriginIsolated?: boolean
    Worker?: new (url: string) => WorkerHandle & { postMessage(d: unknown): void; onerror: unknown }
    Blob?: new (parts: string[], options: { type: string }) => unknown
    URL?: { createObjectURL?: (blob: unknown) => string }
  }
  const wt = g.process?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined
  if (wt !== undefined) {
    const w = new wt.Worker(code, { eval: true, workerData: data })
    w.unref()
    w.on('error', onError)
    return w
  }
  if (g.crossOriginIsolated === true && g.Worker !== undefined && g.Blob !== undefined && g.URL?.createObjectURL !== undefined) {
    const w = new g.Worker(g.URL.createObjectURL(new g.Blob([code], { type: 'text/javascript' })))
    w.onerror = onError
    w.postMessage(data)
    return w
  }
  return undefined
}

/** A pool of workers serving gemm tasks on a shared heap. */
export interface Pool {
  /** Workers that have instantiated the module and wait for tasks. */
  readonly ready: () => number
  /** Starts workers until there are `count` (no-op when there are already that many). */
  readonly grow: (count: number) => void
  /** Computes `task` in `chunks` chunks of `rowsPerChunk` rows with whoever is ready; false if a thread failed. */
  readonly run: (task: GemmTask, chunks: number, rowsPerChunk: number) => boolean
  /** Whether starting workers failed (the kernels then run on one thread). */
  readonly failed: () => boolean
}

/**
 * A pool on `heap` (which must be shared) running `gemm` from `module`; `packs(slot)` gives the
 * pack buffers of a thread slot (0 is the caller's).
 */
export const makePool = (
  heap: Heap, module: WasmModule, gemm: GemmFn, packs: (slot: number) => readonly [number, number],
  spawn: Spawn = spawnWorker,
): Pool => {
  const ctl = new Int32Array(heap.memory.buffer, 0, ARGS + 16)
  const workers: WorkerHandle[] = []
  let broken = false
  const code = workerSource()
  // Browsers forbid Atomics.wait on the main thread; there the caller only spins.
  let canBlock = true
  try {
    Atomics.wait(ctl, FAILED, 1, 0)
  } catch {
    canBlock = false
  }
  const fail = (e: unknown): void => {
    if (broken) return
    broken = true
    for (const w of workers) void w.terminate()
    console.warn(`autodiff-ts: kernel worker threads failed to start (${String(e)}); running on one thread`)
  }
  const grow = (count: number): void => {
    while (!broken && workers.length < count) {
      const [pa, pb] = packs(workers.length + 1)
      try {
        const w = spawn(code, { memory: heap.memory, module, pa, pb }, fail)
        if (w === undefined) return fail('no worker API on this platform')
        workers.push(w)
      } catch (e) {
        return fail(e)
      }
    }
  }
  const run = (t: GemmTask, chunks: number, rowsPerChunk: number): boolean => {
    Atomics.add(ctl, GEN, 1) // odd: writing
    while (Atomics.load(ctl, ACTIVE) !== 0) {
      // a worker that woke for the previous task is on its way out
    }
    ctl.set([t.a, t.aRow, t.aCol, t.b, t.bRow, t.bCol, t.c, t.ldc, t.rows, t.m, t.k, t.n], ARGS)
    ctl[ROWS] = rowsPerChunk
    ctl[CHUNKS] = chunks
    ctl[DONE] = 0
    ctl[FAILED] = 0
    Atomics.store(ctl, NEXT, 0)
    Atomics.add(ctl, GEN, 1) // even: published
    Atomics.notify(ctl, GEN)
    const [pa, pb] = packs(0)
    // the caller's share runs even if every worker is gone, so a task always finishes
    for (let c = Atomics.add(ctl, NEXT, 1); c < chunks; c = Atomics.add(ctl, NEXT, 1)) {
      const m0 = c * rowsPerChunk
      gemm(t.a, t.aRow, t.aCol, t.b, t.bRow, t.bCol, t.c, t.ldc, m0, Math.min(t.rows, m0 + rowsPerChunk), t.m, t.k, t.n, pa, pb)
      Atomics.add(ctl, DONE, 1)
    }
    for (let i = 0, d = Atomics.load(ctl, DONE); d < chunks; i++, d = Atomics.load(ctl, DONE))
      if (i >= SPIN && canBlock) Atomics.wait(ctl, DONE, d, 10)
    return Atomics.load(ctl, FAILED) === 0
  }
  return { ready: () => (broken ? 0 : Atomics.load(ctl, READY)), grow, run, failed: () => broken }
}
