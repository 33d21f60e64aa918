/**
 * The user-facing transformations, named and curried as in JAX: `grad(f)(x)`,
 * `valueAndGrad(f)(x)`, `jvp(f)(x, t)`, `vjp(f)(x)`, `jacfwd(f)(x)`, `jacrev(f)(x)`, and
 * Hessian-vector products.
 *
 * They take a {@link Diff} whose input and output are numbers, tensors or trees of them (see
 * {@link Tree}); gradients and input cotangents have the tree structure of the input.
 *
 * ## Second order
 *
 * A `Diff`'s JVP and pullback are plain functions on `Float64Array`s: they are not themselves
 * `Diff`s, so second derivatives cannot be taken through a `Diff` exactly. What exists:
 *
 * - `Reverse.hvp`: the exact Hessian-vector product of a *generic scalar function*
 *   (`MultiFn`, written once against `Floating`), by reverse mode over dual numbers, at the cost
 *   of about one gradient. `Reverse.hessian` and `Dual.nthDerivative` give full Hessians and
 *   higher derivatives of such functions.
 * - {@link hvpFiniteDifference}: for any `Diff<A, scalar>`, the central difference of two exact
 *   reverse-mode gradients along `v`. Approximate: its error is about `1e-10` relative to the
 *   gradient's scale for smooth, well-scaled functions, and it is wrong near kinks.
 *
 * @packageDocumentation
 */
import type { Diff } from './Diff.js'
import { ShapeError } from './ShapeError.js'
import { isTensor, wrap } from './Tensor.js'
import type { Tensor } from './Tensor.js'
import * as T from './Tree.js'
import type { Leaf, Tree, TreeDef } from './Tree.js'

/**
 * A scalar output: a number, or a tensor with exactly one element (shape `[]`, `[1]`, `[1, 1]`...).
 *
 * @example
 * ```ts
 * import { grad, ops, tensor, type Scalar } from 'autodiff-ts'
 *
 * const total: Scalar = ops.sum().apply(tensor([1, 2])) // a tensor of shape []
 * grad(ops.sum())(tensor([1, 2])) // [1, 1]
 * ```
 *
 * @category model
 */
export type Scalar = number | Tensor

const describe = (u: unknown): string =>
  isTensor(u)
    ? `a tensor of shape [${u.shape.join(', ')}]`
    : Array.isArray(u)
      ? `an array of length ${u.length}`
      : u === null
        ? 'null'
        : typeof u === 'object'
          ? 'a record'
          : typeof u

/** The cotangent 1 of a scalar output, or the ShapeError saying the output is not a scalar. */
const seed = <B extends Scalar>(op: string, y: B): B => {
  if (typeof y === 'number') return 1 as B
  if (isTensor(y)) {
    if (y.data.length === 1) return wrap(y.shape, Float64Array.of(1)) as B
    throw new ShapeError(op, 'f to return a scalar (a number or a tensor of one element); use jacrev or vjp for other outputs', [y.shape])
  }
  throw new ShapeError(op, `f to return a scalar (a number or a tensor of one element), found ${describe(y)}; use jacrev or vjp for other outputs`, [])
}

/**
 * The value and the gradient of a scalar-valued `f` at `x`, by one reverse pass: the gradient is
 * the pullback of the cotangent 1 and has the tree structure of `x`.
 *
 * @throws ShapeError naming the output shape if `f(x)` is not a scalar.
 * @example
 * ```ts
 * import { valueAndGrad, Diff } from 'autodiff-ts'
 *
 * const square = Diff.fromRules<number, number>({
 *   value: (x) => x * x,
 *   jvp: (x, _y, dx) => 2 * x * dx,
 *   pullback: (x, _y, dy) => 2 * x * dy,
 * })
 * valueAndGrad(square)(3) // [9, 6]
 * ```
 *
 * @category transformations
 */
export const valueAndGrad =
  <A, B extends Scalar>(f: Diff<A, B>) =>
  (x: A): readonly [B, A] => {
    const [y, pullback] = f.vjp(x)
    return [y, pullback(seed('grad', y))]
  }

/**
 * The gradient of a scalar-valued `f` at `x` (see {@link valueAndGrad}), shaped like `x`.
 *
 * @throws ShapeError naming the output shape if `f(x)` is not a scalar.
 * @example
 * ```ts
 * import { grad, Diff } from 'autodiff-ts'
 *
 * const sumSquares = Diff.fromRules<readonly [number, number], number>({
 *   value: ([a, b]) => a * a + b * b,
 *   jvp: ([a, b], _y, [da, db]) => 2 * a * da + 2 * b * db,
 *   pullback: ([a, b], _y, c) => [2 * a * c, 2 * b * c],
 * })
 * grad(sumSquares)([1, 2]) // [2, 4]
 * ```
 *
 * @category transformations
 */
export const grad =
  <A, B extends Scalar>(f: Diff<A, B>) =>
  (x: A): A =>
    valueAndGrad(f)(x)[1]

/**
 * Forward mode: the value `f(x)` and the directional derivative `Df(x) t`, for a tangent `t` of
 * the structure of `x`.
 *
 * @throws ShapeError naming the path if `t` and `x` differ in structure.
 * @example
 * ```ts
 * import { jvp, Diff } from 'autodiff-ts'
 *
 * const cube = Diff.fromRules<number, number>({
 *   value: (x) => x ** 3,
 *   jvp: (x, _y, dx) => 3 * x * x * dx,
 *   pullback: (x, _y, dy) => 3 * x * x * dy,
 * })
 * jvp(cube)(2, 1) // [8, 12]
 * ```
 *
 * @category transformations
 */
export const jvp =
  <A extends Tree, B>(f: Diff<A, B>) =>
  (x: A, t: A): readonly [B, B] => {
    T.assertSameStructure('jvp (the tangent against the input)', x, t)
    return f.jvp(x, t)
  }

/**
 * Reverse mode: the value `f(x)` and the pullback, which maps a cotangent of the structure of
 * `f(x)` to one of the structure of `x`. The pullback may be called any number of times.
 *
 * @throws ShapeError naming the path (from the pullback) if a cotangent differs in structure from `f(x)`.
 * @example
 * ```ts
 * import { vjp, Diff } from 'autodiff-ts'
 *
 * const cube = Diff.fromRules<number, number>({
 *   value: (x) => x ** 3,
 *   jvp: (x, _y, dx) => 3 * x * x * dx,
 *   pullback: (x, _y, dy) => 3 * x * x * dy,
 * })
 * const [y, pullback] = vjp(cube)(2) // y = 8
 * pullback(1) // 12
 * ```
 *
 * @category transformations
 */
export const vjp =
  <A, B extends Tree>(f: Diff<A, B>) =>
  (x: A): readonly [B, (c: B) => A] => {
    const [y, pullback] = f.vjp(x)
    return [
      y,
      (c) => {
        T.assertSameStructure('vjp (the cotangent against the output)', y, c)
        return pullback(c)
      },
    ]
  }

/** A tree of the structure `def` with the given trees at its leaves (no kind checks). */
const graft = (def: TreeDef, at: readonly Tree[]): Tree => {
  let k = 0
  const go = (d: TreeDef): Tree => {
    switch (d.kind) {
      case 'number':
      case 'tensor':
        return at[k++]!
      case 'array':
        return Object.freeze(d.items.map(go))
      case 'record': {
        const out: { [key: string]: Tree } = {}
        d.keys.forEach((key, i) => {
          out[key] = go(d.items[i]!)
        })
        return Object.freeze(out)
      }
    }
  }
  return go(def)
}

const leafShape = (l: Leaf): readonly number[] => (typeof l === 'number' ? [] : l.shape)
const leafSize = (l: Leaf): number => (typeof l === 'number' ? 1 : l.data.length)

/**
 * The blocks of the Jacobian `J` (row-major, one row per output scalar, `n` columns, one per
 * input scalar) laid out as JAX's: a tree of the structure of `y` whose every leaf is a tree of
 * the structure of `x`.
 */
const blocks = (x: Tree, y: Tree, J: Float64Array, n: number): Tree => {
  const [xs, defX] = T.flatten(x)
  const [ys, defY] = T.flatten(y)
  const out: Tree[] = []
  let r0 = 0
  for (const yl of ys) {
    const rows = leafSize(yl)
    const inner: Leaf[] = []
    let c0 = 0
    for (const xl of xs) {
      const cols = leafSize(xl)
      if (typeof yl === 'number' && typeof xl === 'number') inner.push(J[r0 * n + c0]!)
      else {
        const block = new Float64Array(rows * cols)
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c++) block[r * cols + c] = J[(r0 + r) * n + c0 + c]!
        inner.push(wrap([...leafShape(yl), ...leafShape(xl)], block))
      }
      c0 += cols
    }
    out.push(graft(defX, inner))
    r0 += rows
  }
  return graft(defY, out)
}

/**
 * The Jacobian of `f` at `x` by reverse mode, one pullback per output scalar: the cheaper choice
 * when `f(x)` has fewer scalars than `x` (otherwise see {@link jacfwd}, which gives the same
 * result). Laid out as JAX's `jacrev`: a tree of the structure of `f(x)` whose every leaf is
 * replaced by a tree of the structure of `x`; the block for output leaf `yᵢ` (shape `So`) and
 * input leaf `xⱼ` (shape `Si`) is the tensor `∂yᵢ/∂xⱼ` of shape `[...So, ...Si]`, or a number
 * when both leaves are numbers.
 *
 * @example
 * ```ts
 * import { jacrev, Diff } from 'autodiff-ts'
 *
 * const f = Diff.fromRules<readonly [number, number], readonly [number, number]>({
 *   value: ([x, y]) => [x * y, x + y],
 *   jvp: ([x, y], _z, [dx, dy]) => [dx * y + x * dy, dx + dy],
 *   pullback: ([x, y], _z, [c, d]) => [c * y + d, c * x + d],
 * })
 * jacrev(f)([2, 3]) // [[3, 2], [1, 1]]
 * ```
 *
 * @category transformations
 */
export const jacrev =
  <A extends Tree, B extends Tree>(f: Diff<A, B>) =>
  (x: A): Tree => {
    const [y, pullback] = f.vjp(x)
    const n = T.size(x)
    const [yv, unravelY] = T.ravel(y)
    const m = yv.length
    const J = new Float64Array(m * n)
    const e = new Float64Array(m)
    for (let i = 0; i < m; i++) {
      e[i] = 1
      J.set(T.ravel(pullback(unravelY(e)) as Tree)[0], i * n)
      e[i] = 0
    }
    return blocks(x, y, J, n)
  }

/**
 * The Jacobian of `f` at `x` by forward mode, one JVP per input scalar: the cheaper choice when
 * `x` has fewer scalars than `f(x)` (otherwise see {@link jacrev}, which gives the same result,
 * laid out the same way).
 *
 * @example
 * ```ts
 * import { jacfwd, Diff } from 'autodiff-ts'
 *
 * const f = Diff.fromRules<number, readonly [number, number, number]>({
 *   value: (x) => [x, x * x, x * x * x],
 *   jvp: (x, _y, dx) => [dx, 2 * x * dx, 3 * x * x * dx],
 *   pullback: (x, _y, [a, b, c]) => a + 2 * x * b + 3 * x * x * c,
 * })
 * jacfwd(f)(2) // [1, 4, 12]
 * ```
 *
 * @category transformations
 */
export const jacfwd =
  <A extends Tree, B extends Tree>(f: Diff<A, B>) =>
  (x: A): Tree => {
    const [xv, unravelX] = T.ravel(x)
    const n = xv.length
    const y = f.apply(x)
    const m = T.size(y)
    const J = new Float64Array(m * n)
    const e = new Float64Array(n)
    for (let j = 0; j < n; j++) {
      e[j] = 1
      const col = T.ravel(f.jvp(x, unravelX(e))[1])[0]
      e[j] = 0
      for (let i = 0; i < m; i++) J[i * n + j] = col[i]!
    }
    return blocks(x, y, J, n)
  }

/**
 * An approximate Hessian-vector product of any scalar-valued `Diff`: the central difference of
 * two exact reverse-mode gradients, `(∇f(x + h v) - ∇f(x - h v)) / 2h` with
 * `h = cbrt(eps) * max(1, max|x|) / max|v|` (the step `h v` is formed without overflow even for
 * tiny `v`). The result has the structure of `x`.
 *
 * Accuracy: truncation `O(h²)` plus rounding `O(eps / h)`, about `1e-10` relative to the scale of
 * the gradient for smooth, well-scaled `f`; meaningless where a kink lies within `h` of `x`. Use
 * `Reverse.hvp` on a generic scalar function when an exact product is needed.
 *
 * @throws ShapeError if `f(x)` is not a scalar, or `v` and `x` differ in structure.
 * @example
 * ```ts
 * import { hvpFiniteDifference, Diff } from 'autodiff-ts'
 *
 * const cube = Diff.fromRules<number, number>({
 *   value: (x) => x ** 3,
 *   jvp: (x, _y, dx) => 3 * x * x * dx,
 *   pullback: (x, _y, dy) => 3 * x * x * dy,
 * })
 * hvpFiniteDifference(cube)(2, 1) // 12.0000: f'' = 6x at 2, to about 1e-10
 * ```
 *
 * @category second order
 */
export const hvpFiniteDifference =
  <A extends Tree, B extends Scalar>(f: Diff<A, B>) =>
  (x: A, v: A): A => {
    T.assertSameStructure('hvpFiniteDifference (the direction against the input)', x, v)
    const [xv] = T.ravel(x)
    const [vv] = T.ravel(v)
    let xMax = 1
    let vMax = 0
    for (let i = 0; i < xv.length; i++) xMax = Math.max(xMax, Math.abs(xv[i]!))
    for (let i = 0; i < vv.length; i++) vMax = Math.max(vMax, Math.abs(vv[i]!))
    if (vMax === 0) return T.zeros(x)
    // step along u = v / max|v| (divided leaf by leaf, so a tiny v cannot overflow 1 / max|v|)
    const h = Math.cbrt(2 ** -52) * xMax
    const step = T.map((l) => (typeof l === 'number' ? (h * l) / vMax : wrap(l.shape, l.data.map((e) => (h * e) / vMax))))(v)
    const g = grad(f)
    return T.scale(vMax / (2 * h))(T.sub(g(T.add(x, step)), g(T.sub(x, step))))
  }
