/**
 * Matrix products on a reverse tape over the plain algebra, computed when first read, so that a
 * bias added to a product no one else has read is added over the product's own array (one fresh
 * array fewer, with `add`'s bits), as `Layer.dense` does: the program `A.add(A.matmul(x, w), b)`
 * then costs what the layer costs.
 *
 * A deferred product's shape is checked when it is made (a `ShapeError` where `matmul` would
 * throw one); its value is computed the first time anyone reads it: the program (its tape value's
 * `value`, any operation but such an add), the tape's `held`, or a pullback. A product an add
 * wrote over is computed again if it is read later, to the same bits (a second product: the one
 * cost of a program that reads a product after adding a bias to it). The backward sweep reads
 * neither: `matmul` is bilinear and `add` linear, so their pullbacks read their arguments' values
 * (matmul) or shapes (add), never a product's value; the add's record holds a stand-in of the
 * product that has its shape and computes its data if read.
 *
 * @internal
 * @packageDocumentation
 */
import type { Shape, Tensor } from '../Tensor.js'
import { isTensor } from '../Tensor.js'
import type { MatmulFlags } from './prims.js'
import { matmulShape } from './prims.js'

/** A product computed when first read. */
export interface Deferred {
  /** Its shape, checked when it was made. */
  readonly shape: Shape
  /** Its value, computed on the first call and kept. */
  readonly force: () => Tensor
  /** Whether anyone has read it. */
  readonly read: () => boolean
  /** A fresh product, for the caller to write over. */
  readonly compute: () => Tensor
  /** A tensor of its shape whose data is the product's, computed if read: for records that need only the shape. */
  readonly standIn: Tensor
}

const standIns = new WeakMap<Tensor, Deferred>()

/**
 * The product `op(a) op(b)` deferred, made by `value` (the primitive's plain value); undefined if
 * an argument is not a tensor (the primitive's own checks name it).
 *
 * @throws ShapeError as `matmul` does, now.
 */
export const deferProduct = (args: readonly unknown[], f: MatmulFlags, value: () => Tensor): Deferred | undefined => {
  const [a, b] = args
  if (args.length !== 2 || !isTensor(a) || !isTensor(b)) return undefined
  const { batch, m, n } = matmulShape(a.shape, b.shape, f)
  const shape = Object.freeze([...batch, m, n])
  let out: Tensor | undefined
  const force = (): Tensor => (out ??= value())
  const d: Deferred = {
    shape,
    force,
    read: () => out !== undefined,
    compute: value,
    standIn: Object.freeze({
      shape,
      get data() {
        return force().data
      },
    }),
  }
  standIns.set(d.standIn, d)
  return d
}

/** What a record holds of `t`: `t`, or for a stand-in the product if it has been read (else nothing). */
export const heldOf = (t: Tensor): Tensor | undefined => {
  const d = standIns.get(t)
  return d === undefined ? t : d.read() ? d.force() : undefined
}

/** Whether `s`, its leading axes of extent 1 dropped, is the trailing axes of `shape`: a row that repeats along the others. */
const isRowOf = (s: Shape, shape: Shape): boolean => {
  let i = 0
  while (i < s.length && s[i] === 1) i++
  const k = s.length - i
  if (k > shape.length) return false
  for (let j = 0; j < k; j++) if (s[i + j] !== shape[shape.length - k + j]) return false
  return true
}

/**
 * `product + b` written over a fresh product's array, with `add`'s additions (the same bits), if
 * `b` repeats as a row along the product's leading axes (a bias, a scalar, or the product's shape);
 * undefined, having computed nothing, otherwise.
 */
export const addOver = (d: Deferred, b: Tensor): Tensor | undefined => {
  if (!isRowOf(b.shape, d.shape)) return undefined
  const p = d.compute()
  const out = p.data as Float64Array
  const row = b.data
  const len = row.length
  if (len === 0) return p
  for (let o = 0; o < out.length; o += len) for (let j = 0; j < len; j++) out[o + j] = out[o + j]! + row[j]!
  return p
}
