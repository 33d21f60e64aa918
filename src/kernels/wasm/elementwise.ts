/**
 * The elementwise kernels of the WebAssembly backend, as JavaScript sees them: fresh
 * `Float64Array`s in, a fresh `Float64Array` out.
 *
 * They run on a memory of their own, small and fixed (a few chunks of {@link CHUNK} doubles),
 * not shared (copies into and out of a shared memory are about twice as slow in V8) and never
 * grown: an input of any length streams through it chunk by chunk (each chunk copied in, computed
 * in SIMD and copied straight into the result), so no size can outgrow it and the working set
 * stays in L2. Lanes a kernel leaves to JavaScript (NaN, the far tails) are finished with the
 * scalar reference functions the caller passes, which are the JavaScript kernels' own formulas.
 *
 * Why copy at all: a result has to be a fresh JavaScript array, and writing 8 MB of fresh memory
 * element by element from a JS loop costs about twice what one `set` (a memcpy) of the same
 * bytes costs (page faults interleaved with the loop: 2.8 against 1.4 ms per 1e6 doubles, against
 * 0.4 and 0.2 into warm memory), so compute-in-Wasm-then-copy is no slower than a JS loop even for
 * relu; for sigmoid and tanh SIMD computes two `exp` at once. Measured (`bench/profile/w2.ts`,
 * `bench/profile/summary.ts`) before these kernels, W2 on 1e6 elements spent its time in the fused
 * JS loops writing fresh arrays (sigmoid: 67% the value-and-derivative loop, 14% the pullback's
 * product, 4% GC; relu: 38%, 18%, 10% GC; tanh: 76%, 11%); after, in the Wasm kernels and the
 * copies out (sigmoid and tanh: the value-and-derivative kernel about half, copies about a quarter).
 * Storing the derivative beat recomputing it in the pullback for sigmoid (12.5 against 17.8 ms,
 * interleaved), and lost for relu, whose pullback recomputes.
 *
 * Fresh memory is what a pass over 1e6 doubles costs most: filling a fresh 8 MB array took 1.5 to
 * 1.9 ms here (a page fault every 4 KiB: the allocator hands freed arrays back to the system
 * once the garbage collector frees several at once, so nearly every array is fresh), against 0.1
 * into a reused one, and the more fresh arrays a step makes, the more each costs (0.5, 0.9, 1.1 ms
 * each at one, two, three a step). Hence a pullback writes its result over the derivative it
 * stored (`mul`'s `into`; the first call only, see `activation/pointwise.ts`): sigmoid's forward
 * and backward make two fresh arrays, not three (7.6 to 5.2 ms, interleaved, on this machine),
 * and storing beats recomputing by more than before (5.2 against 7.0 ms). What is left
 * (sigmoid forward and backward, 1e6, profiled after the kernels' own speed-ups): the
 * value-and-derivative kernel 31%, the copies out 31% (nearly all of it page faults), allocating
 * the fresh arrays 10%, the copies in 10%, the product 3%.
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array } from '../../Tensor.js'
import type { ActivationOp } from './activations.js'
import { activationFuncs, kernelName, limitOf } from './activations.js'
import { wasmApi } from './api.js'
import { assemble, type Func } from './emit.js'
import { LANES } from './loop.js'
import { updateFuncs } from './update.js'
import { PAGE } from './memory.js'
import { toOverwrite } from '../spares.js'

type In = ReadonlyFloat64Array

/** Doubles per chunk: three chunks (x, g, out) of 64 KiB stay in L2. */
export const CHUNK = 8192

/**
 * Elements from which the automatic backend runs an activation in Wasm; below, the JavaScript
 * loop wins (a forced Wasm backend runs every size in Wasm). Measured (relu and sigmoid, vjp and
 * pullback, JS time / Wasm time): 0.5 at 8 elements, 0.75 at 64, 1.05 at 256, 1.3 at 512, 1.75 at 2048.
 */
export const MIN_ELEMENTS = 256

/** The same for the SGD update, whose JS loop is cheaper: 0.8 up to 256 elements, 0.88 at 512, 1.13 at 1024, 1.5 at 2048. */
export const MIN_UPDATE_ELEMENTS = 1024

/** The elementwise kernels of the Wasm backend. */
export interface WasmElementwise {
  /** `op(x)` elementwise, a fresh array; lanes the kernel leaves to JavaScript are `value(x[i])`. */
  readonly activation: (op: ActivationOp, x: In, value: (x: number) => number) => Float64Array
  /**
   * `op(x)` and `op'(x)` elementwise in one pass, two fresh arrays; lanes the kernel leaves to
   * JavaScript are `value(x[i])` and `derivative(x[i])`.
   */
  readonly activationBoth: (
    op: ActivationOp, x: In, value: (x: number) => number, derivative: (x: number) => number,
  ) => readonly [Float64Array, Float64Array]
  /**
   * `g * op'(x)` elementwise (a selection for relu), `g` an array or one number for every
   * element, a fresh array; lanes left to JavaScript are `g[i] * derivative(x[i])`.
   *
   * @throws RangeError if `g` and `x` differ in length.
   */
  readonly activationGrad: (op: ActivationOp, x: In, g: In | number, derivative: (x: number) => number) => Float64Array
  /**
   * `a * b` elementwise: a fresh array, or `into` (which may be `a` or `b` itself: each chunk is
   * read before it is written).
   *
   * @throws RangeError if `a`, `b` and `into` differ in length.
   */
  readonly mul: (a: In, b: In, into?: Float64Array) => Float64Array
  /**
   * `c * a` elementwise: a fresh array, or `into` (which may be `a` itself).
   *
   * @throws RangeError if `a` and `into` differ in length.
   */
  readonly scale: (a: In, c: number, into?: Float64Array) => Float64Array
  /**
   * The SGD step `p - lr (g + wd p)` (`p - lr g` when `wd` is 0), as `Optimizer.sgd` computes it:
   * a fresh array, or `into` (which may be `g` itself), and whether every result is finite (with
   * `lr` and `wd` finite, also false for a gradient that is not).
   *
   * @throws RangeError if `p`, `g` and `into` differ in length.
   */
  readonly sgd: (p: In, g: In, lr: number, wd: number, into?: Float64Array) => readonly [Float64Array, boolean]
}

type Kernel = (...pointersAndLength: number[]) => number

/**
 * Compiles the elementwise module (by default the activation and update kernels) on a fresh memory
 * of its own.
 */
export const makeWasmElementwise = (funcs: readonly Func[] = [...activationFuncs(), ...updateFuncs()]): WasmElementwise => {
  const api = wasmApi
  if (api === undefined) throw new Error('WebAssembly is not available')
  // three chunks (two in and one out, or one in and two out), each with room for the pad lanes, 64-byte aligned
  const slot = Math.ceil((8 * (CHUNK + LANES)) / 64) * 64
  const pages = Math.ceil((3 * slot) / PAGE)
  const memory = new api.Memory({ initial: pages, maximum: pages })
  const module = new api.Module(assemble({ shared: false, initial: pages, maximum: pages }, funcs))
  const fns = new api.Instance(module, { env: { memory } }).exports
  const view = new Float64Array(memory.buffer)
  const at = [0, slot / 8, (2 * slot) / 8] as const
  let flagged = false

  /**
   * Streams `ins` (of equal length, checked) through kernel `name` chunk by chunk into `outs` fresh
   * arrays, or into the arrays `outs` (of that length too); where the kernel reports lanes outside
   * `limit`, `fix(i, outs)` recomputes element `i`. `flagged` is set when some chunk's kernel
   * reported a lane (outside the limit, or a result that is not finite).
   */
  const stream = (
    what: string, name: string, ins: readonly In[], outs: number | readonly Float64Array[], limit: number | undefined,
    fix: (i: number, results: readonly Float64Array[]) => void, scalars: readonly number[] = [],
  ): Float64Array[] => {
    const n = ins[0]!.length
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what}: expected an array of doubles, found length ${n}`)
    for (const a of [...ins, ...(typeof outs === 'number' ? [] : outs)])
      if (a.length !== n) throw new RangeError(`${what}: operands of ${n} and ${a.length} elements`)
    const fn = fns[name] as Kernel
    // every element of a result is written, chunk by chunk: a lent array serves (kernels/spares.ts)
    const results = typeof outs === 'number' ? Array.from({ length: outs }, () => toOverwrite(n)) : [...outs]
    const pointers = at.slice(0, ins.length + results.length).map((p) => 8 * p)
    flagged = false
    for (let o = 0; o < n; o += CHUNK) {
      const m = Math.min(CHUNK, n - o)
      const padded = Math.ceil(m / LANES) * LANES
      ins.forEach((a, j) => {
        view.set(a.subarray(o, o + m), at[j]!)
        view.fill(0, at[j]! + m, at[j]! + padded) // the pad lanes of a short chunk: harmless zeros
      })
      const outside = fn(...pointers, padded, ...scalars)
      if (outside !== 0) flagged = true
      results.forEach((r, j) => r.set(view.subarray(at[ins.length + j]!, at[ins.length + j]! + m), o))
      if (outside !== 0 && limit !== undefined) {
        const x = ins[0]!
        for (let i = o; i < o + m; i++) if (!(Math.abs(x[i]!) <= limit)) fix(i, results)
      }
    }
    return results
  }

  return {
    activation: (op, x, value) =>
      stream(op, kernelName(op, 'value'), [x], 1, limitOf(op, 'value'), (i, [y]) => {
        y![i] = value(x[i]!)
      })[0]!,
    activationBoth: (op, x, value, derivative) => {
      const [y, d] = stream(op, kernelName(op, 'both'), [x], 2, limitOf(op, 'both'), (i, [y, d]) => {
        y![i] = value(x[i]!)
        d![i] = derivative(x[i]!)
      })
      return [y!, d!]
    },
    activationGrad: (op, x, g, derivative) =>
      typeof g === 'number'
        ? stream(`${op} (gradient)`, kernelName(op, 'gradUniform'), [x], 1, limitOf(op, 'gradUniform'), (i, [out]) => {
          out![i] = g * derivative(x[i]!)
        }, [g])[0]!
        : stream(`${op} (gradient)`, kernelName(op, 'grad'), [x, g], 1, limitOf(op, 'grad'), (i, [out]) => {
          out![i] = g[i]! * derivative(x[i]!)
        })[0]!,
    mul: (a, b, into) => stream('mul', 'mul', [a, b], into === undefined ? 1 : [into], undefined, () => undefined)[0]!,
    scale: (a, c, into) => stream('scale', 'scale', [a], into === undefined ? 1 : [into], undefined, () => undefined, [c])[0]!,
    sgd: (p, g, lr, wd, into) => {
      const out = stream('sgd', wd === 0 ? 'sgd' : 'sgdDecay', [p, g], into === undefined ? 1 : [into], undefined, () => undefined, wd === 0 ? [lr] : [lr, wd])[0]!
      return [out, !flagged]
    },
  }
}
