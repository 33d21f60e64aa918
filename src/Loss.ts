/**
 * Loss functions and metrics. A loss is data-last: given the targets of a batch it returns a
 * `Diff<Tensor, number>` from the model's output (predictions or logits) to the mean loss, so it
 * composes with a model like any other differentiable function:
 * `Diff.compose(softmaxCrossEntropy(labels), model)`. Each is a fused kernel that computes the
 * loss and its gradient in one pass, stable for logits of any finite magnitude. Each takes
 * PyTorch's `reduction` option: `'mean'` (the default), `'sum'`, or `'none'` for the terms as a
 * tensor. Finite inputs give finite values and gradients wherever the true ones are finite: the
 * mean is taken term by term when the sum would overflow, and gradients are divided before they
 * are scaled.
 *
 * @packageDocumentation
 */
import type { Diff } from './Diff.js'
import { sealed } from './diff/sealed.js'
import { shapeEquals, showShape } from './kernels/shape.js'
import { toOverwrite } from './kernels/spares.js'
import { ShapeError } from './ShapeError.js'
import type { Tensor } from './Tensor.js'
import { crossEntropyRows, crossEntropyRowsGrad } from './loss/crossEntropy.js'
import { reduced, type Kernel, type LossOptions } from './loss/reduce.js'

export type { LossOptions, Reduced, Reduction } from './loss/reduce.js'

/**
 * Integer class labels, one per row of a batch: an `Int32Array`, a `readonly number[]` or any
 * array-like of non-negative integers.
 *
 * @category model
 */
export type Labels = ArrayLike<number>

/**
 * A loss: from the targets of a batch to the differentiable map from the model's output to the
 * mean loss over the batch.
 *
 * @example
 * ```ts
 * import { Loss, tensor, type Tensor } from 'autodiff-ts'
 *
 * const loss: Loss.Loss<Tensor> = Loss.mse
 * loss(tensor([1, 2])).apply(tensor([1, 4])) // 2
 * ```
 *
 * @category model
 */
export type Loss<T> = (targets: T) => Diff<Tensor, number>

/** Throws unless `p` has the shape of `t` and at least one element. */
const checkSameShape = (op: string, p: Tensor, t: Tensor): void => {
  if (!shapeEquals(p.shape, t.shape))
    throw new ShapeError(op, `predictions of the shape of the targets ${showShape(t.shape)}`, [p.shape, t.shape])
  if (p.data.length === 0) throw new ShapeError(op, 'a non-empty batch', [p.shape])
}

// ---------------------------------------------------------------------------------------------
// mse

/**
 * The mean squared error `mean((p - t)^2)` over every element (PyTorch's `F.mse_loss`), as a
 * differentiable function of the predictions `p`; its gradient is `2 (p - t) / n`. With
 * `{ reduction: 'sum' }` the sum of the squares, gradient `2 (p - t)`.
 *
 * @throws ShapeError (when applied) if the predictions have not the shape of the targets, or
 *   are empty.
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * const loss = Loss.mse(tensor([[1], [2]]))
 * loss.apply(tensor([[1], [4]])) // (0 + 4) / 2 = 2
 * loss.vjp(tensor([[1], [4]]))[1](1) // [[0], [2]]
 * ```
 *
 * @category losses
 */
export function mse(targets: Tensor, options?: LossOptions<'mean' | 'sum'>): Diff<Tensor, number>
/**
 * The squared errors `(p - t)^2` themselves, one per element, as a tensor of the shape of `p`
 * (PyTorch's `reduction='none'`).
 *
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * Loss.mse(tensor([1, 2]), { reduction: 'none' }).apply(tensor([1, 4])) // [0, 4]
 * ```
 */
export function mse(targets: Tensor, options: LossOptions<'none'>): Diff<Tensor, Tensor>
export function mse(targets: Tensor, options?: LossOptions): Diff<Tensor, number> | Diff<Tensor, Tensor> {
  const t = targets.data
  const check = (p: Tensor) => checkSameShape('mse', p, targets)
  const kernel: Kernel = {
    termShape: (s) => s,
    width: () => 1,
    sum: (p, terms) => {
      const x = p.data
      let s = 0
      for (let i = 0; i < x.length; i++) {
        const r = x[i]! - t[i]!
        const q = r * r
        s += q
        if (terms !== undefined) terms[i] = q
      }
      return s
    },
    sumAndGrad: (p, d) => {
      const x = p.data
      const n = x.length
      const g = toOverwrite(n) // every element is written
      let s = 0
      for (let i = 0; i < n; i++) {
        const r = x[i]! - t[i]!
        s += r * r
        // 2 (r / d), not (2 r) / d, and (x / d - t / d) when x - t itself overflows
        g[i] = r - r === 0 ? 2 * (r / d) : 2 * (x[i]! / d - t[i]! / d)
      }
      return [s, g]
    },
    carefulMean: (p) => {
      // mean(r^2) = m^2 / n * sum((r / m)^2) with m = max |r|: no square overflows on the way
      const x = p.data
      const n = x.length
      let m = 0
      for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(x[i]! - t[i]!))
      if (!(m > 0 && m < Infinity)) return m !== m ? NaN : m * m
      let s = 0
      for (let i = 0; i < n; i++) {
        const q = (x[i]! - t[i]!) / m
        s += q * q
      }
      return m * (m / n) * s
    },
  }
  return reduced('mse', check, kernel, options)
}
sealed(mse) // only the library's code runs in it, and it keeps nothing (diff/sealed.ts)

// ---------------------------------------------------------------------------------------------
// binary cross-entropy with logits

/**
 * The binary cross-entropy of logits `x` against targets `y` in `[0, 1]`, averaged over every
 * element (PyTorch's `F.binary_cross_entropy_with_logits`): each term
 * `-(y log sigmoid(x) + (1 - y) log sigmoid(-x))` computed as `max(x, 0) - x y + log1p(exp(-|x|))`,
 * which neither overflows nor loses the tails. Its gradient `(sigmoid(x) - y) / n` is computed as
 * `((1 - y) sigmoid(x) - y sigmoid(-x)) / n`, accurate also where `sigmoid(x)` is close to `y`.
 *
 * @throws RangeError if a target is not in `[0, 1]` (naming its index); ShapeError (when applied)
 *   if the logits have not the shape of the targets, or are empty.
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * const loss = Loss.binaryCrossEntropyWithLogits(tensor([1, 0]))
 * loss.apply(tensor([0, 0])) // log 2
 * loss.apply(tensor([1000, -1000])) // 0, not NaN
 * ```
 *
 * @category losses
 */
export function binaryCrossEntropyWithLogits(targets: Tensor, options?: LossOptions<'mean' | 'sum'>): Diff<Tensor, number>
/**
 * The binary cross-entropy terms themselves, one per element (PyTorch's `reduction='none'`).
 *
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * Loss.binaryCrossEntropyWithLogits(tensor([1, 0]), { reduction: 'none' }).apply(tensor([0, 0])) // [log 2, log 2] = [0.6931471805599453, 0.6931471805599453]
 * ```
 */
export function binaryCrossEntropyWithLogits(targets: Tensor, options: LossOptions<'none'>): Diff<Tensor, Tensor>
export function binaryCrossEntropyWithLogits(targets: Tensor, options?: LossOptions): Diff<Tensor, number> | Diff<Tensor, Tensor> {
  const y = targets.data
  for (let i = 0; i < y.length; i++)
    if (!(y[i]! >= 0 && y[i]! <= 1))
      throw new RangeError(`binaryCrossEntropyWithLogits: expected targets in [0, 1], found ${y[i]} at index ${i}`)
  const check = (x: Tensor) => checkSameShape('binaryCrossEntropyWithLogits', x, targets)
  const kernel: Kernel = {
    termShape: (s) => s,
    width: () => 1,
    sum: (logits, terms) => {
      const x = logits.data
      let s = 0
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!
        const term = Math.max(v, 0) - v * y[i]! + Math.log1p(Math.exp(-Math.abs(v)))
        s += term
        if (terms !== undefined) terms[i] = term
      }
      return s
    },
    sumAndGrad: (logits, d) => {
      const x = logits.data
      const n = x.length
      const g = toOverwrite(n) // every element is written
      let s = 0
      for (let i = 0; i < n; i++) {
        const v = x[i]!
        const yi = y[i]!
        const e = Math.exp(-Math.abs(v))
        s += Math.max(v, 0) - v * yi + Math.log1p(e)
        // sigmoid(v) and sigmoid(-v) from e = exp(-|v|)
        const q = 1 + e
        const sp = v >= 0 ? 1 / q : e / q
        const sm = v >= 0 ? e / q : 1 / q
        g[i] = ((1 - yi) * sp - yi * sm) / d
      }
      return [s, g]
    },
  }
  return reduced('binaryCrossEntropyWithLogits', check, kernel, options)
}
sealed(binaryCrossEntropyWithLogits) // only the library's code runs in it, and it keeps nothing (diff/sealed.ts)

// ---------------------------------------------------------------------------------------------
// softmax cross-entropy

/** The labels, copied and checked to be non-negative integers. */
const copyLabels = (op: string, labels: Labels): Int32Array => {
  const out = new Int32Array(labels.length)
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l > 0x7fffffff)
      throw new RangeError(`${op}: expected labels to be non-negative integers, found ${String(l)} at index ${i}`)
    out[i] = l
  }
  return out
}

/** Throws unless `x` is `[labels.length, k]` with `k > 0` and every label below `k`. */
const checkLogits = (op: string, x: Tensor, labels: Int32Array): readonly [number, number] => {
  if (x.shape.length !== 2)
    throw new ShapeError(op, `logits of shape [batch, classes] with batch = ${labels.length} labels`, [x.shape])
  const [b, k] = x.shape as readonly [number, number]
  if (b !== labels.length) throw new ShapeError(op, `one row of logits per label (${labels.length} labels)`, [x.shape])
  if (b === 0 || k === 0) throw new ShapeError(op, 'a non-empty batch of at least one class', [x.shape])
  for (let i = 0; i < b; i++)
    if (labels[i]! >= k)
      throw new RangeError(`${op}: expected labels in [0, ${k}) for logits of shape ${showShape(x.shape)}, found ${labels[i]} at index ${i}`)
  return [b, k]
}

/**
 * The cross-entropy of softmax(logits) against integer class labels, averaged over the batch
 * (PyTorch's `F.cross_entropy`): for each row `b`, `logSumExp(x_b) - x_b[label_b]`, computed with
 * the row maximum shifted out, so logits of magnitude 1000 give exact, finite losses and
 * gradients. Its gradient is `(softmax(x) - onehot(label)) / batch`, with `p_label - 1` computed as
 * minus the sum of the other probabilities (no cancellation for confident predictions).
 *
 * The labels are fixed (copied and checked once); the logits, of shape `[batch, classes]`, are
 * differentiated.
 *
 * @throws RangeError if a label is not a non-negative integer (now) or not below the number of
 *   classes (when applied), naming its index; ShapeError (when applied) if the logits are not
 *   `[labels.length, classes]` with `classes >= 1` and at least one row.
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * const loss = Loss.softmaxCrossEntropy([0, 2])
 * loss.apply(tensor([[0, 0, 0], [0, 0, 0]])) // log 3
 * loss.apply(tensor([[1000, 0, -1000], [0, 0, 1000]])) // 0
 * ```
 *
 * @category losses
 */
export function softmaxCrossEntropy(labels: Labels, options?: LossOptions<'mean' | 'sum'>): Diff<Tensor, number>
/**
 * The cross-entropy of each row itself, a tensor of shape `[batch]` (PyTorch's
 * `reduction='none'`).
 *
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * Loss.softmaxCrossEntropy([0, 1], { reduction: 'none' }).apply(tensor([[0, 0], [1000, 0]])) // [log 2, 1000] = [0.6931471805599453, 1000]
 * ```
 */
export function softmaxCrossEntropy(labels: Labels, options: LossOptions<'none'>): Diff<Tensor, Tensor>
export function softmaxCrossEntropy(labels: Labels, options?: LossOptions): Diff<Tensor, number> | Diff<Tensor, Tensor> {
  const op = 'softmaxCrossEntropy'
  const ls = copyLabels(op, labels)
  const check = (x: Tensor) => {
    checkLogits(op, x, ls)
  }
  const kernel: Kernel = {
    termShape: (s) => [s[0]!],
    width: (s) => s[1]!,
    sum: (logits, terms) => {
      const [b, k] = logits.shape as readonly [number, number]
      return crossEntropyRows(logits.data, b, k, ls, terms)
    },
    sumAndGrad: (logits, d) => {
      const [b, k] = logits.shape as readonly [number, number]
      const g = toOverwrite(logits.data.length) // every row is written
      return [crossEntropyRowsGrad(logits.data, b, k, ls, d, g), g]
    },
  }
  return reduced(op, check, kernel, options)
}
sealed(softmaxCrossEntropy) // only the library's code runs in it, and it keeps nothing (diff/sealed.ts)

// ---------------------------------------------------------------------------------------------
// metrics

/**
 * The fraction of rows of `logits` (`[batch, classes]`) whose largest entry is at the label's
 * index, in `[0, 1]`: a plain metric, not differentiable. Ties go to the first index (as
 * `argmax`); a row holding a NaN counts as wrong.
 *
 * @throws RangeError if a label is not a non-negative integer (now) or not below the number of
 *   classes (when applied); ShapeError if the logits are not `[labels.length, classes]` with a row.
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * Loss.accuracy([0, 1])(tensor([[2, 1], [3, 4]])) // 1
 * Loss.accuracy([1, 1])(tensor([[2, 1], [3, 4]])) // 0.5
 * ```
 *
 * @category metrics
 */
export const accuracy = (labels: Labels): ((logits: Tensor) => number) => {
  const ls = copyLabels('accuracy', labels)
  return (logits) => {
    const [b, k] = checkLogits('accuracy', logits, ls)
    const x = logits.data
    let correct = 0
    for (let r = 0, o = 0; r < b; r++, o += k) {
      let best = 0
      let nan = false
      for (let j = 0; j < k; j++) {
        const v = x[o + j]!
        if (v !== v) nan = true
        else if (v > x[o + best]!) best = j
      }
      if (!nan && best === ls[r]) correct++
    }
    return correct / b
  }
}

/**
 * The fraction of elements where the sign of the logit agrees with the target class: class 1
 * for a logit `> 0` (a probability above 1/2), against class 1 for a target `> 0.5`. A plain
 * metric for {@link binaryCrossEntropyWithLogits}; a NaN logit counts as wrong.
 *
 * @throws ShapeError if the logits have not the shape of the targets, or are empty.
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * Loss.binaryAccuracy(tensor([1, 0, 1, 0]))(tensor([3, -1, -2, 0])) // 0.75
 * ```
 *
 * @category metrics
 */
export const binaryAccuracy =
  (targets: Tensor) =>
  (logits: Tensor): number => {
    checkSameShape('binaryAccuracy', logits, targets)
    const x = logits.data
    const y = targets.data
    let correct = 0
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!
      if (v === v && (v > 0) === (y[i]! > 0.5)) correct++
    }
    return correct / x.length
  }
