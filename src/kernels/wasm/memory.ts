/**
 * The WebAssembly memory the kernels work in, and the arithmetic of where things go in it.
 *
 * One memory holds, in order: a small control block (words the threads synchronise on), one
 * scratch slot of pack buffers per thread, and a data region that each kernel call fills from
 * its start (operands in, result out) and abandons when it returns; the one exception is the copy
 * of an operand that a caller's scope promises unchanged (`../unchanged.ts`), which stays at the
 * start of the data region, below the next calls' operands, until the scope ends (`kernels.ts`).
 * Kernels run one at a time and call nothing back, so nothing outside a call ever sees this
 * memory: callers hand in `Float64Array`s and get fresh ones back. The memory grows to the
 * largest call seen and stays there (a flat heap), up to a fixed maximum; a call that would need
 * more is a `RangeError`, raised before any work.
 *
 * @packageDocumentation
 */

import type { WasmMemory } from './api.js'
import { wasmApi } from './api.js'

/** Bytes per WebAssembly page. */
export const PAGE = 65536
/** The most memory the kernels reserve: 1 GiB (16384 pages). */
export const MAX_PAGES = 16384
/** Bytes of the control block at address 0. */
export const CONTROL_BYTES = 1024
/** The most threads (main included) that get a scratch slot. */
export const MAX_THREADS = 16

/** A kernel memory: the `WebAssembly.Memory`, whether it is shared, and a way to make room. */
export interface Heap {
  readonly memory: WasmMemory
  readonly shared: boolean
  /** The first byte of the data region. */
  readonly dataStart: number
  /** Bytes of one thread's scratch slot. */
  readonly slotBytes: number
  /**
   * Makes the memory at least `dataStart + bytes` long, growing it if needed, and returns a
   * `Float64Array` view of all of it; throws a RangeError naming `what` if that exceeds the maximum.
   */
  readonly reserve: (bytes: number, what: string) => Float64Array
}

/** Rounds up to a multiple of 64 bytes (a cache line). */
export const align64 = (bytes: number): number => Math.ceil(bytes / 64) * 64

/**
 * A heap whose scratch slots are `slotBytes` each: shared between threads when the platform
 * allows (`SharedArrayBuffer`, cross-origin isolation in browsers), else private.
 */
export const makeHeap = (slotBytes: number): Heap => {
  const dataStart = align64(CONTROL_BYTES + MAX_THREADS * align64(slotBytes))
  const initial = Math.ceil((dataStart + (1 << 22)) / PAGE)
  const api = wasmApi
  if (api === undefined) throw new Error('WebAssembly is not available')
  let memory: WasmMemory
  let shared = true
  try {
    memory = new api.Memory({ initial, maximum: MAX_PAGES, shared: true })
    if (typeof SharedArrayBuffer !== 'function' || !(memory.buffer instanceof SharedArrayBuffer)) throw new Error('not shared')
  } catch {
    shared = false
    memory = new api.Memory({ initial, maximum: MAX_PAGES })
  }
  let view = new Float64Array(memory.buffer)
  const reserve = (bytes: number, what: string): Float64Array => {
    const need = dataStart + bytes
    if (!(need <= MAX_PAGES * PAGE))
      throw new RangeError(`${what} needs ${bytes} bytes of WebAssembly memory; at most ${MAX_PAGES * PAGE - dataStart} are available`)
    if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE))
    if (view.buffer !== memory.buffer || view.length * 8 !== memory.buffer.byteLength) view = new Float64Array(memory.buffer)
    return view
  }
  return { memory, shared, dataStart, slotBytes: align64(slotBytes), reserve }
}
