/**
 * Primitives declared once: a record holding the forward value, the JVP and the pullback side by
 * side, with the conventions at non-differentiable points written down as data, turned into a
 * `Diff` by {@link primitive}. Binary tensor primitives declare one JVP and one pullback per
 * argument (as JAX's `defjvp`), so that {@link bindLeft} and {@link bindRight} can fix an argument
 * as a constant and skip its cotangent entirely; broadcasting and its undoing ("unbroadcast") are
 * handled here once, not in every rule.
 *
 * @packageDocumentation
 */
import type { Diff } from '../Diff.js'
import { fromRules } from '../Diff.js'
import { ShapeError } from '../ShapeError.js'
import type { Shape, Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { sumToShape } from '../kernels/broadcast.js'
import { shapeEquals } from '../kernels/shape.js'
import type { Convention } from './convention.js'
import { plus } from './tensorMath.js'

export type { Convention, PinnedDerivative } from './convention.js'

/**
 * The declaration of a primitive from `A` to `B`: its name, its value, its two linear maps at a
 * point (JVP and pullback, both given the input and the already computed output) and its
 * conventions.
 *
 * @example
 * ```ts
 * import { ops, Tree, type Tensor } from 'autodiff-ts'
 *
 * const twice: ops.Primitive<Tensor, Tensor> = {
 *   name: 'twice',
 *   value: Tree.scale(2),
 *   jvp: (_x, _y, dx) => Tree.scale(2)(dx),
 *   pullback: (_x, _y, g) => Tree.scale(2)(g),
 *   conventions: [],
 * }
 * ops.primitive(twice).declaration.name // 'twice'
 * ```
 * @category model
 */
export interface Primitive<A, B> {
  /** The name used in error messages. */
  readonly name: string
  /** The value `f(a)`; throws a `ShapeError` before any arithmetic when `a` does not fit. */
  readonly value: (a: A) => B
  /** The directional derivative `Df(a) da`, given `b = f(a)`. */
  readonly jvp: (a: A, b: B, da: A) => B
  /** The input cotangent `Df(a)ᵀ db`, given `b = f(a)`. */
  readonly pullback: (a: A, b: B, db: B) => A
  /** Conventions at non-differentiable points, as data (empty where there are none). */
  readonly conventions: readonly Convention[]
}

/**
 * A `Diff` that also carries the declaration it was made from (for laws, documentation and
 * {@link bindLeft}).
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.relu.apply(tensor([-1, 2])) // [0, 2]
 * ops.relu.declaration.conventions[0]?.at // 'x = 0'
 * ```
 * @category model
 */
export type PrimitiveDiff<A, B, D = Primitive<A, B>> = Diff<A, B> & Declared<D>

/**
 * The part of a {@link PrimitiveDiff} beyond `Diff`: the declaration it was made from.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 *
 * const d: ops.Declared<ops.UnaryDecl> = ops.sqrt
 * d.declaration.name // 'sqrt'
 * ```
 * @category model
 */
export interface Declared<D> {
  /** The declaration: name, rules and conventions. */
  readonly declaration: D
}

const checkTangent = (name: string, what: string, expected: Shape, got: Tensor): void => {
  if (!shapeEquals(expected, got.shape))
    throw new ShapeError(name, `a ${what} of the same shape as the ${what === 'tangent' ? 'input' : 'output'}`, [expected, got.shape])
}

/**
 * The `Diff` of a declaration: `apply` is the value, `jvp` and `vjp` compute the value once and
 * hand it to the rule.
 *
 * @example
 * ```ts
 * import { ops, tensor, Tree, type Tensor } from 'autodiff-ts'
 *
 * const cube = ops.primitive<Tensor, Tensor>({
 *   name: 'cube',
 *   value: (x) => ops.times(x, ops.times(x, x)),
 *   jvp: (x, _y, dx) => ops.times(dx, Tree.scale(3)(ops.times(x, x))),
 *   pullback: (x, _y, g) => ops.times(g, Tree.scale(3)(ops.times(x, x))),
 *   conventions: [],
 * })
 * cube.jvp(tensor([2]), tensor([1])) // [[8], [12]]
 * ```
 * @category constructors
 */
export const primitive = <A, B>(p: Primitive<A, B>): PrimitiveDiff<A, B> =>
  Object.freeze({ ...fromRules(p), declaration: p })

// ---------------------------------------------------------------------------------------------
// Unary tensor primitives

/**
 * The declaration of a primitive from one tensor to one tensor (elementwise or structural). The
 * rules receive the input `x`, the output `y` and the tangent `dx` (or output cotangent `g`).
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 *
 * const decl: ops.UnaryDecl = ops.exp.declaration
 * decl.name // 'exp'
 * ```
 * @category model
 */
export interface UnaryDecl {
  /** The name used in error messages. */
  readonly name: string
  /** The value; throws a `ShapeError` before any arithmetic when `x` does not fit. */
  readonly value: (x: Tensor) => Tensor
  /** `Df(x) dx`, given `y = f(x)`; `dx` has the shape of `x`. */
  readonly jvp: (x: Tensor, y: Tensor, dx: Tensor) => Tensor
  /** `Df(x)ᵀ g`, given `y = f(x)`; `g` has the shape of `y`, the result that of `x`. */
  readonly pullback: (x: Tensor, y: Tensor, g: Tensor) => Tensor
  /** Conventions at non-differentiable points. */
  readonly conventions: readonly Convention[]
  /**
   * The value and its pullback in one pass, the pullback keeping what the forward pass computed
   * (an activation's derivative); by default `value`, then `pullback` given `x` and `y`.
   */
  readonly vjp?: (x: Tensor) => readonly [Tensor, (g: Tensor) => Tensor]
}

/**
 * A `Diff<Tensor, Tensor>` from a {@link UnaryDecl}. Tangents and cotangents of the wrong shape
 * are refused with a `ShapeError`.
 *
 * @example
 * ```ts
 * import { ops, tensor, Tree } from 'autodiff-ts'
 *
 * const double = ops.unary({
 *   name: 'double',
 *   value: Tree.scale(2),
 *   jvp: (_x, _y, dx) => Tree.scale(2)(dx),
 *   pullback: (_x, _y, g) => Tree.scale(2)(g),
 *   conventions: [],
 * })
 * double.vjp(tensor([1, 2]))[1](tensor([1, 1])) // [2, 2]
 * ```
 * @category constructors
 */
export const unary = (decl: UnaryDecl): UnaryOp => {
  const { name, value, jvp, pullback } = decl
  const d = fromRules<Tensor, Tensor>({
    value,
    jvp: (x, y, dx) => {
      checkTangent(name, 'tangent', x.shape, dx)
      return jvp(x, y, dx)
    },
    pullback: (x, y, g) => {
      checkTangent(name, 'cotangent', y.shape, g)
      return pullback(x, y, g)
    },
  })
  const { vjp } = decl
  if (vjp === undefined) return Object.freeze({ ...d, declaration: decl })
  return Object.freeze({
    ...d,
    vjp: (x: Tensor) => {
      const [y, pb] = vjp(x)
      return [y, (g: Tensor) => (checkTangent(name, 'cotangent', y.shape, g), pb(g))] as const
    },
    declaration: decl,
  })
}

// ---------------------------------------------------------------------------------------------
// Binary tensor primitives

/**
 * One argument's rule of a binary primitive: given both inputs `a`, `b`, the output `out` and a
 * tangent (for a JVP rule) or cotangent (for a pullback rule) `t`, that argument's part of the
 * derivative. Linear in `t`.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 *
 * // the mul node's pullback to its first argument: the cotangent times the other input
 * const toFirst: ops.ArgRule = (_a, b, _out, g) => ops.times(g, b)
 * ```
 * @category model
 */
export type ArgRule = (a: Tensor, b: Tensor, out: Tensor, t: Tensor) => Tensor

/**
 * A primitive from one tensor to one tensor, carrying its declaration.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * const f: ops.UnaryOp = ops.exp
 * f.apply(tensor([0])) // [1]
 * ```
 * @category model
 */
export type UnaryOp = PrimitiveDiff<Tensor, Tensor, UnaryDecl>

/**
 * The declaration of a binary tensor primitive, one rule per argument. The JVP rules map that
 * argument's tangent to its contribution to the output tangent (the contributions are added);
 * the pullback rules map the output cotangent to that argument's cotangent, and may return it
 * at the broadcast (output) shape: {@link binary} sums it back down to the argument's shape.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 *
 * const decl: ops.BinaryDecl = ops.maximum.declaration
 * decl.conventions[0]?.at // 'a = b'
 * ```
 * @category model
 */
export interface BinaryDecl {
  /** The name used in error messages. */
  readonly name: string
  /** The value; throws a `ShapeError` naming the op and both shapes before any arithmetic. */
  readonly value: (a: Tensor, b: Tensor) => Tensor
  /** Per argument: `∂f/∂a · da` and `∂f/∂b · db`. */
  readonly jvps: readonly [ArgRule, ArgRule]
  /** Per argument: `(∂f/∂a)ᵀ g` and `(∂f/∂b)ᵀ g`, at the argument's shape or the output's. */
  readonly pullbacks: readonly [ArgRule, ArgRule]
  /** Optional fused JVP of both tangents at once, used instead of the sum of `jvps`. */
  readonly jvp?: (a: Tensor, b: Tensor, out: Tensor, da: Tensor, db: Tensor) => Tensor
  /** Conventions at non-differentiable points. */
  readonly conventions: readonly Convention[]
}

/**
 * A binary tensor primitive: a `Diff` over a pair of tensors that keeps its per-argument
 * declaration, so an argument can be fixed as a constant ({@link bindLeft}, {@link bindRight}).
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * const op: ops.BinaryOp = ops.mul
 * op.apply([tensor([2]), tensor([3])]) // [6]
 * ```
 * @category model
 */
export type BinaryOp = PrimitiveDiff<readonly [Tensor, Tensor], Tensor, BinaryDecl>

/** The cotangent `g` summed back down to `shape`, if it was broadcast. */
const unbroadcast = (g: Tensor, shape: Shape): Tensor =>
  shapeEquals(g.shape, shape) ? g : wrap(shape, sumToShape(g.data, g.shape, shape))

/**
 * A `Diff<readonly [Tensor, Tensor], Tensor>` from a {@link BinaryDecl}: the JVP adds the two
 * arguments' contributions (or uses the fused rule), the pullback returns each argument a
 * cotangent of its own shape.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * // sqrt(a^2 + b^2); each argument's rule written once, broadcasting handled by `binary`
 * const hypot = ops.binary({
 *   name: 'hypot',
 *   value: (a, b) => ops.sqrt.apply(ops.plus(ops.times(a, a), ops.times(b, b))),
 *   jvps: [(a, _b, out, da) => ops.over(ops.times(a, da), out), (_a, b, out, db) => ops.over(ops.times(b, db), out)],
 *   pullbacks: [(a, _b, out, g) => ops.over(ops.times(a, g), out), (_a, b, out, g) => ops.over(ops.times(b, g), out)],
 *   conventions: [{ at: 'a = b = 0', rule: 'NaN (0 / 0): hypot is not differentiable there' }],
 * })
 * hypot.apply([tensor([3, 6]), tensor([4])]) // [5, Math.hypot(6, 4)]
 * hypot.vjp([tensor([3]), tensor([4])])[1](tensor([1])) // [[0.6], [0.8]]
 * ```
 * @category constructors
 */
export const binary = (decl: BinaryDecl): BinaryOp => {
  const { name, value, jvps, pullbacks, jvp } = decl
  const [ja, jb] = jvps
  const [pa, pb] = pullbacks
  const d = fromRules<readonly [Tensor, Tensor], Tensor>({
    value: ([a, b]) => value(a, b),
    jvp: ([a, b], out, [da, db]) => {
      checkTangent(name, 'tangent', a.shape, da)
      checkTangent(name, 'tangent', b.shape, db)
      return jvp !== undefined ? jvp(a, b, out, da, db) : plus(ja(a, b, out, da), jb(a, b, out, db))
    },
    pullback: ([a, b], out, g) => {
      checkTangent(name, 'cotangent', out.shape, g)
      return [unbroadcast(pa(a, b, out, g), a.shape), unbroadcast(pb(a, b, out, g), b.shape)]
    },
  })
  return Object.freeze({ ...d, declaration: decl })
}

/**
 * Fixes the first argument of a binary primitive as a constant: `b => op(a, b)`. Its pullback
 * computes only `b`'s cotangent (for `matmul` with data `x` on the left, the weight gradient
 * `xᵀ g` without the unused input gradient).
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * const x = tensor([[1, 2], [3, 4]])
 * const layer = ops.bindLeft(ops.matmul, x) // W => x W
 * const [y, back] = layer.vjp(tensor([[1], [1]]))
 * y // [[3], [7]]
 * back(tensor([[1], [1]])) // [[4], [6]]: xᵀ g; no gradient for x is computed
 * ```
 * @category combinators
 */
export const bindLeft = (op: BinaryOp, a: Tensor): UnaryOp => {
  const { name, value, jvps, pullbacks, conventions } = op.declaration
  const [, jb] = jvps
  const [, pb] = pullbacks
  return unary({
    name,
    value: (b) => value(a, b),
    jvp: (b, out, db) => jb(a, b, out, db),
    pullback: (b, out, g) => unbroadcast(pb(a, b, out, g), b.shape),
    conventions,
  })
}

/**
 * Fixes the second argument of a binary primitive as a constant: `a => op(a, b)`; its pullback
 * computes only `a`'s cotangent.
 *
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * const plusOne = ops.bindRight(ops.add, scalar(1)) // x => x + 1
 * plusOne.apply(tensor([1, 2])) // [2, 3]
 * ```
 * @category combinators
 */
export const bindRight = (op: BinaryOp, b: Tensor): UnaryOp => {
  const { name, value, jvps, pullbacks, conventions } = op.declaration
  const [ja] = jvps
  const [pa] = pullbacks
  return unary({
    name,
    value: (a) => value(a, b),
    jvp: (a, out, da) => ja(a, b, out, da),
    pullback: (a, out, g) => unbroadcast(pa(a, b, out, g), a.shape),
    conventions,
  })
}
