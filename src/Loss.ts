/**
 * Loss functions and metrics. A loss is data-last: given the targets of a batch it returns a
 * `Diff<Tensor, number>` from the model's output (predictions or logits) to the mean loss, so it
 * composes with a model like any other differentiable function:
 * `Diff.compose(softmaxCrossEntropy(labels), model)`. Each is a fused kernel that computes the
 * loss and its gradient in one pass, stable for logits of any finite magnitude.
 *
 * @packageDocumentation
 */
import { make, type Diff } from './Diff.js'
import { shapeEquals, showShape } from './kernels/shape.js'
import { ShapeError } from './ShapeError.js'
import { wrap, type ReadonlyFloat64Array, type Tensor } from './Tensor.js'
import { expShiftedSum, rowMax, shifted } from './activation/softmax.js'

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

const checkTangent = (op: string, p: Tensor, dp: Tensor): void => {
  if (!shapeEquals(p.shape, dp.shape)) throw new ShapeError(`${op} (jvp)`, 'a tangent of the shape of the input', [p.shape, dp.shape])
}

const dotData = (a: ReadonlyFloat64Array, b: ReadonlyFloat64Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** The `Diff` of a loss whose gradient `grad(x)` is computed with its value in one pass. */
const fromFused = (
  op: string,
  check: (x: Tensor) => void,
  value: (x: Tensor) => number,
  valueAndGrad: (x: Tensor) => readonly [number, Float64Array],
): Diff<Tensor, number> =>
  make<Tensor, number>({
    apply: (x) => {
      check(x)
      return value(x)
    },
    jvp: (x, dx) => {
      check(x)
      checkTangent(op, x, dx)
      const [v, g] = valueAndGrad(x)
      return [v, dotData(g, dx.data)]
    },
    vjp: (x) => {
      check(x)
      const [v, g] = valueAndGrad(x)
      const pullback = (c: number): Tensor => {
        const out = new Float64Array(g.length)
        for (let i = 0; i < g.length; i++) out[i] = c * g[i]!
        return wrap(x.shape, out)
      }
      return [v, pullback]
    },
  })

// ---------------------------------------------------------------------------------------------
// mse

/**
 * The mean squared error `mean((p - t)^2)` over every element (PyTorch's `F.mse_loss`), as a
 * differentiable function of the predictions `p`; its gradient is `2 (p - t) / n`.
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
export const mse = (targets: Tensor): Diff<Tensor, number> => {
  const t = targets.data
  const check = (p: Tensor) => checkSameShape('mse', p, targets)
  return fromFused(
    'mse',
    check,
    (p) => {
      const x = p.data
      let s = 0
      for (let i = 0; i < x.length; i++) {
        const r = x[i]! - t[i]!
        s += r * r
      }
      return s / x.length
    },
    (p) => {
      const x = p.data
      const n = x.length
      const g = new Float64Array(n)
      let s = 0
      for (let i = 0; i < n; i++) {
        const r = x[i]! - t[i]!
        s += r * r
        g[i] = (2 * r) / n
      }
      return [s / n, g]
    },
  )
}

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
export const binaryCrossEntropyWithLogits = (targets: Tensor): Diff<Tensor, number> => {
  const y = targets.data
  for (let i = 0; i < y.length; i++)
    if (!(y[i]! >= 0 && y[i]! <= 1))
      throw new RangeError(`binaryCrossEntropyWithLogits: expected targets in [0, 1], found ${y[i]} at index ${i}`)
  const check = (x: Tensor) => checkSameShape('binaryCrossEntropyWithLogits', x, targets)
  return fromFused(
    'binaryCrossEntropyWithLogits',
    check,
    (logits) => {
      const x = logits.data
      let s = 0
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!
        s += Math.max(v, 0) - v * y[i]! + Math.log1p(Math.exp(-Math.abs(v)))
      }
      return s / x.length
    },
    (logits) => {
      const x = logits.data
      const n = x.length
      const g = new Float64Array(n)
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
        g[i] = ((1 - yi) * sp - yi * sm) / n
      }
      return [s / n, g]
    },
  )
}

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
export const softmaxCrossEntropy = (labels: Labels): Diff<Tensor, number> => {
  const op = 'softmaxCrossEntropy'
  const ls = copyLabels(op, labels)
  const check = (x: Tensor) => {
    checkLogits(op, x, ls)
  }
  return fromFused(
    op,
    check,
    (logits) => {
      const [b, k] = logits.shape as readonly [number, number]
      const x = logits.data
      let total = 0
      for (let r = 0, o = 0; r < b; r++, o += k) {
        const mx = rowMax(x, o, k)
        const s = sumExpShifted(x, o, k, mx)
        total += Math.log(s) - shifted(x[o + ls[r]!]!, mx)
      }
      return total / b
    },
    (logits) => {
      const [b, k] = logits.shape as readonly [number, number]
      const x = logits.data
      const g = new Float64Array(x.length)
      let total = 0
      for (let r = 0, o = 0; r < b; r++, o += k) {
        const mx = rowMax(x, o, k)
        const s = expShiftedSum(x, o, k, mx, g)
        const l = o + ls[r]!
        total += Math.log(s) - shifted(x[l]!, mx)
        let others = 0
        for (let j = o; j < o + k; j++) {
          const p = g[j]! / s
          g[j] = p / b
          if (j !== l) others += p
        }
        g[l] = -others / b
      }
      return [total / b, g]
    },
  )
}

/** The sum that {@link expShiftedSum} returns, in the same order, without storing the exponentials. */
const sumExpShifted = (x: ReadonlyFloat64Array, o: number, m: number, mx: number): number => {
  let s = 0
  for (let j = o; j < o + m; j++) s += Math.exp(shifted(x[j]!, mx))
  return s
}

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
