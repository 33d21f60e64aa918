/**
 * The second core (and more): worker threads sharing the kernels' `WebAssembly.Memory`, each
 * running the same compiled gemm on a block of rows of C.
 *
 * The caller copies the operands into the shared memory and packs op(B) whole, once, for
 * everyone (`packBAll`); then the rows of C are cut into chunks of whole micro-kernel row tiles,
 * large first and smaller toward the end (guided self-scheduling, see `chunkBounds`), which the
 * caller and every awake worker claim from a shared counter until none are left, so a worker that
 * is slow to wake (or not started yet, or preempted by another process) only means the caller
 * does more of the work. Each element of C lies in one chunk and is computed by one thread with
 * the same operations in the same order, so the result does not depend on how many threads took
 * part. The caller copies each chunk of C out of Wasm memory as soon as it is computed (its own
 * right away, the workers' when it sees their done flags), so the copy out, the largest serial
 * part of a two-thread product before (0.7-1.2 ms of 6.3 at 512), overlaps the workers' work.
 *
 * Synchronisation is a handful of 32-bit words at the start of the shared memory, used with
 * `Atomics`. An idle worker blocks in `Atomics.wait`, after polling the task generation for 50
 * microseconds only, so that it does not take a core the caller (or another process) needs between
 * products. Before it copies and packs, the caller sends a wake-up call (`wake`), after which a
 * worker polls for up to 0.5 ms: the time to wake a thread overlaps with the copies and the packing.
 * Chunks are claimed from one word holding the task's number, its chunk count and the next chunk
 * (see TICKET), so a worker late for one task can only claim chunks of the task that is open, and
 * the caller never waits for workers to leave a finished task before it publishes the next one.
 *
 * On an oversubscribed machine a worker can be preempted holding a chunk, and the caller then
 * waits for it longer than computing alone would have taken. The caller times itself per chunk
 * and its waits for the workers' chunks; after a product where it waited longer than computing
 * their rows itself would have taken, it computes alone for the next 1 product, then 2, 4, ... up
 * to 64 while that keeps happening (`worthIt`), so that two threads cost little more than one
 * there. Only waits count: a pause of the caller's own (a garbage collection, its own preemption)
 * while the workers compute is no evidence against them.
 *
 * A worker that takes a chunk and never finishes it (killed mid-task) cannot hang the caller:
 * past a patience (1 s, or 50 times the caller's own time per chunk) `run` returns 'timeout', and
 * the kernels abandon the pool and the memory it could still write to (see kernels.ts).
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
import { CONTROL_BYTES } from './memory.js'

/**
 * Word indices of the control block (an Int32Array at address 0, `CONTROL_BYTES` long). TICKET
 * holds the open task's number (bits 20-31), its chunk count (bits 10-19) and the next chunk to
 * hand out (bits 0-9): a thread claims a chunk by a compare-and-swap of the whole word, so a
 * claim is always of the task that is open, and the task's arguments are read after the claim
 * (the caller does not rewrite them before every claimed chunk is done). SLEEPERS counts workers
 * blocked (or about to block) in `Atomics.wait`: the caller notifies only when there are some,
 * since a notify can cost it its core for a while on a busy machine (the woken thread may take
 * it). Chunk c covers rows BOUNDS[c] .. BOUNDS[c + 1] of C; its thread sets DONE[c] to 1 when it
 * has computed it, so the caller can copy it out while other chunks are still being computed.
 */
const GEN = 0, TICKET = 1, SLEEPERS = 2, FAILED = 6, READY = 7, ARGS = 8
/** Most chunks per task. */
export const MAX_CHUNKS = 96
const BOUNDS = 32, DONE = BOUNDS + MAX_CHUNKS + 1, CTL_WORDS = DONE + MAX_CHUNKS
/** Milliseconds an idle worker polls before it blocks: after a wake-up call (a task is imminent), and otherwise. */
const SPIN_WOKEN_MS = 0.5, SPIN_IDLE_MS = 0.02
/** Milliseconds the caller polls for the workers' last chunks before it blocks between polls (where it may block). */
const SPIN_CALLER_MS = 0.2

/** gemm(a, aRow, aCol, b, bRow, bCol, c, ldc, m0, m1, m, k, n, pa, pb), as exported by the module. */
export type GemmFn = (...args: number[]) => void

/**
 * One product for the pool: gemmPacked's arguments minus the row range and the A pack buffer,
 * with op(B) already packed whole at `b` by packBAll.
 */
export interface GemmTask {
  readonly a: number; readonly aRow: number; readonly aCol: number
  /** The packed op(B) and its width padded to whole panels. */
  readonly b: number; readonly np: number
  readonly c: number; readonly ldc: number
  /** Rows of the padded C (a multiple of the tile height). */
  readonly rows: number
  readonly m: number; readonly k: number; readonly n: number
}

/** How a task ended: all chunks computed; a thread failed (nothing to trust); or a worker never finished its chunk. */
export type RunResult = 'done' | 'failed' | 'timeout'

/**
 * The worker's code: instantiate the module on the shared memory, say ready, then serve tasks.
 * Plain JavaScript in a string, parameterised by the control-block layout above. An idle worker
 * polls the task generation for a short while and then blocks in `Atomics.wait`; the caller's
 * wake-up call (a notify without a task, sent before it copies and packs the operands) makes it
 * poll longer, so that it is awake when the task is published without spinning between steps.
 */
const workerSource = (): string => `
const serve = ({ memory, module, pa }) => {
  const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemmPacked
  const ctl = new Int32Array(memory.buffer, 0, ${CTL_WORDS})
  Atomics.add(ctl, ${READY}, 1)
  let spin = ${SPIN_IDLE_MS}
  for (;;) {
    const g = Atomics.load(ctl, ${GEN})
    const v = Atomics.load(ctl, ${TICKET})
    const c = v & 1023
    if (c < ((v >>> 10) & 1023)) {
      if (Atomics.compareExchange(ctl, ${TICKET}, v, v + 1) !== v) continue
      const s = ${ARGS}
      try {
        gemm(ctl[s], ctl[s + 1], ctl[s + 2], ctl[s + 3], ctl[s + 4], ctl[s + 5], ctl[s + 6],
          ctl[${BOUNDS} + c], ctl[${BOUNDS} + c + 1], ctl[s + 8], ctl[s + 9], ctl[s + 10], pa)
      } catch {
        Atomics.store(ctl, ${FAILED}, 1)
      }
      Atomics.store(ctl, ${DONE} + c, 1)
      Atomics.notify(ctl, ${DONE} + c)
      spin = ${SPIN_IDLE_MS}
      continue
    }
    // nothing to claim: poll for a new task a little, then block until the caller notifies
    const until = performance.now() + spin
    for (let i = 1; Atomics.load(ctl, ${GEN}) === g; i++)
      if ((i & 255) === 0 && performance.now() > until) {
        Atomics.add(ctl, ${SLEEPERS}, 1)
        Atomics.wait(ctl, ${GEN}, g)
        Atomics.sub(ctl, ${SLEEPERS}, 1)
        spin = ${SPIN_WOKEN_MS}
        break
      }
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
  /** The worker's buffer for packing slivers of op(A). */
  readonly pa: number
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

/** What a pool has done (see {@link Pool.stats}). */
export interface PoolStats {
  readonly products: number
  readonly chunks: number
  readonly callerChunks: number
  readonly waitedMs: number
  /** Products run by the caller alone because recent ones were slower with the workers. */
  readonly skipped: number
  /** Products in which a thread's kernel threw (the kernels then compute them again alone). */
  readonly failedProducts: number
}

/** A pool of workers serving gemm tasks on a shared heap. */
export interface Pool {
  /** Workers that have instantiated the module and wait for tasks. */
  readonly ready: () => number
  /** Starts workers until there are `count` (no-op when there are already that many). */
  readonly grow: (count: number) => void
  /** Tells idle workers a task is coming, so that they are awake when it is published. */
  readonly wake: () => void
  /**
   * Computes `task` with whoever is ready, in chunks: chunk c is rows `bounds[c] .. bounds[c + 1]`
   * of C (multiples of the tile height). The caller hands each chunk to `done(m0, m1)` once it
   * is computed, its own right away and the workers' as it sees them finished, so that copying
   * results out overlaps the workers' computing. 'failed' if a thread's gemm threw; 'timeout' if
   * a worker took a chunk and did not finish it within the pool's patience (a worker killed
   * mid-task): then C may still be written by it later.
   */
  readonly run: (task: GemmTask, bounds: readonly number[], done: (m0: number, m1: number) => void) => RunResult
  /**
   * Whether the next product should use the workers: false for a while after products that
   * took longer with them than the caller alone would have (a worker preempted by other
   * processes mid-chunk, on an oversubscribed machine), for 1, 2, 4, ... up to 64 products.
   */
  readonly worthIt: () => boolean
  /** Counts since the pool started, for profiling: products run, their chunks, those the caller computed, ms it waited for workers. */
  readonly stats: () => PoolStats
  /** Whether the pool is out of use: workers failed to start, or `abandon` was called. */
  readonly failed: () => boolean
  /** Stops the workers and takes the pool out of use, with one warning saying `why`. */
  readonly abandon: (why: string) => void
}

/**
 * A pool on `heap` (which must be shared) running `gemmPacked` from `module`; `packA(slot)` gives
 * the A pack buffer of a thread slot (0 is the caller's). A worker that has taken a chunk gets
 * `patienceMs`, or 50 times the caller's own time per chunk if that is longer, to finish it.
 */
export const makePool = (
  heap: Heap, module: WasmModule, gemm: GemmFn, packA: (slot: number) => number,
  spawn: Spawn = spawnWorker, patienceMs = 1000,
): Pool => {
  if (CTL_WORDS * 4 > CONTROL_BYTES) throw new Error(`threads: the control block needs ${CTL_WORDS * 4} bytes`)
  const ctl = new Int32Array(heap.memory.buffer, 0, CTL_WORDS)
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
  const abandon = (why: string): void => {
    if (broken) return
    broken = true
    for (const w of workers) void w.terminate()
    console.warn(`autodiff-ts: ${why}; running on one thread`)
  }
  const fail = (e: unknown): void => abandon(`kernel worker threads failed to start (${String(e)})`)
  const grow = (count: number): void => {
    while (!broken && workers.length < count) {
      try {
        const w = spawn(code, { memory: heap.memory, module, pa: packA(workers.length + 1) }, fail)
        if (w === undefined) return fail('no worker API on this platform')
        workers.push(w)
      } catch (e) {
        return fail(e)
      }
    }
  }
  /** Polls until `ctl[word]` passes `ok`, blocking between polls where allowed; false after `ms`. */
  const waitFor = (word: number, ok: (v: number) => boolean, ms: number): boolean => {
    const t0 = performance.now()
    for (let i = 1, v = Atomics.load(ctl, word); !ok(v); i++, v = Atomics.load(ctl, word)) {
      if ((i & 255) !== 0) continue
      const waited = performance.now() - t0
      if (waited > ms) return false
      if (canBlock && waited > SPIN_CALLER_MS) Atomics.wait(ctl, word, v, 1)
    }
    return true
  }
  let skip = 0
  let backoff = 1
  const stats = { products: 0, chunks: 0, callerChunks: 0, waitedMs: 0, skipped: 0, failedProducts: 0 }
  const worthIt = (): boolean => {
    if (skip === 0) return true
    skip--
    stats.skipped++
    return false
  }
  let task = 0
  let wakeMs = 0
  const wake = (): void => {
    const t = performance.now()
    if (Atomics.load(ctl, SLEEPERS) > 0) Atomics.notify(ctl, GEN)
    wakeMs = performance.now() - t
  }
  /** Claims the next chunk of the open task; -1 when none is left. */
  const claim = (): number => {
    for (;;) {
      const v = Atomics.load(ctl, TICKET)
      const c = v & 1023
      if (c >= ((v >>> 10) & 1023)) return -1
      if (Atomics.compareExchange(ctl, TICKET, v, v + 1) === v) return c
    }
  }
  const run = (t: GemmTask, bounds: readonly number[], done: (m0: number, m1: number) => void): RunResult => {
    const chunks = bounds.length - 1
    if (!(chunks >= 1 && chunks <= MAX_CHUNKS)) throw new RangeError(`threads: ${chunks} chunks, expected 1 to ${MAX_CHUNKS}`)
    ctl.set([t.a, t.aRow, t.aCol, t.b, t.np, t.c, t.ldc, t.rows, t.m, t.k, t.n], ARGS)
    ctl.set(bounds, BOUNDS)
    ctl.fill(0, DONE, DONE + chunks)
    ctl[FAILED] = 0
    task = (task + 1) & 4095
    Atomics.store(ctl, TICKET, (task << 20) | (chunks << 10))
    Atomics.add(ctl, GEN, 1)
    if (Atomics.load(ctl, SLEEPERS) > 0) Atomics.notify(ctl, GEN)
    const pa = packA(0)
    // the caller's share runs even if every worker is gone, so a task always finishes
    let mine = 0, myRows = 0, myMs = 0, first = 0
    const handed = new Uint8Array(chunks)
    const handOn = (c: number): void => {
      done(bounds[c]!, bounds[c + 1]!)
      handed[c] = 1
      while (first < chunks && handed[first] === 1) first++
    }
    for (let c = claim(); c >= 0; c = claim(), mine++) {
      const [m0, m1] = [bounds[c]!, bounds[c + 1]!]
      const t0 = performance.now()
      gemm(t.a, t.aRow, t.aCol, t.b, t.np, t.c, t.ldc, m0, m1, t.m, t.k, t.n, pa)
      myMs += performance.now() - t0
      myRows += m1 - m0
      handOn(c)
      // the workers' chunks finished meanwhile
      for (let d = first; d < chunks; d++) if (handed[d] === 0 && Atomics.load(ctl, DONE + d) !== 0) handOn(d)
    }
    const perRow = myRows === 0 ? 0 : myMs / myRows
    const patience = Math.max(patienceMs, (50 * perRow * t.rows) / chunks)
    let waited = 0
    for (let d = first; d < chunks; d++) {
      if (handed[d] === 1) continue
      const t2 = performance.now()
      if (!waitFor(DONE + d, (v) => v !== 0, patience)) return 'timeout'
      waited += performance.now() - t2
      handOn(d)
    }
    stats.products++
    stats.chunks += chunks
    stats.callerChunks += mine
    stats.waitedMs += waited
    if (mine > 0 && mine < chunks) {
      // The workers helped if the caller waited for their chunks (and woke them) for less time
      // than it would have taken to compute their rows itself. Only waits count against them, not
      // the whole product's time: a pause of the caller's own (a collection, a preemption)
      // while the workers compute is no reason to compute alone next time.
      if (waited + wakeMs > perRow * (t.rows - myRows)) {
        skip = backoff
        backoff = Math.min(64, 2 * backoff)
      } else backoff = 1
    }
    if (Atomics.load(ctl, FAILED) === 0) return 'done'
    stats.failedProducts++
    return 'failed'
  }
  return {
    ready: () => (broken ? 0 : Atomics.load(ctl, READY)),
    grow,
    wake,
    run,
    worthIt,
    stats: () => ({ ...stats }),
    failed: () => broken,
    abandon,
  }
}
