/**
 * The data of programs that is not differentiable: masks (from comparisons, or `mask(t)` for an
 * input) and integer class labels (`labels(ys)`). Inside `vmap` such data carries the batch axes
 * of the calls that batch it, leading its values in the order of `batchTags` (outermost first),
 * so that nested calls of `vmap` never confuse their axes.
 *
 * @packageDocumentation
 */
import type { Shape, Tensor } from '../Tensor.js'
import { isTensor, wrap } from '../Tensor.js'
import { permute } from '../kernels/transpose.js'
import { describeValue } from './describe.js'
import type { Labels, Mask } from './types.js'

/** A mask or labels. */
export type Data = Mask | Labels

/** Whether `u` is a mask or labels. */
export const isData = (u: unknown): u is Data => {
  const k = (u as Partial<Data> | null)?.kind
  return (k === 'mask' || k === 'labels') && isTensor((u as Data).value) && Array.isArray((u as Data).batchTags)
}

/** The shape of one example of `d` (its value without the batch axes). */
export const exampleShape = (d: Data): Shape => d.value.shape.slice(d.batchTags.length)

const values = (op: string, ys: ArrayLike<number> | Tensor): Tensor => {
  if (isTensor(ys)) return wrap(ys.shape, Float64Array.from(ys.data))
  if (typeof ys !== 'object' || ys === null || typeof (ys as ArrayLike<number>).length !== 'number')
    throw new TypeError(`${op}: expected a tensor or an array of numbers, found ${describeValue(ys)}`)
  const out = new Float64Array(ys.length)
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i]
    if (typeof v !== 'number') throw new TypeError(`${op}: expected a tensor or an array of numbers, found ${describeValue(v)} at [${i}]`)
    out[i] = v
  }
  return wrap([ys.length], out)
}

/**
 * A mask from a tensor, 1 where `t` is nonzero: the condition of `A.where` given as an input of a
 * program (a padding mask, say), batched by `vmap` like a tensor and never differentiated.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const A = Program.plain
 * A.where(Program.mask(tensor([1, 0, 1])), tensor([1, 2, 3]), A.constant(0)) // [1, 0, 3]
 * ```
 * @category constructors
 */
export const mask = (t: Tensor | ArrayLike<number>): Mask => {
  const v = values('mask', t)
  return Object.freeze({ kind: 'mask', value: wrap(v.shape, v.data.map((x) => (x !== 0 ? 1 : 0))), batchTags: [] })
}

/**
 * Integer class labels (non-negative integers) as data: for `A.softmaxCrossEntropy`, batched by
 * `vmap` along with the examples (`vmap(f, [null, 0, 0])(params, xs, Program.labels(ys))` gives
 * each example its own label). Not differentiable.
 *
 * @throws TypeError naming the entry that is not a non-negative integer.
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const loss = <T>(A: Program.Algebra<T>) => (w: T, x: T, y: Program.Labels) => A.softmaxCrossEntropy(A.matmul(x, w), y)
 * const w = tensor([[1, 0], [0, 1]])
 * // one loss per example: each sees logits [2] and one label
 * Program.vmap(loss, [null, 0, 0])(w, tensor([[2, 0], [0, 2]]), Program.labels([0, 0])).shape // [2]
 * ```
 * @category constructors
 */
export const labels = (ys: Tensor | ArrayLike<number>): Labels => {
  const value = values('labels', ys)
  value.data.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) throw new TypeError(`labels: entry ${i} should be a non-negative integer (a class), found ${v}`)
  })
  return Object.freeze({ kind: 'labels', value, batchTags: [] })
}

/** `ys` as labels (an array of numbers, one number, or labels). */
export const asLabels = (ys: number | ArrayLike<number> | Labels): Labels =>
  typeof ys === 'number'
    ? Object.freeze({ kind: 'labels', value: wrap([], Float64Array.of(ys)), batchTags: [] })
    : (ys as Partial<Labels>).kind === 'labels'
      ? (ys as Labels)
      : Object.freeze({ kind: 'labels', value: values('softmaxCrossEntropy', ys as ArrayLike<number>), batchTags: [] })

/**
 * `d` batched by the `vmap` call tagged `tag` along its example axis `axis` (normalised): that
 * axis moves to follow the batch axes `d` already has, and `tag` joins its tags.
 */
export const tagData = <D extends Data>(d: D, tag: object, axis: number): D => {
  const k = d.batchTags.length
  const s = d.value.shape
  const at = k + axis
  const perm = s.map((_, i) => i).filter((i) => i !== at)
  perm.splice(k, 0, at)
  const [shape, data] = at === k ? [s, d.value.data as Float64Array] : permute(d.value.data, s, perm)
  return Object.freeze({ ...d, value: wrap(shape, data), batchTags: [...d.batchTags, tag] }) as unknown as D
}

/**
 * Whether `d` (a primitive's parameters) is batched by the `vmap` call tagged `tag`: then `tag`
 * is its last tag (an inner call's tags are removed before its primitives reach the outer one).
 *
 * @throws TypeError for data of an inner call of `vmap` used outside it.
 */
export const batchedBy = (u: unknown, tag: object, mode: string, op: string): boolean => {
  if (!isData(u)) return false
  const i = u.batchTags.indexOf(tag)
  if (i >= 0 && i !== u.batchTags.length - 1) throw new TypeError(`${op}: a ${u.kind === 'mask' ? 'mask' : 'label set'} of a vmap call inside ${mode} was used outside that call`)
  return i >= 0
}

/**
 * A mask batched by the current call of `vmap` (its last tag), as a mask of the instance
 * underneath: the tag removed, and unit axes after the batch axis so that one example has `rank`
 * axes and lines up with the arguments as {@link alignBatched} lines them up.
 */
export const unbatchMask = (m: Mask, rank: number): Mask => {
  const k = m.batchTags.length
  const s = m.value.shape
  const ones = Array<number>(rank - (s.length - k)).fill(1)
  return Object.freeze({ kind: 'mask', value: wrap([...s.slice(0, k), ...ones, ...s.slice(k)], m.value.data as Float64Array), batchTags: m.batchTags.slice(0, -1) })
}

/** The checked shape of a mask for a plain primitive: no batch axes left. */
export const plainMask = (op: string, m: Mask): Tensor => {
  if (m.batchTags.length > 0) throw new TypeError(`${op}: a mask batched by vmap was used outside that call of vmap`)
  return m.value
}
