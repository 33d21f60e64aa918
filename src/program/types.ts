/**
 * The tensor algebra as a type class: {@link Core} is what an instance implements (four
 * functions), {@link Algebra} is what a program sees (every tensor operation, built from the
 * core once by `algebra`), {@link Prim} is one primitive's rules, every mode side by side.
 *
 * @packageDocumentation
 */
import type { Shape, Tensor } from '../Tensor.js'
import type { Convention } from '../ops/convention.js'

/**
 * A boolean mask from a comparison (`A.gt(x, y)`, or `Program.mask(t)` for an input), usable
 * only as the condition of `A.where`: not a tensor of the algebra, so it cannot be
 * differentiated through (a type error, and a `TypeError` at run time in plain JS). Inside
 * `vmap`, `batchTags` names the calls of `vmap` whose batch axes lead `value`, outermost first.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const A = Program.plain
 * const m: Program.Mask = A.gt(tensor([-1, 2]), A.constant(0))
 * A.where(m, tensor([1, 1]), tensor([0, 0])) // [0, 1]
 * ```
 * @category model
 */
export interface Mask {
  /** Marks a mask; masks are made only by an algebra's comparisons. */
  readonly kind: 'mask'
  /** 1 where the comparison holds, 0 elsewhere. */
  readonly value: Tensor
  /** The tags of the `vmap` calls whose batch axes lead `value`, outermost first (none outside `vmap`). */
  readonly batchTags: readonly object[]
}

/**
 * Integer class labels, as data (not differentiable): made by `Program.labels(ys)` to be batched
 * by `vmap` along with the examples (an `ArrayLike<number>` serves elsewhere). As for a
 * {@link Mask}, `batchTags` names the calls of `vmap` whose batch axes lead `value`.
 *
 * @example
 * ```ts
 * import { Program } from 'autodiff-ts'
 *
 * const ys: Program.Labels = Program.labels([2, 0, 1])
 * ys.value.shape // [3]
 * ```
 * @category model
 */
export interface Labels {
  /** Marks labels; made only by `Program.labels` and `vmap`. */
  readonly kind: 'labels'
  /** The labels (integers). */
  readonly value: Tensor
  /** The tags of the `vmap` calls whose batch axes lead `value`, outermost first. */
  readonly batchTags: readonly object[]
}

/**
 * The comparisons that make a {@link Mask}.
 *
 * @example
 * ```ts
 * import type { Program } from 'autodiff-ts'
 *
 * const op: Program.Comparison = 'gt'
 * ```
 * @category model
 */
export type Comparison = 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne'

/**
 * What an instance of the tensor algebra implements: the shape of a value, the lifting of a
 * constant, the plain tensor underneath a value, comparisons, and `bind`, which applies one
 * primitive. Everything else in {@link Algebra} is derived from these by `algebra`. A third
 * party (a tracer that exports a program, say) implements this and gets every operation.
 *
 * @example
 * ```ts
 * import { Program, tensor, type Tensor } from 'autodiff-ts'
 *
 * // a tracing instance: records the name of every primitive a program applies
 * const names: string[] = []
 * const tracing: Program.Core<Tensor> = {
 *   ...Program.plainCore,
 *   bind: (prim, args, params) => {
 *     names.push(prim.name)
 *     return Program.plainCore.bind(prim, args, params)
 *   },
 * }
 * const T = Program.algebra(tracing)
 * T.relu(T.add(T.matmul(tensor([[1, 2]]), tensor([[1], [1]])), tensor([1])))
 * names // ['matmul', 'add', 'relu']
 * ```
 * @category model
 */
export interface Core<T> {
  /** The instance's name, for error messages. */
  readonly name: string
  /** The shape of a value. */
  readonly shape: (x: T) => Shape
  /** A constant: a value whose derivative is zero. */
  readonly of: (t: Tensor) => T
  /** The plain tensor underneath a value (no derivative), for branching and comparisons. */
  readonly primal: (x: T) => Tensor
  /** `x op y` elementwise, broadcasting, as a mask. */
  readonly compare: (op: Comparison, x: T, y: T) => Mask
  /** Applies a primitive to its arguments. */
  readonly bind: <P>(prim: Prim<P>, args: readonly T[], params: P) => T
  /** Whether `u` is a value of this instance (used to name wrong arguments). */
  readonly is: (u: unknown) => u is T
}

/**
 * How a reduction or a loss combines its terms, as PyTorch's `reduction`: the mean, the sum, or
 * every term unreduced.
 *
 * @example
 * ```ts
 * import type { Program } from 'autodiff-ts'
 *
 * const r: Program.Reduction = 'sum'
 * ```
 * @category model
 */
export type Reduction = 'mean' | 'sum' | 'none'

/**
 * Axes of a reduction: all of them by default; `keepDims` keeps them as extent 1.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const o: Program.AxesOptions = { axes: [1], keepDims: true }
 * Program.plain.sum(tensor([[1, 2], [3, 4]]), o) // [[3], [7]]
 * ```
 * @category model
 */
export interface AxesOptions {
  /** The axes reduced (negative counts from the end); default all. */
  readonly axes?: readonly number[]
  /** Keep reduced axes with extent 1; default false. */
  readonly keepDims?: boolean
}

/**
 * An elementwise function declared from its generic scalar definition (see `elementwise`).
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const softsign: Program.Elementwise = Program.elementwise('softsign', (F) => (x) => F.div(x, F.add(F.one, F.abs(x))))
 * Program.plain.map(softsign, tensor([1, -3])) // [0.5, -0.75]
 * ```
 * @category model
 */
export interface Elementwise {
  /** The name used in error messages. */
  readonly name: string
  /** The primitive applying it. */
  readonly prim: Prim<undefined>
}

/**
 * Every operation of the tensor algebra, as `Floating` is for numbers: write a program once
 * against it, `(T) => (p, x) => T.relu(T.add(T.matmul(x, p.w), p.b))`, and it runs plainly,
 * in forward mode, in reverse mode and nested. Binary operations broadcast as NumPy does.
 *
 * @example
 * ```ts
 * import { Program, tensor, type Tensor } from 'autodiff-ts'
 *
 * const layer = <T>(T: Program.Algebra<T>) => (p: { w: T; b: T }, x: T): T => T.relu(T.add(T.matmul(x, p.w), p.b))
 * layer(Program.plain)({ w: tensor([[1], [-1]]), b: tensor([0.5]) }, tensor([[2, 1]])) // [[1.5]]
 * ```
 * @category model
 */
export interface Algebra<T> extends Core<T> {
  /** A constant from a number (shape `[]`) or a tensor. */
  readonly constant: (x: number | Tensor) => T
  /** `a + b`, broadcasting. */
  readonly add: (a: T, b: T) => T
  /** `a - b`, broadcasting. */
  readonly sub: (a: T, b: T) => T
  /** `a * b` elementwise, broadcasting. */
  readonly mul: (a: T, b: T) => T
  /** `a / b` elementwise, broadcasting. */
  readonly div: (a: T, b: T) => T
  /** `a ** b` elementwise, broadcasting (the exponent's derivative is 0 where `a <= 0`). */
  readonly pow: (a: T, b: T) => T
  /** The larger of `a` and `b` elementwise, broadcasting (a tie splits the cotangent in halves). */
  readonly maximum: (a: T, b: T) => T
  /** The smaller of `a` and `b` elementwise, broadcasting (a tie splits the cotangent in halves). */
  readonly minimum: (a: T, b: T) => T
  /** `-x` */
  readonly neg: (x: T) => T
  /** `c x` for a number `c`. */
  readonly scale: (x: T, c: number) => T
  /** `x^2` elementwise. */
  readonly square: (x: T) => T
  /** `e^x` elementwise. */
  readonly exp: (x: T) => T
  /** The natural logarithm, elementwise. */
  readonly log: (x: T) => T
  /** `log(1 + x)`, elementwise. */
  readonly log1p: (x: T) => T
  /** The square root, elementwise. */
  readonly sqrt: (x: T) => T
  /** `|x|`, elementwise (derivative 0 at 0). */
  readonly abs: (x: T) => T
  /** sine, elementwise. */
  readonly sin: (x: T) => T
  /** cosine, elementwise. */
  readonly cos: (x: T) => T
  /** `tanh`, elementwise. */
  readonly tanh: (x: T) => T
  /** The logistic sigmoid, elementwise. */
  readonly sigmoid: (x: T) => T
  /** `max(x, 0)`, elementwise (derivative 0 at 0). */
  readonly relu: (x: T) => T
  /** `log(1 + e^x)`, elementwise, stable. */
  readonly softplus: (x: T) => T
  /** A user's elementwise function (see `elementwise`). */
  readonly map: (f: Elementwise, x: T) => T
  /** The matrix product with NumPy's rules: vectors, and broadcast leading batch axes. */
  readonly matmul: (a: T, b: T) => T
  /** Permutes the axes (default: reverses them). */
  readonly transpose: (x: T, perm?: readonly number[]) => T
  /** The same elements under another shape (one `-1` is inferred). */
  readonly reshape: (x: T, shape: Shape) => T
  /** Broadcasts to a larger shape. */
  readonly broadcastTo: (x: T, shape: Shape) => T
  /** Sums over broadcast axes down to `shape` (the transpose of `broadcastTo`). */
  readonly sumTo: (x: T, shape: Shape) => T
  /** The sum along axes. */
  readonly sum: (x: T, options?: AxesOptions) => T
  /** The mean along axes. */
  readonly mean: (x: T, options?: AxesOptions) => T
  /** `log(sum(exp(x)))` along one axis (default the last), stable, with the axis kept. */
  readonly logSumExp: (x: T, axis?: number) => T
  /** Softmax along one axis (default the last). */
  readonly softmax: (x: T, axis?: number) => T
  /** Log-softmax along one axis (default the last). */
  readonly logSoftmax: (x: T, axis?: number) => T
  /** `x[start:end]` along `axis`. */
  readonly slice: (x: T, axis: number, start: number, end: number) => T
  /** Joins along `axis`. */
  readonly concat: (xs: readonly T[], axis?: number) => T
  /** `a > b`, as a mask. */
  readonly gt: (a: T, b: T) => Mask
  /** `a < b`, as a mask. */
  readonly lt: (a: T, b: T) => Mask
  /** `a >= b`, as a mask. */
  readonly ge: (a: T, b: T) => Mask
  /** `a <= b`, as a mask. */
  readonly le: (a: T, b: T) => Mask
  /** `a` where the mask holds, `b` elsewhere (broadcasting). */
  readonly where: (mask: Mask, a: T, b: T) => T
  /** Mean squared error, PyTorch's `mse_loss`. */
  readonly mse: (pred: T, target: T, reduction?: Reduction) => T
  /** PyTorch's `binary_cross_entropy_with_logits`. */
  readonly binaryCrossEntropyWithLogits: (logits: T, targets: T, reduction?: Reduction) => T
  /**
   * PyTorch's `cross_entropy` of logits `[n, c]` and `n` integer labels, or of one example's
   * logits `[c]` and one label (not differentiable: an array, or {@link Labels} to batch them).
   */
  readonly softmaxCrossEntropy: (logits: T, labels: number | ArrayLike<number> | Labels, reduction?: Reduction) => T
}

/**
 * One primitive, declared once with every mode side by side: its plain `value` on tensors, its
 * `jvp` and `vjp` written against any {@link Algebra} (so they nest: the derivative of a rule is
 * taken by running the rule in the next mode), and its `batch` rule for `vmap`.
 *
 * @example
 * ```ts
 * import { Program } from 'autodiff-ts'
 *
 * const p: Program.Prim<undefined> = Program.prims.exp
 * p.name // 'exp'
 * ```
 * @category model
 */
export interface Prim<P> {
  /** The name used in error messages. */
  readonly name: string
  /** The value on plain tensors; throws a `ShapeError` before any arithmetic. */
  readonly value: (args: readonly Tensor[], params: P) => Tensor
  /**
   * The output tangent, given the arguments, the output and the argument tangents (`undefined`
   * where an argument is constant; at least one is defined).
   */
  readonly jvp: <T>(A: Algebra<T>, args: readonly T[], out: T, tangents: readonly (T | undefined)[], params: P) => T
  /** Each wanted argument's cotangent (at the argument's shape), given the output cotangent `g`. */
  readonly vjp: <T>(A: Algebra<T>, args: readonly T[], out: T, g: T, params: P, wanted: readonly boolean[]) => readonly (T | undefined)[]
  /**
   * The value on a batch: arguments with `batched[i]` carry a leading batch axis, the others do
   * not; `paramsBatched` says whether the mask in `params` (for `where`) is batched by the same
   * call of `vmap` (its last tag). The result carries the batch axis. `A` is the instance
   * underneath (plain, a tape, or an outer call of `vmap`: so calls nest).
   */
  readonly batch: <T>(A: Algebra<T>, args: readonly T[], batched: readonly boolean[], params: P, paramsBatched: boolean) => T
  /** Conventions at non-differentiable points, as data (absent where there are none). */
  readonly conventions?: readonly Convention[]
  /**
   * Optional fused kernels of `jvp` and `vjp` on plain tensors (one pass instead of several), an
   * implementation detail of the rule above: the law kit checks that they agree with the rule
   * evaluated with the plain algebra (`checkFused`).
   */
  readonly fused?: Fused<P>
}

/**
 * The fused kernels of a primitive's rules on plain tensors: the same JVP and pullback as the
 * generic rules evaluated with `Program.plain`, computed in one pass (and reading a uniform
 * cotangent as its one value). Either may be absent; the generic rule is used then.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const fused: Program.Fused<undefined> | undefined = Program.prims.sigmoid.fused
 * fused?.vjp?.([tensor([0])], tensor([0.5]), tensor([1]), undefined, [true])[0] // [0.25]
 * ```
 * @category model
 */
export interface Fused<P> {
  /** The output tangent, as the primitive's `jvp` with the plain algebra. */
  readonly jvp?: (args: readonly Tensor[], out: Tensor, tangents: readonly (Tensor | undefined)[], params: P) => Tensor
  /** Each wanted argument's cotangent, as the primitive's `vjp` with the plain algebra. */
  readonly vjp?: (args: readonly Tensor[], out: Tensor, g: Tensor, params: P, wanted: readonly boolean[]) => readonly (Tensor | undefined)[]
  /**
   * For a one-argument primitive: its value and the pullback of its only argument in one pass,
   * the pullback keeping what the forward pass computed (an activation's derivative, so that it
   * is not computed again), the same bits as `value` then `vjp`. `ops` uses it for its `vjp`.
   */
  readonly vjpOf?: (x: Tensor, params: P) => readonly [Tensor, (g: Tensor) => Tensor]
}
