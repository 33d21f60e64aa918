/**
 * The shape of an elementwise activation, and the one builder that turns its fused kernels into a
 * `Diff<Tensor, Tensor>`.
 *
 * @packageDocumentation
 */
import { make, type Diff } from '../Diff.js'
import { sealed } from '../diff/sealed.js'
import type { ScalarFn } from '../Floating.js'
import { elementwiseFor as wasmFor } from '../kernels/backend.js'
import { shapeEquals } from '../kernels/shape.js'
import type { ActivationOp } from '../kernels/wasm/activations.js'
import { ShapeError } from '../ShapeError.js'
import { wrap, type ReadonlyFloat64Array, type Tensor } from '../Tensor.js'

/**
 * A point where an activation is not differentiable, and the derivative returned there, following
 * ChainRulesCore's policy: 0 at a local optimum, the one-sided derivative where only one side
 * exists, otherwise the value of one branch (here always the branch `x <= at`, as PyTorch), never
 * NaN and never a throw.
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * Activation.relu.kinks // [{ at: 0, left: 0, right: 1, derivative: 0, rule: 'local optimum' }]
 * ```
 *
 * @category model
 */
export interface Kink {
  /** The point `x` where the function has no derivative. */
  readonly at: number
  /** The derivative from the left, `lim f'(x)` as `x` rises to `at`. */
  readonly left: number
  /** The derivative from the right, `lim f'(x)` as `x` falls to `at`. */
  readonly right: number
  /** The derivative this library returns at `at` (in `derivative`, `diff`'s JVP and pullback). */
  readonly derivative: number
  /**
   * Why that value: `'local optimum'` (0, the function has a local minimum or maximum there),
   * `'left branch'` (the derivative of the branch `x <= at`, a subgradient), or `'jump'` (the
   * function jumps; its derivative is 0 on both sides and the Dirac delta is dropped).
   */
  readonly rule: 'local optimum' | 'left branch' | 'jump'
}

/**
 * An elementwise activation function, every form of it in one record: the generic scalar
 * definition (evaluable in every mode), plain number functions for its value and first two
 * derivatives (closed forms, for plots and tables), and the `Diff<Tensor, Tensor>` that applies it
 * to every element with a fused closed-form kernel. The laws check the closed forms against the
 * dual-number derivatives of `scalar`.
 *
 * For a NaN input every value and derivative is NaN. At `+-Infinity` the values and derivatives
 * are the limits, never NaN.
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * for (const a of Activation.all) {
 *   const xs = [-4, -2, 0, 2, 4]
 *   console.log(a.name, xs.map(a.value), xs.map(a.derivative))
 * }
 * ```
 *
 * @category model
 */
export interface Activation {
  /** A name for display, with parameters: `'sigmoid'`, `'leakyRelu(0.01)'`. */
  readonly name: string
  /** The definition, written once for every `Floating` (numbers, dual numbers, reverse mode). */
  readonly scalar: ScalarFn
  /** `f(x)` on plain numbers. */
  readonly value: (x: number) => number
  /** `f'(x)` in closed form, with the conventions of {@link Activation.kinks} at kinks. */
  readonly derivative: (x: number) => number
  /** `f''(x)` in closed form (0 at kinks and on linear pieces). */
  readonly secondDerivative: (x: number) => number
  /** `f` applied to every element of a tensor of any shape, with a fused closed-form kernel. */
  readonly diff: Diff<Tensor, Tensor>
  /** The closure of the set of values, `[inf, sup]`, possibly infinite: `[0, 1]` for sigmoid. */
  readonly range: readonly [number, number]
  /** The points where `f` is not differentiable and the derivative returned there. */
  readonly kinks: readonly Kink[]
}

/**
 * The fused kernels of an elementwise activation: plain loops over `Float64Array`s that the
 * caller has just allocated.
 *
 * @category model
 */
export interface PointwiseKernels {
  /** Writes `f(x[i])` into `y[i]` for every `i`. */
  readonly value: (x: ReadonlyFloat64Array, y: Float64Array) => void
  /** Writes `f(x[i])` into `y[i]` and `f'(x[i])` into `d[i]` for every `i`, in one pass. */
  readonly valueAndDerivative: (x: ReadonlyFloat64Array, y: Float64Array, d: Float64Array) => void
}

/**
 * The `Diff<Tensor, Tensor>` of an elementwise function from its fused kernels: `apply` runs
 * `value`; `jvp` and `vjp` run `valueAndDerivative` once and multiply the tangent or the cotangent
 * by the stored derivative, element by element. It is marked row-wise (`rowwise: true`), so that
 * `Program.vmap` applies it to a whole batch at once.
 *
 * @throws ShapeError (from `jvp` or the pullback) naming `name` if the tangent or cotangent has
 *   not the shape of the input.
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * const square = Activation.pointwiseDiff('square', {
 *   value: (x, y) => { for (let i = 0; i < x.length; i++) y[i] = x[i]! * x[i]! },
 *   valueAndDerivative: (x, y, d) => {
 *     for (let i = 0; i < x.length; i++) { y[i] = x[i]! * x[i]!; d[i] = 2 * x[i]! }
 *   },
 * })
 * ```
 *
 * @category constructors
 */
export const pointwiseDiff = (name: string, kernels: PointwiseKernels): Diff<Tensor, Tensor> => diffOf(name, arrayKernels(kernels))

/**
 * What the WebAssembly backend needs to run a built-in activation: its kernels' name, the scalar
 * value and derivative (the JavaScript kernels' own formulas) for the lanes the Wasm kernels leave
 * to JavaScript, and whether a pullback recomputes the derivative from the input (relu: cheaper
 * than storing it) or multiplies by the derivative stored in the forward pass.
 *
 * @internal
 */
export interface WasmActivation {
  readonly op: ActivationOp
  readonly value: (x: number) => number
  readonly derivative: (x: number) => number
  readonly recompute: boolean
}

/**
 * An elementwise function's kernels on plain arrays, each returning a fresh array, run by the
 * WebAssembly backend where it offers them (the same values bit for bit on V8: the Wasm kernels
 * repeat the JavaScript formulas, `exp` and `tanh` included), else by the JavaScript kernels. The
 * one statement of an activation's arithmetic: its `diff` and the rule table's entry
 * (`Program.prims`) both run these.
 *
 * @internal
 */
export interface ArrayKernels {
  /** `f(x)` elementwise. */
  readonly value: (x: ReadonlyFloat64Array) => Float64Array
  /** `f(x)` and `f'(x)` elementwise, in one pass. */
  readonly both: (x: ReadonlyFloat64Array) => readonly [Float64Array, Float64Array]
  /**
   * `c f'(x)` elementwise, from the derivative `d` stored by {@link ArrayKernels.both} or (when
   * `d` is undefined) recomputed from `x`; `c` is an array or one number shared by every element.
   */
  readonly times: (x: ReadonlyFloat64Array, d: Float64Array | undefined, c: ReadonlyFloat64Array | number) => Float64Array
  /** Whether a pullback on `n` elements should recompute the derivative rather than store it. */
  readonly recompute: (n: number) => boolean
  /** `t f'` for one element, given `f'` = `d`: the product, or (for a selecting function) a selection. */
  readonly scale: (d: number, t: number) => number
  /**
   * `f(x)` and a pullback `c => c f'(x)` that keeps the derivative computed with the value (or
   * recomputes it, where {@link ArrayKernels.recompute} says so); the pullback may be called
   * any number of times. Its first call writes its result over the stored derivative, which
   * nobody else sees (one fresh array fewer); later calls recompute the derivative, to the same bits.
   */
  readonly vjp: (x: ReadonlyFloat64Array) => readonly [Float64Array, (c: ReadonlyFloat64Array | number) => Float64Array]
}

/**
 * `t f'` where `f'` is 0 or 1 (NaN at NaN), as a selection: `t` where `f' = 1`, 0 where `f' = 0`
 * whatever `t` is (an infinite or NaN cotangent at a flat point gives 0, as PyTorch's
 * `threshold_backward` and JAX's `select` give, where a product would give NaN), NaN at NaN.
 */
const select = (d: number, t: number): number => (d === 0 ? 0 : d * t)
const multiply = (d: number, t: number): number => d * t

/**
 * The {@link ArrayKernels} of fused JavaScript kernels, with Wasm kernels where the backend offers
 * them.
 *
 * @internal
 */
export const arrayKernels = (kernels: PointwiseKernels, wasm?: WasmActivation, selects = false): ArrayKernels => {
  const { value, valueAndDerivative } = kernels
  const scale = selects ? select : multiply
  const wasmAt = (n: number) => (wasm === undefined ? undefined : wasmFor(n))
  /** Value and derivative from Wasm if it runs for `x`, else from the JS kernel (fresh arrays). */
  const both = (x: ReadonlyFloat64Array): readonly [Float64Array, Float64Array] => {
    const w = wasmAt(x.length)
    if (w !== undefined) return w.activationBoth(wasm!.op, x, wasm!.value, wasm!.derivative)
    const y = new Float64Array(x.length)
    const d = new Float64Array(x.length)
    valueAndDerivative(x, y, d)
    return [y, d]
  }
  const apply = (x: ReadonlyFloat64Array): Float64Array => {
    const w = wasmAt(x.length)
    if (w !== undefined) return w.activation(wasm!.op, x, wasm!.value)
    const y = new Float64Array(x.length)
    value(x, y)
    return y
  }
  /** `c f'(x)` from the derivative `d` or (undefined) recomputed, into `into` (which may be `d`) or a fresh array. */
  const product = (
    x: ReadonlyFloat64Array, d: Float64Array | undefined, c: ReadonlyFloat64Array | number, into?: Float64Array,
  ): Float64Array => {
    const w = wasmAt(x.length)
    if (w !== undefined && (d === undefined || !selects)) {
      if (d !== undefined) return typeof c === 'number' ? w.scale(d, c, into) : w.mul(c, d, into)
      return w.activationGrad(wasm!.op, x, c, wasm!.derivative)
    }
    // c times the derivative: the stored one, or a fresh one in place
    const der = d ?? both(x)[1]
    const out = d === undefined ? der : into ?? new Float64Array(der.length)
    if (selects) {
      if (typeof c === 'number') for (let i = 0; i < out.length; i++) out[i] = select(der[i]!, c)
      else for (let i = 0; i < out.length; i++) out[i] = select(der[i]!, c[i]!)
    } else if (typeof c === 'number') for (let i = 0; i < out.length; i++) out[i] = c * der[i]!
    else for (let i = 0; i < out.length; i++) out[i] = c[i]! * der[i]!
    return out
  }
  const times = (x: ReadonlyFloat64Array, d: Float64Array | undefined, c: ReadonlyFloat64Array | number): Float64Array => product(x, d, c)
  const recompute = (n: number): boolean => wasm !== undefined && wasm.recompute && wasmAt(n) !== undefined
  const vjp = (x: ReadonlyFloat64Array): readonly [Float64Array, (c: ReadonlyFloat64Array | number) => Float64Array] => {
    if (recompute(x.length)) return [apply(x), (c) => product(x, undefined, c)]
    const [y, d] = both(x)
    // the first call writes c f'(x) over the stored derivative and hands it out (writing fresh
    // memory is what an elementwise pass costs most: kernels/wasm/elementwise.ts); later calls
    // recompute the derivative, with the same bits
    let stored: Float64Array | undefined = d
    return [y, (c) => {
      const own = stored
      stored = undefined
      return product(x, own, c, own)
    }]
  }
  return { value: apply, both, times, recompute, scale, vjp }
}

/**
 * The `Diff` of one of the library's elementwise functions from its {@link ArrayKernels}: its
 * pullback stores the derivative computed in the forward pass (or recomputes it, where the kernels
 * say so). Sealed (`diff/sealed.ts`): only the library's kernels run in it, and it keeps nothing.
 *
 * @internal
 */
export const fusedDiff = (name: string, kernels: ArrayKernels): Diff<Tensor, Tensor> => sealed(diffOf(name, kernels))

/**
 * The library's `Diff` of an elementwise function from its own fused kernels ({@link pointwiseDiff}
 * for the library's activations: sealed).
 *
 * @internal
 */
export const builtInDiff = (name: string, kernels: PointwiseKernels): Diff<Tensor, Tensor> => fusedDiff(name, arrayKernels(kernels))

/** The `Diff` of an elementwise function from its {@link ArrayKernels}. */
const diffOf = (name: string, kernels: ArrayKernels): Diff<Tensor, Tensor> => {
  const { value: apply, both, times, recompute, scale, vjp } = kernels
  const diff = make<Tensor, Tensor>({
    apply: (a) => wrap(a.shape, apply(a.data)),
    jvp: (a, da) => {
      if (!shapeEquals(a.shape, da.shape))
        throw new ShapeError(`${name} (jvp)`, 'a tangent of the shape of the input', [a.shape, da.shape])
      if (recompute(a.data.length)) return [wrap(a.shape, apply(a.data)), wrap(a.shape, times(a.data, undefined, da.data))]
      const [y, d] = both(a.data)
      const t = da.data
      for (let i = 0; i < d.length; i++) d[i] = scale(d[i]!, t[i]!)
      return [wrap(a.shape, y), wrap(a.shape, d)]
    },
    vjp: (a) => {
      const [y, pb] = vjp(a.data)
      const pullback = (g: Tensor): Tensor => {
        if (!shapeEquals(a.shape, g.shape))
          throw new ShapeError(`${name} (pullback)`, 'a cotangent of the shape of the output', [a.shape, g.shape])
        return wrap(a.shape, pb(g.data))
      }
      return [wrap(a.shape, y), pullback]
    },
  })
  // elementwise, so row-wise: under Program.vmap its batch folds into its rows (Program.Rowwise)
  return Object.freeze({ ...diff, rowwise: true as const })
}
