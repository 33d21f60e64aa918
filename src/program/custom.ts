/**
 * Functions of tensors that act as primitives: `checkpoint(f)` (recomputed in the backward
 * pass), `customJvp` and `customVjp` (one rule, both modes: the other mode is the rule
 * transposed by reverse mode, which is exact because the rule is linear), all nesting like the
 * built-in primitives because their rules run in whatever algebra they are given.
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { batching } from './batched.js'
import { describeValue } from './describe.js'
import { forward } from './forward.js'
import { plain } from './plain.js'
import { reverse } from './reverse.js'
import type { Algebra, Prim } from './types.js'

/**
 * A function of tensors written against the algebra: `<T>(A) => (...xs: T[]) => T`.
 *
 * @example
 * ```ts
 * import { Program } from 'autodiff-ts'
 *
 * const f: Program.TensorFn = (A) => (x, y) => A.mul(A.sin(x!), y!)
 * ```
 * @category model
 */
export type TensorFn = <T>(A: Algebra<T>) => (...xs: T[]) => T

/**
 * A JVP rule: the output tangent from the arguments, the output and the argument tangents.
 *
 * @example
 * ```ts
 * import { Program } from 'autodiff-ts'
 *
 * const expJvp: Program.JvpRule = (A) => (_xs, y, [dx]) => A.mul(dx!, y)
 * ```
 * @category model
 */
export type JvpRule = <T>(A: Algebra<T>) => (xs: readonly T[], y: T, tangents: readonly T[]) => T

/**
 * A VJP rule: every argument's cotangent from the arguments, the output and its cotangent.
 *
 * @example
 * ```ts
 * import { Program } from 'autodiff-ts'
 *
 * const expVjp: Program.VjpRule = (A) => (_xs, y, g) => [A.mul(g, y)]
 * ```
 * @category model
 */
export type VjpRule = <T>(A: Algebra<T>) => (xs: readonly T[], y: T, g: T) => readonly T[]

const zerosLike = <T>(A: Algebra<T>, x: T): T => A.broadcastTo(A.constant(0), A.shape(x))

const checked = <T>(name: string, A: Algebra<T>, y: unknown): T => {
  if (!A.is(y)) throw new TypeError(`${name}: the function should return a tensor of its algebra, found ${describeValue(y)}`)
  return y
}

/** Forward mode of `f` in the algebra `A`, every argument perturbed by its tangent. */
const jvpOf = <T>(name: string, f: TensorFn, A: Algebra<T>, xs: readonly T[], ts: readonly (T | undefined)[]): T => {
  const [D, make] = forward(A)
  const y = checked(name, D, f(D)(...xs.map((x, i) => make(x, ts[i]))))
  return y.tangent ?? zerosLike(A, y.primal)
}

/** Reverse mode of `f` in the algebra `A`: the wanted arguments' cotangents for `g`. */
const vjpOf = <T>(name: string, f: TensorFn, A: Algebra<T>, xs: readonly T[], g: T, wanted: readonly boolean[]) => {
  const tape = reverse(A)
  const y = checked(name, tape.algebra, f(tape.algebra)(...xs.map((x, i) => (wanted[i] ? tape.variable(x) : tape.constant(x)))))
  const cots = tape.backward(y, g)
  let k = 0
  return xs.map((x, i) => (wanted[i] ? (cots[k++] ?? zerosLike(A, x)) : undefined))
}

/**
 * `g` run on a batch in the algebra `A`, its arguments batched as `batched` says (`undefined`
 * kept): its results, each with the batch axis first (`broadcast`) or as it came with its flag.
 */
const onBatch = <T>(
  name: string,
  A: Algebra<T>,
  xs: readonly (T | undefined)[],
  batched: readonly boolean[],
  g: <S>(B: Algebra<S>) => (zs: readonly (S | undefined)[]) => readonly (S | undefined)[],
): readonly (readonly [T, boolean] | undefined)[] => {
  const [B, make] = batching(A)
  const ys = g(B)(xs.map((x, i) => (x === undefined ? undefined : make(x, batched[i]!))))
  return ys.map((y) => (y === undefined ? undefined : ([checked(name, B, y).value, y.batched] as const)))
}

/** A result of {@link onBatch} with the batch axis first (an unbatched one broadcast to `n`). */
const full = <T>(A: Algebra<T>, n: number, [y, b]: readonly [T, boolean]): T => (b ? y : A.broadcastTo(y, [n, ...A.shape(y)]))

/**
 * The primitive of `f` on a batch (`batched` saying which arguments carry the batch axis): so
 * that `vmap` keeps a checkpoint or a custom rule a primitive, its rules run on the batch too.
 */
const batchedPrim = (name: string, f: TensorFn, rules: Rules, batched: readonly boolean[]): Prim<undefined> => {
  const k = batched.length
  const size = <T>(A: Algebra<T>, xs: readonly T[]): number => A.shape(xs[batched.indexOf(true)]!)[0]!
  const { jvp, vjp } = rules
  return fnPrim(
    name,
    (A) =>
      (...xs) =>
        full(A, size(A, xs), onBatch(name, A, xs, batched, (B) => (zs) => [f(B)(...(zs as never[]))])[0]!),
    {
      ...(jvp && {
        jvp: (A, xs, y, ts) =>
          full(A, size(A, xs), onBatch(name, A, [...xs, y, ...ts], [...batched, true, ...batched], <S,>(B: Algebra<S>) => (zs: readonly (S | undefined)[]) => [jvp(B, zs.slice(0, k) as never[], zs[k] as S, zs.slice(k + 1), undefined)])[0]!),
      }),
      ...(vjp && {
        vjp: (A, xs, y, g, _p, wanted) => {
          const n = size(A, xs)
          const cs = onBatch(name, A, [...xs, y, g], [...batched, true, true], <S,>(B: Algebra<S>) => (zs: readonly (S | undefined)[]) => vjp(B, zs.slice(0, k) as never[], zs[k] as S, zs[k + 1] as S, undefined, wanted))
          // a shared argument's cotangent is the sum over the examples
          return cs.map((c, i) => (c === undefined ? undefined : batched[i] ? full(A, n, c) : c[1] ? A.sum(c[0], { axes: [0] }) : c[0]))
        },
      }),
    },
  )
}

type Rules = Partial<Pick<Prim<undefined>, 'jvp' | 'vjp'>>

/** A primitive from a function of tensors; its rules default to running `f` in the next mode. */
const fnPrim = (name: string, f: TensorFn, rules: Rules = {}): Prim<undefined> => ({
  name,
  value: (xs) => checked(name, plain, f(plain)(...(xs as Tensor[]))),
  jvp: rules.jvp ?? ((A, xs, _y, ts) => jvpOf(name, f, A, xs, ts)),
  vjp: rules.vjp ?? ((A, xs, _y, g, _p, wanted) => vjpOf(name, f, A, xs, g, wanted)),
  batch: (A, xs, batched) => A.bind(batchedPrim(name, f, rules, batched), xs, undefined),
})

const asFn =
  (prim: Prim<undefined>): TensorFn =>
  (A) =>
  (...xs) =>
    A.bind(prim, xs, undefined)

/**
 * `f` recomputed instead of stored: in reverse mode only its arguments and output are kept, and
 * its forward pass runs again (on a tape of its own) when the backward sweep reaches it, trading
 * compute for memory, as `jax.checkpoint` does. The values and derivatives are those of `f`.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const block = Program.checkpoint((A) => (x, w) => A.tanh(A.matmul(x!, w!)))
 * const loss = <T>(A: Program.Algebra<T>) => (w: T, x: T) => A.sum(block(A)(block(A)(x, w), w))
 * Program.grad(loss)(tensor([[0.5]]), tensor([[1]])) // [[0.81125]]
 * ```
 * @category transformations
 */
export const checkpoint = (f: TensorFn, name = 'checkpoint'): TensorFn => asFn(fnPrim(name, f))

/**
 * `f` with a JVP rule of its own (for stability or speed); reverse mode uses the same rule,
 * transposed by reverse mode (exact, as the rule is linear in the tangents). One declaration,
 * both modes; the laws check the rule against `f`'s own derivatives.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * // log(1 + e^x), whose derivative is the sigmoid
 * const softplus = Program.customJvp((A) => (x) => A.softplus(x!), (A) => ([x], _y, [dx]) => A.mul(dx!, A.sigmoid(x!)))
 * Program.grad(<T>(A: Program.Algebra<T>) => (x: T) => A.sum(softplus(A)(x)))(tensor([0])) // [0.5]
 * ```
 * @category transformations
 */
export const customJvp = (f: TensorFn, rule: JvpRule, name = 'customJvp'): TensorFn =>
  asFn(
    fnPrim(name, f, {
      jvp: (A, xs, y, ts) => rule(A)(xs, y, xs.map((x, i) => ts[i] ?? zerosLike(A, x))),
      // the transpose of the linear map t -> rule(xs, y, t), by reverse mode in t
      vjp: (A, xs, y, g, _p, wanted) => {
        const tape = reverse(A)
        const R = tape.algebra
        const ts = xs.map((x, i) => (wanted[i] ? tape.variable(zerosLike(A, x)) : tape.constant(zerosLike(A, x))))
        const out = rule(R)(xs.map(tape.constant), tape.constant(y), ts)
        const cots = tape.backward(checked(name, R, out), g)
        let k = 0
        return xs.map((x, i) => (wanted[i] ? (cots[k++] ?? zerosLike(A, x)) : undefined))
      },
    }),
  )

/**
 * `f` with a VJP rule of its own; forward mode uses the same rule transposed by reverse mode (the
 * rule is linear in the cotangent). One declaration, both modes.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * // 3x with its pullback given; forward mode transposes it
 * const clipped = Program.customVjp((A) => (x) => A.scale(x!, 3), (A) => (_xs, _y, g) => [A.scale(g, 3)])
 * Program.jvp(<T>(A: Program.Algebra<T>) => (x: T) => clipped(A)(x))(tensor([1]), tensor([2]))[1] // [6]
 * ```
 * @category transformations
 */
export const customVjp = (f: TensorFn, rule: VjpRule, name = 'customVjp'): TensorFn =>
  asFn(
    fnPrim(name, f, {
      vjp: (A, xs, y, g, _p, wanted) => rule(A)(xs, y, g).map((c, i) => (wanted[i] ? c : undefined)),
      // J t = d/dg <rule(g), t>, the rule being linear in g
      jvp: (A, xs, y, ts) => {
        const tape = reverse(A)
        const R = tape.algebra
        const g = tape.variable(zerosLike(A, y))
        const cs = rule(R)(xs.map(tape.constant), tape.constant(y), g)
        let s: (typeof cs)[number] | undefined
        cs.forEach((c, i) => {
          const t = ts[i]
          if (t === undefined) return
          const term = R.sum(R.mul(c, tape.constant(t)))
          s = s === undefined ? term : R.add(s, term)
        })
        if (s === undefined) return zerosLike(A, y)
        return tape.backward(s, A.constant(1))[0] ?? zerosLike(A, y)
      },
    }),
  )
