/**
 * Softmax cross-entropy as one primitive of the tensor algebra: the cross-entropy of each row of
 * logits against its integer label. Its value and fused pullback are the `Loss` module's kernels
 * (`loss/crossEntropy.ts`); its rules, `softmax(z) - onehot` times the (co)tangent, are written
 * against the algebra, so that they nest; labels are data, batched by `vmap` as masks are.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape, Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { toOverwrite } from '../kernels/spares.js'
import { shapeSize } from '../kernels/shape.js'
import { crossEntropyRows, crossEntropyRowsGrad } from '../loss/crossEntropy.js'
import { uniformValue } from '../ops/uniform.js'
import { exampleShape } from './data.js'
import type { Algebra, Labels, Prim } from './types.js'

/** The labels of a classification loss, checked: integers in [0, c), one per row (of every example). */
export const checkLabels = (ys: Labels, rows: Shape, c: number): void => {
  const s = exampleShape(ys)
  if (s.length !== rows.length || s[0] !== rows[0])
    throw new ShapeError(
      'softmaxCrossEntropy',
      rows.length === 0 ? `one label for the logits of one example, found labels of shape [${s.join(', ')}]` : `labels, one per row of the logits (${rows[0]}), found ${s.length === 1 ? s[0] : `labels of shape [${s.join(', ')}]`}`,
      [],
    )
  ys.value.data.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0 || l >= c) throw new TypeError(`softmaxCrossEntropy: labels[${i}] should be an integer class in [0, ${c}), found ${l}`)
  })
}

/** Throws unless `s` is the shape of logits `[n, c]` or `[c]`. */
export const checkLogits = (s: Shape): void => {
  if (s.length !== 1 && s.length !== 2) throw new ShapeError('softmaxCrossEntropy', 'logits of shape [n, c] (or [c] for one example)', [s])
}

/** The data of the one-hot rows of labels (`c` classes), of shape `[...labels' shape, c]`: 1 at each label. */
export const oneHotData = (ys: Labels, c: number): Float64Array => {
  const n = ys.value.data.length
  const hot = new Float64Array(n * c)
  for (let i = 0; i < n; i++) hot[i * c + ys.value.data[i]!] = 1
  return hot
}

/**
 * The one-hot rows of labels (`c` classes) as a constant of `A`; for labels batched by `vmap`,
 * through a mask, so that the constant is batched as they are.
 */
const oneHot = <T>(A: Algebra<T>, ys: Labels, c: number): T => {
  const value = wrap([...ys.value.shape, c], oneHotData(ys, c))
  if (ys.batchTags.length === 0) return A.constant(value)
  return A.where(Object.freeze({ kind: 'mask', value, batchTags: ys.batchTags }), A.constant(1), A.constant(0))
}

/** `softmax(z) - onehot(ys)` along the last axis: the derivative of each row's term. */
const probsMinusOneHot = <T>(A: Algebra<T>, z: T, ys: Labels): T => {
  const s = A.shape(z)
  return A.sub(A.softmax(z), oneHot(A, ys, s[s.length - 1]!))
}

/** Labels whose example shape (the axes after `outer` batch axes) becomes `shape`, with `tags`. */
const relabel = (ys: Labels, outer: number, shape: Shape, data: Float64Array, tags: readonly object[]): Labels =>
  Object.freeze({ kind: 'labels', value: wrap([...ys.value.shape.slice(0, outer), ...shape], data), batchTags: tags })

/** Labels not batched by the current call of `vmap`, repeated for its `b` examples (a new axis after theirs). */
const tiled = (ys: Labels, b: number): Labels => {
  const k = ys.batchTags.length
  const m = shapeSize(exampleShape(ys))
  const outer = shapeSize(ys.value.shape.slice(0, k))
  const out = new Float64Array(outer * b * m)
  for (let p = 0; p < outer; p++) for (let i = 0; i < b; i++) out.set(ys.value.data.subarray(p * m, (p + 1) * m), (p * b + i) * m)
  return relabel(ys, k, [b, ...exampleShape(ys)], out, ys.batchTags)
}

/** The rows and classes of logits of shape `[n, c]` or `[c]` (one row). */
const rowsOf = (s: Shape): readonly [number, number] => [s.length === 2 ? s[0]! : 1, s[s.length - 1]!]

/**
 * `log(sum(exp(z))) - z[label]` for each row of logits `z` (`[n, c]` with `n` labels, or `[c]`
 * with one): PyTorch's `cross_entropy` with `reduction='none'`. Its pullback is
 * `g (softmax(z) - onehot)`, its JVP `sum((softmax(z) - onehot) dz)` along the classes.
 */
export const softmaxCrossEntropy: Prim<Labels> = {
  name: 'softmaxCrossEntropy',
  value: ([z], ys) => {
    const s = z!.shape
    checkLogits(s)
    if (ys.batchTags.length > 0) throw new TypeError('softmaxCrossEntropy: labels batched by vmap were used outside that call of vmap')
    checkLabels(ys, s.slice(0, -1), s[s.length - 1]!)
    const [n, c] = rowsOf(s)
    const terms = new Float64Array(n)
    crossEntropyRows(z!.data, n, c, ys.value.data, terms)
    return wrap(s.slice(0, -1), terms)
  },
  jvp: (A, [z], _out, [dz], ys) => A.sum(A.mul(probsMinusOneHot(A, z!, ys), dz!), { axes: [A.shape(z!).length - 1] }),
  vjp: (A, [z], _out, g, ys) => [A.mul(A.reshape(g, [...A.shape(g), 1]), probsMinusOneHot(A, z!, ys))],
  batch: (A, [z], [zb], ys, ysb) => {
    const k = ys.batchTags.length
    const b = zb ? A.shape(z!)[0]! : ys.value.shape[k - 1]!
    const e = zb ? A.shape(z!).slice(1) : A.shape(z!)
    const zs = zb ? z! : A.broadcastTo(z!, [b, ...e])
    // the labels as the instance underneath sees them: [b, ...rows] after its own batch axes
    const ls = ysb ? ys : tiled(ys, b)
    const outer = ysb ? k - 1 : k
    const tags = ysb ? ys.batchTags.slice(0, -1) : ys.batchTags
    if (e.length === 1) return A.bind(softmaxCrossEntropy, [zs], relabel(ls, outer, [b], ls.value.data as Float64Array, tags))
    const [n, c] = [e[0]!, e[1]!]
    const y = A.bind(softmaxCrossEntropy, [A.reshape(zs, [b * n, c])], relabel(ls, outer, [b * n], ls.value.data as Float64Array, tags))
    return A.reshape(y, [b, n])
  },
  fused: {
    // the Loss module's kernel with d = 1, each row then times its cotangent
    vjp: ([z], _out, g, ys) => {
      const [n, c] = rowsOf(z!.shape)
      const out = toOverwrite(n * c)
      crossEntropyRowsGrad(z!.data, n, c, ys.value.data, 1, out)
      const u = uniformValue(g)
      if (u !== 1)
        for (let r = 0, o = 0; r < n; r++, o += c) {
          const gr = u ?? g.data[r]!
          for (let j = o; j < o + c; j++) out[j] = out[j]! * gr
        }
      return [wrap(z!.shape, out)]
    },
  },
}

