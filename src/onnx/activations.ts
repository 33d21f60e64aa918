/**
 * Every activation of the `Activation` module as ONNX nodes. Where ONNX has the operator and ONNX
 * Runtime's CPU provider runs it accurately in float64 (`Tanh`, `Relu`, `Softmax`, `LogSoftmax`)
 * it is used; the others (`Softplus`, `Elu`, `LeakyRelu`, `Erf`, whose float64 kernels ONNX
 * Runtime lacks at opset 17, and `Sigmoid`, whose float64 kernel underflows early) are written out of basic operators, with the library's own stable
 * formulas, so that the model runs anywhere and agrees with the library to rounding.
 *
 * @packageDocumentation
 */
import type { DType } from './graph.js'
import { erfcGraph } from './erfc.js'
import type { Ops } from './ops.js'

/** How an activation is written as nodes: from the ops and the input's name to the output's name. */
export type ActivationGraph = (o: Ops, x: string, dtype: DType) => string

/** `log1p(u)` for `u >= 0`: `log(w) u / (w - 1)` with `w = 1 + u` (Goldberg), `u` where `w` rounds to 1. */
export const log1p = (o: Ops, u: string): string => {
  const w = o.add(o.c(1), u)
  return o.where(o.equal(w, o.c(1)), u, o.div(o.mul(o.log(w), u), o.sub(w, o.c(1))))
}

/** `expm1(x)`: `(u - 1) x / log(u)` with `u = exp(x)` (Kahan), `x` where `u` rounds to 1, -1 where `u - 1` does. */
const expm1 = (o: Ops, x: string): string => {
  const u = o.exp(x)
  const um1 = o.sub(u, o.c(1))
  return o.where(o.equal(u, o.c(1)), x, o.where(o.equal(um1, o.c(-1)), o.c(-1), o.div(o.mul(um1, x), o.log(u))))
}

/**
 * `sigmoid(x)`: `1 / (1 + e)` for `x >= 0`, `e / (1 + e)` below, `e = exp(-|x|)`, as the library
 * computes it. ONNX Runtime's float64 `Sigmoid` loses the negative tail: a relative error of 4e-8
 * at -20, 1e-3 at -30, and 0 from -37 on.
 */
export const sigmoid = (o: Ops, x: string): string => {
  const e = o.exp(o.neg(o.abs(x)))
  const q = o.add(o.c(1), e)
  return o.where(o.less(x, o.c(0)), o.div(e, q), o.div(o.c(1), q))
}

const rowwise = (op: string): ActivationGraph => (o, x) => o.op(op, [x], [{ name: 'axis', kind: 'int', value: -1 }])

const leakyRelu =
  (alpha: number): ActivationGraph =>
  (o, x) =>
    o.where(o.greater(x, o.c(0)), x, o.mul(o.c(alpha), x))

const elu =
  (alpha: number): ActivationGraph =>
  (o, x) =>
    o.where(o.greater(x, o.c(0)), x, o.mul(o.c(alpha), expm1(o, o.min(x, o.c(0)))))

/** The activations without a parameter, by their name in a layer spec. */
const plain: { readonly [name: string]: ActivationGraph } = {
  // 1 above 0, 0 at or below, NaN for NaN
  step: (o, x) => o.where(o.greater(x, o.c(0)), o.c(1), o.where(o.lessOrEqual(x, o.c(0)), o.c(0), x)),
  sigmoid,
  tanh: (o, x) => o.op('Tanh', [x]),
  relu: (o, x) => o.op('Relu', [x]),
  // max(x, 0) + log1p(exp(-|x|))
  softplus: (o, x) => o.add(o.max(x, o.c(0)), log1p(o, o.exp(o.neg(o.abs(x))))),
  silu: (o, x) => o.mul(x, sigmoid(o, x)),
  // x Phi(x) = x erfc(-x / sqrt 2) / 2, and 0 below -40 (where x Phi(x) underflows to 0 anyway)
  gelu: (o, x, dtype) =>
    o.where(o.less(x, o.c(-40)), o.c(0), o.mul(x, o.mul(o.c(0.5), erfcGraph(o, o.mul(x, o.c(-Math.SQRT1_2)), dtype)))),
  // x sigmoid(2u), 2u = K x (1 + C x^2)
  'gelu(tanh)': (o, x) => {
    // in the library's order of operations, K x (1 + ((C x) x)), so that rounding agrees too
    const v = o.mul(o.mul(o.c(2 * Math.sqrt(2 / Math.PI)), x), o.add(o.c(1), o.mul(o.mul(o.c(0.044715), x), x)))
    return o.mul(x, sigmoid(o, v))
  },
  hardTanh: (o, x) => o.max(o.min(x, o.c(1)), o.c(-1)),
  softmax: rowwise('Softmax'),
  logSoftmax: rowwise('LogSoftmax'),
}

const parameterised: { readonly [name: string]: (a: number) => ActivationGraph } = { leakyRelu, elu }

/**
 * The graph of the activation named `name` in a layer spec (`relu`, `leakyRelu(0.01)`,
 * `elu(1)`, ...), or undefined if it has none.
 */
export const activationGraph = (name: string): ActivationGraph | undefined => {
  const known = plain[name]
  if (known !== undefined) return known
  const m = /^(\w+)\((.*)\)$/.exec(name)
  const mk = m === null ? undefined : parameterised[m[1]!]
  if (m === null || mk === undefined) return undefined
  const a = Number(m[2])
  return Number.isFinite(a) && a >= 0 ? mk(a) : undefined
}

/** The names of the activations {@link activationGraph} knows (the parameterised ones as `name(a)`). */
export const activationNames: readonly string[] = [...Object.keys(plain), 'leakyRelu(a)', 'elu(a)']
