/**
 * Which kernels run: the WebAssembly SIMD backend when the engine validates SIMD128 (relaxed SIMD
 * with its fused multiply-add where available), else the plain JavaScript kernels, which are also
 * the reference the Wasm kernels are tested against. The choice is made when the library loads;
 * the environment variable `AUTODIFF_KERNELS=js|wasm` (read where a `process.env` exists) or
 * {@link useKernels} forces one, and `AUTODIFF_THREADS` or the `threads` option sets how many
 * threads large products may use (default: the available parallelism; 1 turns threads off).
 *
 * @packageDocumentation
 */
import type { Simd } from './wasm/detect.js'
import { detectSimd } from './wasm/detect.js'
import type { WasmKernels } from './wasm/kernels.js'
import { makeWasmKernels } from './wasm/kernels.js'
import { MAX_THREADS } from './wasm/memory.js'
import type { WasmElementwise } from './wasm/elementwise.js'
import { makeWasmElementwise, MIN_ELEMENTS } from './wasm/elementwise.js'

/**
 * Which kernels are active, and how.
 *
 * @example
 * ```ts
 * import { kernelInfo } from 'autodiff-ts'
 *
 * const info = kernelInfo() // e.g. { backend: 'wasm', simd: 'simd128', threads: 2, ... }
 * info.backend === 'wasm' || info.backend === 'js' // true
 * ```
 * @category kernels
 */
export interface KernelInfo {
  /** `'wasm'` (WebAssembly SIMD) or `'js'` (plain loops on Float64Array). */
  readonly backend: 'wasm' | 'js'
  /** The SIMD flavour the engine validates: `'relaxed'` (with FMA), `'simd128'`, or `'none'`. */
  readonly simd: 'relaxed' | 'simd128' | 'none'
  /** Threads large matrix products may use (1 when threads are off or unavailable). */
  readonly threads: number
  /** Worker threads started and ready (they start in the background on the first large product). */
  readonly workersReady: number
  /** Why the backend or thread count is not what was asked for, if it is not. */
  readonly note?: string
}

/**
 * Settings for {@link useKernels}: a backend (`'auto'` picks Wasm when SIMD validates) and a
 * thread count (1 turns threads off).
 *
 * @example
 * ```ts
 * import { useKernels, type KernelOptions } from 'autodiff-ts'
 *
 * const opts: KernelOptions = { backend: 'js' }
 * useKernels(opts).backend // 'js'
 * useKernels({ backend: 'auto' })
 * ```
 * @category kernels
 */
export interface KernelOptions {
  /** `'wasm'`, `'js'`, or `'auto'` (Wasm when the engine validates SIMD128). */
  readonly backend?: 'wasm' | 'js' | 'auto'
  /** Threads large matrix products may use, a positive integer (1: none besides the caller). */
  readonly threads?: number
}

const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name]

const available = (): number => {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown }
    navigator?: { hardwareConcurrency?: number }
  }
  const os = g.process?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined
  const n = os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1
  return Math.max(1, Math.min(MAX_THREADS, Math.floor(n)))
}

const simd: Simd = detectSimd()
let wanted: 'wasm' | 'js' | 'auto' = 'auto'
let threads = available()
let wasm: WasmKernels | undefined
let elementwise: WasmElementwise | undefined
let note: string | undefined

const parseThreads = (v: number, where: string): number => {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${where}: threads must be a positive integer, got ${v}`)
  return Math.min(MAX_THREADS, v)
}

{
  const e = env('AUTODIFF_KERNELS')
  if (e === 'js' || e === 'wasm') wanted = e
  else if (e !== undefined && e !== '' && e !== 'auto') note = `AUTODIFF_KERNELS=${e} is not js, wasm or auto; ignored`
  const t = env('AUTODIFF_THREADS')
  if (t !== undefined && t !== '') threads = parseThreads(Number(t), 'AUTODIFF_THREADS')
}

/** The backend that runs when `wanted` is asked for on an engine offering `simd`: Wasm needs SIMD128. */
export const chooseBackend = (wanted: 'wasm' | 'js' | 'auto', simd: Simd): 'wasm' | 'js' =>
  wanted === 'js' || simd === 'none' ? 'js' : 'wasm'

/** The Wasm kernels if they are the active backend (compiled on first use), else undefined. */
export const activeWasm = (): WasmKernels | undefined => {
  if (chooseBackend(wanted, simd) === 'js' || simd === 'none') return undefined
  wasm ??= makeWasmKernels(simd)
  return wasm
}

/** The Wasm elementwise kernels if Wasm is the active backend (compiled on first use), else undefined. */
export const activeElementwise = (): WasmElementwise | undefined => {
  if (chooseBackend(wanted, simd) === 'js' || simd === 'none') return undefined
  elementwise ??= makeWasmElementwise()
  return elementwise
}

/**
 * Whether the Wasm backend was asked for explicitly (`AUTODIFF_KERNELS=wasm` or
 * `useKernels({ backend: 'wasm' })`): then every product runs in Wasm, however small, so that the
 * tests exercise it everywhere; under `'auto'` small products stay in JS, where copying into
 * Wasm memory would cost more than it saves.
 */
export const wasmForced = (): boolean => wanted === 'wasm'

/**
 * The Wasm elementwise kernels for an operation on `n` elements: when Wasm is the active backend
 * and `n` reaches `min` (from which they beat a JavaScript loop), or always when Wasm is forced.
 */
export const elementwiseFor = (n: number, min: number = MIN_ELEMENTS): WasmElementwise | undefined =>
  n >= min || wasmForced() ? activeElementwise() : undefined

/** The thread count kernels may use. */
export const activeThreads = (): number => threads

/**
 * Which kernel backend is active, the SIMD flavour the engine offers, and how many threads large
 * matrix products use. `npm run bench` and the demo print it.
 *
 * @example
 * ```ts
 * import { kernelInfo } from 'autodiff-ts'
 *
 * const { backend, simd, threads } = kernelInfo()
 * console.log(`kernels: ${backend} (${simd}), ${threads} thread(s)`)
 * ```
 * @category kernels
 */
export const kernelInfo = (): KernelInfo => {
  const w = activeWasm()
  const reasons = [
    note,
    wanted === 'wasm' && w === undefined ? 'WebAssembly SIMD128 does not validate on this engine: using the JS kernels' : undefined,
    w !== undefined && !w.heap.shared && threads > 1 ? 'shared WebAssembly memory is unavailable (not cross-origin isolated?): one thread' : undefined,
    w?.pool()?.failed() === true ? 'worker threads failed (see the warning): one thread' : undefined,
  ].filter((r): r is string => r !== undefined)
  const effective = w === undefined || !w.heap.shared || w.pool()?.failed() === true ? 1 : threads
  return {
    backend: w === undefined ? 'js' : 'wasm',
    simd,
    threads: effective,
    workersReady: w?.pool()?.ready() ?? 0,
    ...(reasons.length > 0 ? { note: reasons.join('; ') } : {}),
  }
}

/**
 * Forces a kernel backend and/or a thread count for everything computed afterwards, and returns
 * the resulting {@link kernelInfo}. Results never depend on the thread count; they differ between
 * backends only by the order of summation.
 *
 * @throws RangeError if `threads` is not a positive integer.
 * @example
 * ```ts
 * import { kernelInfo, useKernels } from 'autodiff-ts'
 *
 * useKernels({ backend: 'js' }).backend // 'js'
 * useKernels({ backend: 'auto', threads: 1 }).threads // 1
 * useKernels({ threads: 2 })
 * ;['relaxed', 'simd128', 'none'].includes(kernelInfo().simd) // true
 * ```
 * @category kernels
 */
export const useKernels = (options: KernelOptions): KernelInfo => {
  if (options.threads !== undefined) threads = parseThreads(options.threads, 'useKernels')
  if (options.backend !== undefined) wanted = options.backend
  return kernelInfo()
}
