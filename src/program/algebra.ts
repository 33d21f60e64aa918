/**
 * `algebra(core)`: every operation of the tensor algebra, written once on top of an instance's
 * {@link Core}: the primitives through `bind`, the rest (mean, softmax, losses, matmul of
 * vectors) as compositions of them, so that every mode gets them for free.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape, Tensor } from '../Tensor.js'
import { isTensor, wrap } from '../Tensor.js'
import { shapeEquals, shapeSize } from '../kernels/shape.js'
import { binaryPrims, extraBinaryPrims, matmul, unaryPrims, where } from './prims.js'
import { broadcastTo, concat, logSumExp, reshape, slice, sum, sumTo, transpose } from './structure.js'
import { asLabels } from './data.js'
import { checkLabels, checkLogits, softmaxCrossEntropy } from './crossEntropy.js'
import type { Algebra, AxesOptions, Core, Mask, Prim, Reduction } from './types.js'

const axis = (op: string, a: number, shape: Shape): number => {
  const r = shape.length
  const n = a < 0 ? a + r : a
  if (!Number.isInteger(n) || n < 0 || n >= r) throw new ShapeError(op, `an axis in [${-r}, ${r - 1}], got ${a}`, [shape])
  return n
}

const resolve = (from: Shape, target: Shape): Shape => {
  const holes = target.filter((d) => d === -1).length
  const known = shapeSize(target.filter((d) => d !== -1))
  const size = shapeSize(from)
  if (holes > 1 || target.some((d) => d !== -1 && !(Number.isInteger(d) && d >= 0)) || (holes === 1 ? known === 0 || size % known !== 0 : known !== size))
    throw new ShapeError('reshape', 'a shape of the same number of elements (at most one -1)', [from, target])
  return target.map((d) => (d === -1 ? size / known : d))
}

/**
 * The tensor algebra of an instance: every operation of {@link Algebra} from the four functions
 * of its {@link Core}. Instances (plain, forward, reverse, batched, and a third party's) are made
 * this way, so an operation is written once for all of them.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const A = Program.algebra(Program.plainCore)
 * A.mean(A.matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1]))) // 5
 * ```
 * @category constructors
 */
export const algebra = <T>(core: Core<T>): Algebra<T> => {
  const { bind, shape } = core
  const u = <P>(p: Prim<P>, params: P) => (x: T): T => bind(p, [x], params)
  const reduce = (x: T, r: Reduction): T => (r === 'mean' ? A.mean(x) : r === 'sum' ? A.sum(x) : x)
  const reduction = (op: string, r: Reduction): Reduction => {
    if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new TypeError(`${op}: reduction should be 'mean', 'sum' or 'none', found ${String(r)}`)
    return r
  }
  const A: Algebra<T> = {
    ...core,
    constant: (x) => core.of(isTensor(x) ? x : wrap([], Float64Array.of(x))),
    add: (a, b) => bind(binaryPrims.add, [a, b], undefined),
    sub: (a, b) => bind(binaryPrims.sub, [a, b], undefined),
    mul: (a, b) => bind(binaryPrims.mul, [a, b], undefined),
    div: (a, b) => bind(binaryPrims.div, [a, b], undefined),
    pow: (a, b) => bind(extraBinaryPrims.pow, [a, b], undefined),
    maximum: (a, b) => bind(extraBinaryPrims.maximum, [a, b], undefined),
    minimum: (a, b) => bind(extraBinaryPrims.minimum, [a, b], undefined),
    neg: u(unaryPrims.neg, undefined),
    scale: (x, c) => bind(unaryPrims.scale, [x], c),
    square: (x) => bind(binaryPrims.mul, [x, x], undefined),
    exp: u(unaryPrims.exp, undefined),
    log: u(unaryPrims.log, undefined),
    log1p: u(unaryPrims.log1p, undefined),
    sqrt: u(unaryPrims.sqrt, undefined),
    abs: u(unaryPrims.abs, undefined),
    sin: u(unaryPrims.sin, undefined),
    cos: u(unaryPrims.cos, undefined),
    tanh: u(unaryPrims.tanh, undefined),
    sigmoid: u(unaryPrims.sigmoid, undefined),
    relu: u(unaryPrims.relu, undefined),
    // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow
    softplus: (x) => A.add(A.relu(x), A.log1p(A.exp(A.neg(A.abs(x))))),
    map: (f, x) => bind(f.prim, [x], undefined),
    matmul: (a, b) => {
      const ra = shape(a).length
      const rb = shape(b).length
      if (ra === 0 || rb === 0) throw new ShapeError('matmul', 'arguments of rank at least 1', [shape(a), shape(b)])
      const a2 = ra === 1 ? A.reshape(a, [1, -1]) : a
      const b2 = rb === 1 ? A.reshape(b, [-1, 1]) : b
      const y = bind(matmul, [a2, b2], { ta: false, tb: false })
      if (ra > 1 && rb > 1) return y
      const s = shape(y)
      return A.reshape(y, ra === 1 && rb === 1 ? [] : ra === 1 ? [...s.slice(0, -2), s[s.length - 1]!] : s.slice(0, -1))
    },
    transpose: (x, perm) => {
      const r = shape(x).length
      const p = perm ?? Array.from({ length: r }, (_, i) => r - 1 - i)
      if (p.length !== r || new Set(p).size !== r || p.some((d) => !Number.isInteger(d) || d < 0 || d >= r))
        throw new ShapeError('transpose', `a permutation of the axes 0..${r - 1}, got [${p.join(', ')}]`, [shape(x)])
      return p.every((d, i) => d === i) ? x : bind(transpose, [x], p)
    },
    reshape: (x, s) => {
      const to = resolve(shape(x), s)
      return shapeEquals(to, shape(x)) ? x : bind(reshape, [x], to)
    },
    broadcastTo: (x, s) => (shapeEquals(shape(x), s) ? x : bind(broadcastTo, [x], s)),
    sumTo: (x, s) => (shapeEquals(shape(x), s) ? x : bind(sumTo, [x], s)),
    sum: (x, o: AxesOptions = {}) => {
      const s = shape(x)
      const axes = [...new Set((o.axes ?? s.map((_, i) => i)).map((a) => axis('sum', a, s)))].sort((p, q) => p - q)
      return axes.length === 0 ? x : bind(sum, [x], { axes, keepDims: o.keepDims ?? false })
    },
    mean: (x, o: AxesOptions = {}) => {
      const y = A.sum(x, o)
      return A.scale(y, shapeSize(shape(y)) / shapeSize(shape(x)))
    },
    logSumExp: (x, a = -1) => bind(logSumExp, [x], axis('logSumExp', a, shape(x))),
    softmax: (x, a = -1) => A.exp(A.logSoftmax(x, a)),
    logSoftmax: (x, a = -1) => A.sub(x, A.logSumExp(x, a)),
    slice: (x, a, start, end) => {
      const n = axis('slice', a, shape(x))
      const e = shape(x)[n]!
      const norm = (i: number) => (i < 0 ? i + e : i)
      return bind(slice, [x], { axis: n, start: norm(start), end: norm(end) })
    },
    concat: (xs, a = 0) => {
      if (xs.length === 0) throw new ShapeError('concat', 'at least one tensor', [])
      return xs.length === 1 ? xs[0]! : bind(concat, xs, axis('concat', a, shape(xs[0]!)))
    },
    gt: (a, b) => core.compare('gt', a, b),
    lt: (a, b) => core.compare('lt', a, b),
    ge: (a, b) => core.compare('ge', a, b),
    le: (a, b) => core.compare('le', a, b),
    where: (m: Mask, a, b) => {
      if ((m as Partial<Mask> | null)?.kind !== 'mask')
        throw new TypeError(`where: the condition should be a mask from a comparison (A.gt, A.lt, ...), found ${typeof m}`)
      return bind(where, [a, b], m)
    },
    mse: (pred, target, r = 'mean') => reduce(A.square(A.sub(pred, target)), reduction('mse', r)),
    binaryCrossEntropyWithLogits: (x, t, r = 'mean') =>
      reduce(A.add(A.sub(A.relu(x), A.mul(x, t)), A.log1p(A.exp(A.neg(A.abs(x))))), reduction('binaryCrossEntropyWithLogits', r)),
    softmaxCrossEntropy: (logits, labels, r = 'mean') => {
      const s = shape(logits)
      checkLogits(s)
      const ys = asLabels(labels)
      checkLabels(ys, s.slice(0, -1), s[s.length - 1]!)
      return reduce(bind(softmaxCrossEntropy, [logits], ys), reduction('softmaxCrossEntropy', r))
    },
  }
  return Object.freeze(A)
}
