/**
 * How a loss's terms become its value: PyTorch's `reduction` (`'mean'`, `'sum'` or `'none'`), and
 * the `Diff` of a fused loss kernel under each, with the mean taken without overflow.
 *
 * @packageDocumentation
 */
import { make, type Diff } from '../Diff.js'
import { shapeEquals } from '../kernels/shape.js'
import { toOverwrite } from '../kernels/spares.js'
import { ShapeError } from '../ShapeError.js'
import type { Shape } from '../Shape.js'
import { wrap, type ReadonlyFloat64Array, type Tensor } from '../Tensor.js'

/**
 * How a loss reduces its terms, as PyTorch's `reduction`: `'mean'` (the default) averages them,
 * `'sum'` adds them, `'none'` returns them all (one per element, or one per row for
 * `softmaxCrossEntropy`) as a tensor.
 *
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * const r: Loss.Reduction = 'sum'
 * Loss.mse(tensor([1, 2]), { reduction: r }).apply(tensor([2, 4])) // 1 + 4 = 5
 * ```
 * @category model
 */
export type Reduction = 'mean' | 'sum' | 'none'

/**
 * Options of the losses: the {@link Reduction}.
 *
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * const options: Loss.LossOptions<'none'> = { reduction: 'none' }
 * Loss.mse(tensor([1, 2]), options).apply(tensor([2, 4])) // [1, 4]
 * ```
 * @category model
 */
export interface LossOptions<R extends Reduction = Reduction> {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  readonly reduction?: R
}

/**
 * What a loss returns under a reduction: a number for `'mean'` and `'sum'`, a tensor of the terms
 * for `'none'`.
 *
 * @example
 * ```ts
 * import { Loss, tensor } from 'autodiff-ts'
 *
 * const perElement: Loss.Reduced<'none'> = Loss.mse(tensor([1, 2]), { reduction: 'none' })
 * perElement.apply(tensor([2, 4])) // [1, 4]
 * ```
 * @category model
 */
export type Reduced<R extends Reduction> = R extends 'none' ? Diff<Tensor, Tensor> : Diff<Tensor, number>

/**
 * A fused loss kernel: its terms (each of `width` consecutive inputs) and their gradient.
 *
 * @internal
 */
export interface Kernel {
  /** The shape of the terms (`'none'`'s output) for an input of shape `shape`. */
  readonly termShape: (shape: Shape) => Shape
  /** How many consecutive inputs make one term (1, or the number of classes). */
  readonly width: (shape: Shape) => number
  /** The sum of the terms, writing each into `terms` if given. */
  readonly sum: (x: Tensor, terms?: Float64Array) => number
  /** The sum of the terms, and the gradient of (sum of the terms) / `d`, computed divided. */
  readonly sumAndGrad: (x: Tensor, d: number) => readonly [number, Float64Array]
  /** The mean of the terms computed without intermediate overflow (the rare path). */
  readonly carefulMean?: (x: Tensor) => number
}

const reductionOf = (op: string, options: LossOptions | undefined): Reduction => {
  const r = options?.reduction ?? 'mean'
  if (r !== 'mean' && r !== 'sum' && r !== 'none')
    throw new RangeError(`${op}: expected reduction to be 'mean', 'sum' or 'none', found ${String(r)}`)
  return r
}

const checkTangent = (op: string, p: Tensor, dp: Tensor): void => {
  if (!shapeEquals(p.shape, dp.shape)) throw new ShapeError(`${op} (jvp)`, 'a tangent of the shape of the input', [p.shape, dp.shape])
}

const dotData = (a: ReadonlyFloat64Array, b: ReadonlyFloat64Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** The mean of the terms: the sum over `n`, or, if that overflows, each term over `n` first. */
const meanOf = (k: Kernel, x: Tensor, n: number, sum: number): number => {
  const m = sum / n
  if (m - m === 0 || m !== m) return m
  if (k.carefulMean !== undefined) return k.carefulMean(x)
  const terms = new Float64Array(n)
  k.sum(x, terms)
  let s = 0
  for (let i = 0; i < n; i++) s += terms[i]! / n
  return s
}

/**
 * The `Diff` of a fused loss kernel under a reduction: the value is the mean, sum or tensor of
 * the terms; the gradient comes from the kernel in one pass with the value.
 *
 * @internal
 */
export const reduced = (op: string, check: (x: Tensor) => void, k: Kernel, options?: LossOptions): Diff<Tensor, number> | Diff<Tensor, Tensor> => {
  const reduction = reductionOf(op, options)
  if (reduction === 'none') return none(op, check, k)
  const mean = reduction === 'mean'
  const divisor = (x: Tensor): number => (mean ? k.termShape(x.shape).reduce((a, b) => a * b, 1) : 1)
  return make<Tensor, number>({
    apply: (x) => {
      check(x)
      const d = divisor(x)
      const s = k.sum(x)
      return mean ? meanOf(k, x, d, s) : s
    },
    jvp: (x, dx) => {
      check(x)
      checkTangent(op, x, dx)
      const d = divisor(x)
      const [s, g] = k.sumAndGrad(x, d)
      return [mean ? meanOf(k, x, d, s) : s, dotData(g, dx.data)]
    },
    vjp: (x) => {
      check(x)
      const d = divisor(x)
      const [s, g] = k.sumAndGrad(x, d)
      const pullback = (c: number): Tensor => {
        const out = toOverwrite(g.length)
        for (let i = 0; i < g.length; i++) out[i] = c * g[i]!
        return wrap(x.shape, out)
      }
      return [mean ? meanOf(k, x, d, s) : s, pullback]
    },
  })
}

const none = (op: string, check: (x: Tensor) => void, k: Kernel): Diff<Tensor, Tensor> => {
  const terms = (x: Tensor): Tensor => {
    const shape = k.termShape(x.shape)
    const out = new Float64Array(shape.reduce((a, b) => a * b, 1))
    k.sum(x, out)
    return wrap(shape, out)
  }
  return make<Tensor, Tensor>({
    apply: (x) => {
      check(x)
      return terms(x)
    },
    jvp: (x, dx) => {
      check(x)
      checkTangent(op, x, dx)
      const y = terms(x)
      const [, g] = k.sumAndGrad(x, 1)
      const w = k.width(x.shape)
      const out = new Float64Array(y.data.length)
      for (let i = 0, j = 0; i < out.length; i++) {
        let s = 0
        for (let e = j + w; j < e; j++) s += g[j]! * dx.data[j]!
        out[i] = s
      }
      return [y, wrap(y.shape, out)]
    },
    vjp: (x) => {
      check(x)
      const y = terms(x)
      const [, g] = k.sumAndGrad(x, 1)
      const w = k.width(x.shape)
      const pullback = (c: Tensor): Tensor => {
        if (!shapeEquals(c.shape, y.shape)) throw new ShapeError(`${op} (vjp)`, 'a cotangent of the shape of the terms', [c.shape, y.shape])
        const out = new Float64Array(g.length)
        for (let i = 0, j = 0; i < c.data.length; i++) {
          const ci = c.data[i]!
          for (let e = j + w; j < e; j++) out[j] = ci * g[j]!
        }
        return wrap(x.shape, out)
      }
      return [y, pullback]
    },
  })
}
