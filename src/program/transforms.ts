/**
 * The transformations of programs, JAX-style and curried on the program: `grad`,
 * `valueAndGrad`, `vjp`, `jvp`, `hvp`, `hessian`, each also `...In(A)` inside a program of
 * algebra `A` (nesting: the inner program receives its own algebra and a `lift` of the outer
 * values, so perturbations cannot be confused).
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Tensor } from '../Tensor.js'
import { isTensor, wrap } from '../Tensor.js'
import { shapeSize } from '../kernels/shape.js'
import { describeValue } from './describe.js'
import { forward } from './forward.js'
import { plain } from './plain.js'
import { sweeping } from './reverse.js'
import { leavesOf, mapLeaves } from './trees.js'
import type { Algebra } from './types.js'

/**
 * A program over the tensor algebra, generic in the algebra's value type, as seen by a
 * transformation inside an outer algebra of values `T`: it receives its own algebra `S` and a
 * `lift` of outer values into it.
 *
 * @example
 * ```ts
 * const f: Nested<number> = (S) => () => S.constant(1)
 * ```
 * @category model
 */
export type Nested<T> = <S>(S: Algebra<S>, lift: (t: T) => S) => (...args: never[]) => S

/** The value of `f` checked to be a value of `A`, else a TypeError naming the transformation. */
const checkOut = <S>(op: string, A: Algebra<S>, y: unknown): S => {
  if (!A.is(y)) throw new TypeError(`${op}: the program should return a tensor of its algebra, found ${describeValue(y)}`)
  return y
}

/**
 * Reverse mode of `f` in its arguments marked `wrt`, over the base algebra `A`: the value, a
 * pullback giving the cotangents of those arguments (trees of `A`'s values, zeros where the
 * output does not depend on a leaf), and what its sweep owned (`owns` and `spent`, see
 * `reverse.ts`'s `sweeping`).
 */
export const vjpArgs = <T>(A: Algebra<T>, op: string, f: Nested<T>, args: readonly unknown[], wrt: readonly boolean[]) => {
  const { tape, owns, spent } = sweeping(A)
  const R = tape.algebra
  const inputs = args.map((a, i) => mapLeaves(a, A.is, wrt[i] ? tape.variable : tape.constant))
  const y = checkOut(op, R, (f(R, tape.constant) as (...xs: unknown[]) => unknown)(...inputs))
  const pullback = (g: T): unknown[] => {
    const cots = tape.backward(y, g)
    let k = 0
    return args.flatMap((a, i) => (wrt[i] ? [mapLeaves(a, A.is, (leaf) => cots[k++] ?? zerosLike(A, leaf))] : []))
  }
  return [y.value, pullback, owns, spent] as const
}

const zerosLike = <T>(A: Algebra<T>, x: T): T => A.broadcastTo(A.constant(0), A.shape(x))

/**
 * Forward mode of `f` over the base algebra `A`, the first argument perturbed by `t` (a tree of
 * the same structure), the others constant: the value and the tangent (trees, if `f` returns one).
 */
export const jvpArgs = <T>(A: Algebra<T>, op: string, f: Nested<T>, p: unknown, t: unknown, rest: readonly unknown[]) => {
  const [D, make] = forward(A)
  const ts = leavesOf(t, A.is)
  const ps = leavesOf(p, A.is)
  if (ts.length !== ps.length) throw new TypeError(`${op}: the tangent should have the structure of the first argument (${ps.length} tensors), found ${ts.length}`)
  let k = 0
  const lifted = mapLeaves(p, A.is, (leaf) => make(leaf, ts[k++]))
  const lift = (x: T) => make(x, undefined)
  const y = (f(D, lift) as (...xs: unknown[]) => unknown)(lifted, ...rest.map((r) => mapLeaves(r, A.is, lift)))
  if (leavesOf(y, D.is).length === 0) throw new TypeError(`${op}: the program should return a tensor of its algebra (or a tree of them), found ${describeValue(y)}`)
  return [mapLeaves(y, D.is, (d) => d.primal), mapLeaves(y, D.is, (d) => d.tangent ?? zerosLike(A, d.primal))] as const
}

/** The output cotangent 1 of a program returning one number, else a ShapeError naming `op`. */
export const one = <T>(A: Algebra<T>, op: string, y: T): T => {
  const s = A.shape(y)
  if (shapeSize(s) !== 1) throw new ShapeError(op, 'a program returning one number (a tensor of size 1)', [s])
  return A.broadcastTo(A.constant(1), s)
}

/**
 * A program seen at the plain algebra: `f(A)` takes `Args` (tensors, trees of them, and constant
 * data such as labels) and returns `R`. Programs are written generic in the algebra,
 * `<T>(A: Algebra<T>) => (p: ..., x: T) => T`; TypeScript instantiates them at `Tensor` to find
 * the argument types, and the transformations run them at their own algebras.
 *
 * @example
 * ```ts
 * import { Program, type Tensor } from 'autodiff-ts'
 *
 * const f: Program.AtTensor<[Tensor]> = <T>(A: Program.Algebra<T>) => (x: T) => A.sum(A.exp(x))
 * ```
 * @category model
 */
export type AtTensor<Args extends readonly unknown[], R = Tensor> = (A: Algebra<Tensor>) => (...args: Args) => R

/**
 * A program seen inside an outer algebra of values `T` (for `gradIn`, `jvpIn`): it receives its
 * own algebra and a `lift` of outer values; declared generic, `<S>(S: Algebra<S>, lift: (t: T) => S) => ...`,
 * so that an outer value used without `lift` is a type error.
 *
 * @example
 * ```ts
 * import { Program } from 'autodiff-ts'
 *
 * const inner = <T>(x: T) => <S>(S: Program.Algebra<S>, lift: (t: T) => S) => (y: S) => S.sum(S.mul(lift(x), y))
 * ```
 * @category model
 */
export type AtOuter<T, Args extends readonly unknown[], R = T> = (S: Algebra<T>, lift: (t: T) => T) => (...args: Args) => R

/**
 * The arguments after the first.
 *
 * @example
 * ```ts
 * import type { Program } from 'autodiff-ts'
 *
 * type R = Program.Tail<[1, 2, 3]> // [2, 3]
 * ```
 * @category model
 */
export type Tail<Args extends readonly unknown[]> = Args extends readonly [unknown, ...infer Rest] ? Rest : never

/**
 * `gradIn(A)(f)`: the gradient of `f` in its first argument, inside a program of algebra `A`.
 * `f` receives its own algebra and a `lift` of `A`'s values into it; its value must have one
 * element.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * // d/dx (x * d/dy (x y)) = d/dx x^2 = 2x: the inner y is the inner program's own value
 * const outer = <T>(A: Program.Algebra<T>) => (x: T) =>
 *   A.mul(x, Program.gradIn(A)(<S>(S: Program.Algebra<S>, lift: (t: T) => S) => (y: S) => S.sum(S.mul(lift(x), y)))(x) as T)
 * Program.grad(<T>(A: Program.Algebra<T>) => (x: T) => A.sum(outer(A)(x)))(tensor([3])) // [6]
 * ```
 * @category transformations
 */
export const gradIn =
  <T>(A: Algebra<T>) =>
  <Args extends readonly [unknown, ...unknown[]]>(f: AtOuter<T, Args>) =>
  (...args: Args): Args[0] => {
    const [y, back] = vjpArgs(A, 'grad', f as unknown as Nested<T>, args, args.map((_, i) => i === 0))
    return back(one(A, 'grad', y))[0] as Args[0]
  }

/**
 * `jvpIn(A)(f)(p, t, ...rest)`: forward mode inside a program of algebra `A`: `[f(p), Df(p) t]`.
 *
 * @example
 * ```ts
 * import { Program, tensor, type Tensor } from 'autodiff-ts'
 *
 * const [y, dy] = Program.jvpIn(Program.plain)(<S>(S: Program.Algebra<S>) => (x: S) => S.exp(x))(tensor([0]), tensor([2]))
 * dy // [2]
 * ```
 * @category transformations
 */
export const jvpIn =
  <T>(A: Algebra<T>) =>
  <Args extends readonly [unknown, ...unknown[]], R>(f: AtOuter<T, Args, R>) =>
  (p: Args[0], t: Args[0], ...rest: Tail<Args>): readonly [R, R] =>
    jvpArgs(A, 'jvp', f as unknown as Nested<T>, p, t, rest) as readonly [R, R]

/**
 * The gradient of a program in its first argument (a tensor or a tree of them), the other
 * arguments held constant: `grad(f)(p, x)` has the structure of `p`. The program must return
 * one number (a tensor of size 1).
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const loss = <T>(A: Program.Algebra<T>) => (p: { w: T; b: T }, x: T) => A.sum(A.square(A.add(A.matmul(x, p.w), p.b)))
 * Program.grad(loss)({ w: tensor([[1], [2]]), b: tensor([0]) }, tensor([[1, 1]])).w // [[6], [6]]
 * ```
 * @category transformations
 */
export const grad = <Args extends readonly [unknown, ...unknown[]]>(f: AtTensor<Args>) => gradIn(plain)(f)

/**
 * The value of a program and its gradient in its first argument: `[y, g]`.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const [y, g] = Program.valueAndGrad(<T>(A: Program.Algebra<T>) => (x: T) => A.sum(A.square(x)))(tensor([3, 4]))
 * y // 25
 * g // [6, 8]
 * ```
 * @category transformations
 */
export const valueAndGrad =
  <Args extends readonly [unknown, ...unknown[]]>(f: AtTensor<Args>) =>
  (...args: Args): readonly [Tensor, Args[0]] => {
    const [y, back] = vjpArgs(plain, 'valueAndGrad', f as unknown as Nested<Tensor>, args, args.map((_, i) => i === 0))
    return [y, back(one(plain, 'valueAndGrad', y))[0] as Args[0]]
  }

/**
 * Reverse mode of a program in its first argument: `[y, pullback]`, where `pullback(g)` is the
 * cotangent of the first argument for an output cotangent `g` (of `y`'s shape).
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const [y, back] = Program.vjp(<T>(A: Program.Algebra<T>) => (x: T) => A.exp(x))(tensor([0, 1]))
 * back(tensor([1, 2])) // [1, 2 * Math.E]
 * ```
 * @category transformations
 */
export const vjp =
  <Args extends readonly [unknown, ...unknown[]]>(f: AtTensor<Args>) =>
  (...args: Args): readonly [Tensor, (g: Tensor) => Args[0]] => {
    const [y, back] = vjpArgs(plain, 'vjp', f as unknown as Nested<Tensor>, args, args.map((_, i) => i === 0))
    return [y, (g) => back(g)[0] as Args[0]]
  }

/**
 * Forward mode of a program in its first argument: `jvp(f)(p, t, ...rest)` is `[f(p), Df(p) t]`,
 * with `t` of the structure of `p`. The program may return a tree of tensors.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * Program.jvp(<T>(A: Program.Algebra<T>) => (x: T) => A.mul(x, x))(tensor([3]), tensor([1]))[1] // [6]
 * ```
 * @category transformations
 */
export const jvp = <Args extends readonly [unknown, ...unknown[]], R>(f: AtTensor<Args, R>) => jvpIn(plain)(f)

/**
 * `hvpIn(A)(f)(p, v, ...rest)`: the exact Hessian-vector product `H v` of `f` in its first
 * argument (forward mode over reverse mode), inside a program of algebra `A` (under `vmap`, one
 * per example).
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const cube = <S>(S: Program.Algebra<S>) => (x: S) => S.sum(S.mul(S.square(x), x)) // H = diag(6x)
 * Program.hvpIn(Program.plain)(cube)(tensor([1, 2]), tensor([1, 1])) // [6, 12]
 * ```
 * @category transformations
 */
export const hvpIn =
  <T>(A: Algebra<T>) =>
  <Args extends readonly [unknown, ...unknown[]]>(f: AtOuter<T, Args>) =>
  (p: Args[0], v: Args[0], ...rest: Tail<Args>): Args[0] => {
    const g = <S>(D: Algebra<S>, lift: (t: T) => S) => (q: unknown, ...r: readonly unknown[]) =>
      gradIn(D)(((U: Algebra<unknown>, inner: (s: S) => unknown) => (f as unknown as Nested<T>)(U, (t: T) => inner(lift(t)))) as unknown as AtOuter<S, [unknown, ...unknown[]]>)(q, ...r)
    return jvpArgs(A, 'hvp', g as unknown as Nested<T>, p, v, rest)[1] as Args[0]
  }

/**
 * The exact Hessian-vector product of a program in its first argument, `H v`, by forward mode
 * over reverse mode (no finite differences).
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const f = <T>(A: Program.Algebra<T>) => (x: T) => A.sum(A.mul(A.square(x), x)) // sum x^3, H = diag(6x)
 * Program.hvp(f)(tensor([1, 2]), tensor([1, 1])) // [6, 12]
 * ```
 * @category transformations
 */
export const hvp = <Args extends readonly [unknown, ...unknown[]]>(f: AtTensor<Args>) => hvpIn(plain)(f)

/**
 * `hessianIn(A)(f)(p, ...rest)`: the Hessian of `f` in its first argument (a value of `A` of
 * shape `s`) as a value of shape `[...s, ...s]`, one exact Hessian-vector product per element,
 * inside a program of algebra `A`: under `vmap`, one Hessian per example.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * // per-example Hessians of sum(x^3) (diag(6x) for each row x)
 * const perExample = Program.vmap(<T>(A: Program.Algebra<T>) => (x: T) =>
 *   Program.hessianIn(A)(<S>(S: Program.Algebra<S>) => (y: S) => S.sum(S.mul(S.square(y), y)))(x))
 * perExample(tensor([[1, 2], [3, 4]])) // [[[6, 0], [0, 12]], [[18, 0], [0, 24]]]
 * ```
 * @category transformations
 */
export const hessianIn =
  <T>(A: Algebra<T>) =>
  <Args extends readonly [unknown, ...unknown[]]>(f: AtOuter<T, Args>) =>
  (p: Args[0], ...rest: Tail<Args>): T => {
    if (!A.is(p)) throw new TypeError(`hessian: the first argument should be a tensor of ${A.name}, found ${describeValue(p)}`)
    const s = A.shape(p)
    const n = shapeSize(s)
    const h = hvpIn(A)(f)
    const rows = Array.from({ length: n }, (_, i) => {
      const e = new Float64Array(n)
      e[i] = 1
      return A.reshape(h(p, A.constant(wrap(s, e)) as Args[0], ...rest) as T, [1, n])
    })
    return A.reshape(n === 0 ? A.constant(wrap([0, 0], new Float64Array(0))) : A.concat(rows, 0), [...s, ...s])
  }

/**
 * The Hessian of a program in its first argument, a tensor of shape `[...s, ...s]` for an
 * argument of shape `s`: one exact Hessian-vector product per element.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const f = <T>(A: Program.Algebra<T>) => (x: T) => A.mul(A.sum(x), A.sum(A.square(x)))
 * Program.hessian(f)(tensor([1, 2])) // [[10, 6], [6, 14]]
 * ```
 * @category transformations
 */
export const hessian = <Args extends readonly [Tensor, ...unknown[]]>(f: AtTensor<Args>) => (p: Args[0], ...rest: Tail<Args>): Tensor => {
  if (!isTensor(p)) throw new TypeError(`hessian: the first argument should be a tensor, found ${describeValue(p)}`)
  return hessianIn(plain)(f)(p, ...rest)
}
