/**
 * Layers and models: a layer is a parameterised differentiable map, a
 * `Diff<readonly [P, X], Y>` from its parameters and its input to its output, together with
 * `init(key)`, which draws its parameters, and a `spec`, plain JSON data that says what it is
 * (`{ kind: 'dense', in: 784, out: 128, ... }`), from which {@link fromSpec} rebuilds it.
 *
 * Parameters are plain readonly trees (see {@link Tree}): `{ w, b }` for a dense layer, `[]` for
 * a layer without parameters, and for {@link sequential} the array of its layers' parameters. A
 * user's own layer is any value of the {@link Layer} interface; {@link make} fills in the parts
 * that can be derived.
 *
 * Widths: each layer says which width (size of the last axis) it takes and gives, where that is
 * known. {@link sequential} checks neighbouring widths when the model is built, and a width
 * that only shows up on application is reported naming the layer (its index and kind).
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right, isLeft } from 'fp-ts/lib/Either.js'
import type { Diff } from './Diff.js'
import { make as makeDiff } from './Diff.js'
import * as Act from './Activation.js'
import { add } from './ops/arithmetic.js'
import { matmul } from './ops/linalg.js'
import { bindLeft } from './ops/Primitive.js'
import type { Key } from './Random.js'
import { glorotNormal, glorotUniform, heNormal, heUniform, split } from './Random.js'
import { ShapeError } from './ShapeError.js'
import type { Tensor } from './Tensor.js'
import { zeros } from './Tensor.js'
import type { Tree } from './Tree.js'

// ---------------------------------------------------------------------------------------------
// Model

/**
 * JSON data: what a layer's {@link LayerSpec} is made of.
 *
 * @category model
 */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json }

/**
 * The static description of a layer, as plain JSON data: its `kind` (the key under which
 * {@link fromSpec} finds how to rebuild it) and whatever that kind needs.
 *
 * @example
 * ```ts
 * import { Layer } from 'autodiff-ts'
 *
 * Layer.dense(784, 128).spec // { kind: 'dense', in: 784, out: 128, init: 'glorot', bias: true }
 * ```
 *
 * @category model
 */
export type LayerSpec = {
  /** The kind of layer: the key of its builder in a {@link Registry}. */
  readonly kind: string
} & { readonly [k: string]: Json }

/**
 * The widths a layer takes and gives: the size of the last axis of its input and output.
 * `null` where any width is accepted or the width is not known statically; `'same'` for an
 * output as wide as the input.
 *
 * @category model
 */
export type Widths = {
  /** The width of the input's last axis, or null for any. */
  readonly in: number | null
  /** The width of the output's last axis, `'same'` as the input, or null if unknown. */
  readonly out: number | 'same' | null
}

/**
 * A layer: a `Diff` from parameters and input to output, plus how to initialise its parameters,
 * its spec, its widths, and reverse mode with the input held constant.
 *
 * @example
 * ```ts
 * import { Layer, Random, tensor } from 'autodiff-ts'
 *
 * const layer = Layer.dense(2, 3)
 * const p = layer.init(Random.key(0)) // { w: [2, 3] tensor, b: [3] tensor }
 * const y = layer.apply([p, tensor([[1, 2]])]) // shape [1, 3]
 * ```
 *
 * @category model
 */
export interface Layer<P extends Tree, X = Tensor, Y = Tensor> extends Diff<readonly [P, X], Y> {
  /** What the layer is, as JSON data; {@link fromSpec} rebuilds the layer from it. */
  readonly spec: LayerSpec
  /** The widths it takes and gives, where known. */
  readonly widths: Widths
  /** Fresh parameters drawn from `key` (bit-identical for the same key). */
  readonly init: (key: Key) => P
  /**
   * Reverse mode with respect to the parameters only, the input held constant: the output and a
   * pullback to the parameters' cotangent. Skips the input cotangent (for a dense layer the
   * product `g Wᵀ`), which the first layer of a model never needs.
   */
  readonly vjpParams: (p: P, x: X) => readonly [Y, (dy: Y) => P]
}

/**
 * A layer of any parameter, input and output types, for heterogeneous lists of layers.
 *
 * @category model
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayer = Layer<any, any, any>

/**
 * The parameter type of a layer.
 *
 * @category model
 */
export type ParamsOf<L> = L extends Layer<infer P, infer _X, infer _Y> ? P : never

/**
 * The parameters of a layer without any: the empty array.
 *
 * @category model
 */
export type NoParams = readonly []

const noParams: NoParams = Object.freeze([]) as NoParams

/**
 * The parts of a layer that {@link make} needs; the rest is derived.
 *
 * @category constructors
 */
export interface LayerParts<P extends Tree, X, Y> {
  /** The differentiable map from `[params, input]` to the output. */
  readonly diff: Diff<readonly [P, X], Y>
  /** Its spec (JSON data, with a `kind` that a registry knows how to rebuild). */
  readonly spec: LayerSpec
  /** Fresh parameters from a key. */
  readonly init: (key: Key) => P
  /** Its widths; default `{ in: null, out: null }` (unknown). */
  readonly widths?: Widths
  /** Reverse mode in the parameters only; default: `diff.vjp`, dropping the input cotangent. */
  readonly vjpParams?: (p: P, x: X) => readonly [Y, (dy: Y) => P]
}

/**
 * A layer from its parts: this is how a user writes their own layer. `vjpParams` defaults to
 * `diff.vjp` with the input cotangent dropped; `widths` to unknown.
 *
 * @example
 * ```ts
 * import { Diff, Layer, fromData, tensor, type Tensor } from 'autodiff-ts'
 *
 * // y = s x, with a learnable scale s (a number)
 * const times = (k: number, t: Tensor): Tensor => fromData(t.shape, t.data.map((v) => k * v))
 * const dotOf = (a: Tensor, b: Tensor): number => a.data.reduce((acc, v, i) => acc + v * b.data[i]!, 0)
 * const scaleLayer = Layer.make<number, Tensor, Tensor>({
 *   spec: { kind: 'scale' },
 *   init: () => 1,
 *   widths: { in: null, out: 'same' },
 *   diff: Diff.make({
 *     apply: ([s, x]) => times(s, x),
 *     jvp: ([s, x], [ds, dx]) => [times(s, x), fromData(x.shape, x.data.map((v, i) => ds * v + s * dx.data[i]!))],
 *     vjp: ([s, x]) => [times(s, x), (g) => [dotOf(g, x), times(s, g)]],
 *   }),
 * })
 * scaleLayer.apply([2, tensor([1, 2])]) // [2, 4]
 * scaleLayer.vjpParams(2, tensor([1, 2]))[1](tensor([1, 1])) // 3
 * ```
 *
 * @category constructors
 */
export const make = <P extends Tree, X, Y>(parts: LayerParts<P, X, Y>): Layer<P, X, Y> => {
  const { diff } = parts
  const vjpParams =
    parts.vjpParams ??
    ((p: P, x: X): readonly [Y, (dy: Y) => P] => {
      const [y, pb] = diff.vjp([p, x])
      return [y, (dy) => pb(dy)[0]]
    })
  return Object.freeze({
    apply: diff.apply,
    jvp: diff.jvp,
    vjp: diff.vjp,
    spec: Object.freeze(parts.spec),
    widths: Object.freeze(parts.widths ?? { in: null, out: null }),
    init: parts.init,
    vjpParams,
  })
}

/**
 * A short description of a layer for messages: `dense(784 → 128)`, `relu`, or the spec's kind.
 *
 * @example
 * ```ts
 * import { Layer } from 'autodiff-ts'
 *
 * Layer.describe(Layer.dense(4, 2).spec) // 'dense(4 → 2)'
 * ```
 *
 * @category destructors
 */
export const describe = (spec: LayerSpec): string => {
  if (spec.kind === 'dense' || spec.kind === 'perceptron') return `${spec.kind}(${String(spec['in'])} → ${String(spec['out'])})`
  if (spec.kind === 'activation') return String(spec['name'])
  if (spec.kind === 'sequential') return `sequential of ${Array.isArray(spec['layers']) ? spec['layers'].length : '?'} layers`
  return spec.kind
}

// ---------------------------------------------------------------------------------------------
// Dense

/**
 * Parameters of a dense layer: the weight `w` of shape `[in, out]` and the bias `b` of shape `[out]`.
 *
 * @category model
 */
export type DenseParams = {
  /** The weight, shape `[in, out]`. */
  readonly w: Tensor
  /** The bias, shape `[out]`. */
  readonly b: Tensor
}

/**
 * Parameters of a dense layer without bias: the weight `w` of shape `[in, out]`.
 *
 * @category model
 */
export type DenseParamsNoBias = {
  /** The weight, shape `[in, out]`. */
  readonly w: Tensor
}

/**
 * The weight initialisers of {@link dense}: Glorot (Xavier) or He (Kaiming), uniform or normal
 * (see `Random`), or zeros.
 *
 * @category model
 */
export type Init = 'glorot' | 'glorotNormal' | 'he' | 'heNormal' | 'zeros'

/**
 * Options of {@link dense}.
 *
 * @category layers
 */
export interface DenseOptions {
  /** The weight initialiser: `'glorot'` (uniform, the default), `'glorotNormal'`, `'he'` (uniform), `'heNormal'`, `'zeros'`. */
  readonly init?: Init
  /** Whether the layer has a bias (initialised to zeros); default true. */
  readonly bias?: boolean
}

const inits: { readonly [K in Init]: (key: Key, shape: readonly [number, number]) => Tensor } = {
  glorot: (k, s) => glorotUniform(k, s),
  glorotNormal: (k, s) => glorotNormal(k, s),
  he: (k, s) => heUniform(k, s),
  heNormal: (k, s) => heNormal(k, s),
  zeros: (_k, s) => zeros(s),
}

const checkWidth = (op: string, name: string, n: unknown): number => {
  if (!(typeof n === 'number' && Number.isSafeInteger(n) && n > 0))
    throw new RangeError(`${op}: expected ${name} to be a positive integer, found ${String(n)}`)
  return n
}

const checkInput = (name: string, nIn: number, x: Tensor): void => {
  if (x.shape.length !== 2 || x.shape[1] !== nIn)
    throw new ShapeError(name, `an input of shape [batch, ${nIn}]`, [x.shape])
}

const checkParams = (name: string, nIn: number, nOut: number, p: { readonly w: Tensor; readonly b?: Tensor }, bias: boolean): void => {
  const w = p.w
  if (w === undefined || w.shape.length !== 2 || w.shape[0] !== nIn || w.shape[1] !== nOut)
    throw new ShapeError(`${name} (parameters)`, `a weight w of shape [${nIn}, ${nOut}]`, w === undefined ? [] : [w.shape])
  if (bias) {
    const b = p.b
    if (b === undefined || b.shape.length !== 1 || b.shape[0] !== nOut)
      throw new ShapeError(`${name} (parameters)`, `a bias b of shape [${nOut}]`, b === undefined ? [] : [b.shape])
  }
}

/**
 * The dense (fully connected) layer `x W + b`: input `[batch, in]`, weight `W` of shape
 * `[in, out]`, bias `b` of shape `[out]` (broadcast over the batch), output `[batch, out]`. Built
 * from the `matmul` and `add` primitives; its `vjpParams` computes `xᵀ g` and the column sums of
 * `g` without the input gradient.
 *
 * @throws RangeError unless `nIn` and `nOut` are positive integers. Applying it throws a
 *   `ShapeError` naming `dense(in → out)` for an input that is not `[batch, in]` or parameters of
 *   the wrong shapes.
 * @example
 * ```ts
 * import { Layer, Random, tensor } from 'autodiff-ts'
 *
 * const layer = Layer.dense(3, 2, { init: 'he' })
 * const p = layer.init(Random.key(1))
 * layer.apply([p, tensor([[1, 2, 3]])]) // shape [1, 2]
 * ```
 *
 * @category layers
 */
export function dense(nIn: number, nOut: number, options: DenseOptions & { readonly bias: false }): Layer<DenseParamsNoBias>
export function dense(nIn: number, nOut: number, options?: DenseOptions): Layer<DenseParams>
export function dense(nIn: number, nOut: number, options: DenseOptions = {}): Layer<DenseParams> | Layer<DenseParamsNoBias> {
  checkWidth('Layer.dense', 'in', nIn)
  checkWidth('Layer.dense', 'out', nOut)
  const init = options.init ?? 'glorot'
  if (!(init in inits)) throw new RangeError(`Layer.dense: expected init to be one of ${Object.keys(inits).join(', ')}, found ${String(init)}`)
  const bias = options.bias ?? true
  const name = `dense(${nIn} → ${nOut})`
  type P = { readonly w: Tensor; readonly b: Tensor }
  const check = (p: P, x: Tensor): void => {
    checkInput(name, nIn, x)
    checkParams(name, nIn, nOut, p, bias)
  }
  const diff: Diff<readonly [P, Tensor], Tensor> = bias
    ? makeDiff({
        apply: ([p, x]) => {
          check(p, x)
          return add.apply([matmul.apply([x, p.w]), p.b])
        },
        jvp: ([p, x], [dp, dx]) => {
          check(p, x)
          const [xw, dxw] = matmul.jvp([x, p.w], [dx, dp.w])
          return add.jvp([xw, p.b], [dxw, dp.b])
        },
        vjp: ([p, x]) => {
          check(p, x)
          const [xw, pbMul] = matmul.vjp([x, p.w])
          const [y, pbAdd] = add.vjp([xw, p.b])
          return [
            y,
            (dy) => {
              const [dxw, db] = pbAdd(dy)
              const [dx, dw] = pbMul(dxw)
              return [Object.freeze({ w: dw, b: db }), dx]
            },
          ]
        },
      })
    : makeDiff({
        apply: ([p, x]) => {
          check(p, x)
          return matmul.apply([x, p.w])
        },
        jvp: ([p, x], [dp, dx]) => {
          check(p, x)
          return matmul.jvp([x, p.w], [dx, dp.w])
        },
        vjp: ([p, x]) => {
          check(p, x)
          const [y, pb] = matmul.vjp([x, p.w])
          return [
            y,
            (dy) => {
              const [dx, dw] = pb(dy)
              return [Object.freeze({ w: dw }) as P, dx]
            },
          ]
        },
      })
  const vjpParams = (p: P, x: Tensor): readonly [Tensor, (dy: Tensor) => P] => {
    check(p, x)
    const [xw, pbW] = bindLeft(matmul, x).vjp(p.w)
    if (!bias) return [xw, (dy) => Object.freeze({ w: pbW(dy) }) as P]
    const [y, pbAdd] = add.vjp([xw, p.b])
    return [
      y,
      (dy) => {
        const [dxw, db] = pbAdd(dy)
        return Object.freeze({ w: pbW(dxw), b: db })
      },
    ]
  }
  return make<P, Tensor, Tensor>({
    diff,
    spec: { kind: 'dense', in: nIn, out: nOut, init, bias },
    widths: { in: nIn, out: nOut },
    init: (key) => {
      const w = inits[init](key, [nIn, nOut])
      return Object.freeze(bias ? { w, b: zeros([nOut]) } : ({ w } as P))
    },
    vjpParams,
  })
}

// ---------------------------------------------------------------------------------------------
// Activations

/**
 * What {@link activation} accepts: anything with a name and a `Diff<Tensor, Tensor>`, such as
 * the records of the `Activation` module or a user's own.
 *
 * @category model
 */
export type ActivationLike = {
  /** The name in the layer's spec, by which {@link fromSpec} finds it again. */
  readonly name: string
  /** The function on tensors (elementwise or along the last axis). */
  readonly diff: Diff<Tensor, Tensor>
}

/**
 * An activation as a layer without parameters (its parameters are `[]`): `[[], x] => f(x)`.
 * Its spec is `{ kind: 'activation', name }`; {@link fromSpec} finds the function by that name
 * among the `Activation` module's and those registered with {@link registerActivation}.
 *
 * @example
 * ```ts
 * import { Activation, Layer, tensor } from 'autodiff-ts'
 *
 * const relu = Layer.activation(Activation.relu)
 * relu.apply([[], tensor([[-1, 2]])]) // [[0, 2]]
 * ```
 *
 * @category layers
 */
export const activation = (f: ActivationLike): Layer<NoParams> => {
  const { diff } = f
  return make<NoParams, Tensor, Tensor>({
    spec: { kind: 'activation', name: f.name },
    widths: { in: null, out: 'same' },
    init: () => noParams,
    diff: makeDiff({
      apply: ([, x]) => diff.apply(x),
      jvp: ([, x], [, dx]) => diff.jvp(x, dx),
      vjp: ([, x]) => {
        const [y, pb] = diff.vjp(x)
        return [y, (dy) => [noParams, pb(dy)]]
      },
    }),
    vjpParams: (_p, x) => [diff.apply(x), () => noParams],
  })
}

/**
 * The lecture's perceptron: a dense layer followed by the step (Heaviside) activation,
 * `step(x W + b)`, with the dense layer's parameters `{ w, b }` (`w` of shape `[in, out]`,
 * default `out` 1). Its outputs are 0 or 1. Since step's derivative is 0 everywhere, gradients
 * through it vanish: train it with the perceptron learning rule (see `examples/perceptron.ts`),
 * not by gradient descent.
 *
 * @throws RangeError unless the widths are positive integers.
 * @example
 * ```ts
 * import { Layer, tensor } from 'autodiff-ts'
 *
 * const p = Layer.perceptron(2)
 * p.apply([{ w: tensor([[1], [1]]), b: tensor([-1.5]) }, tensor([[1, 1], [1, 0]])]) // AND: [[1], [0]]
 * ```
 *
 * @category layers
 */
export const perceptron = (nIn: number, nOut = 1, options: Omit<DenseOptions, 'bias'> = {}): Layer<DenseParams> => {
  const d = dense(nIn, nOut, options)
  const step = Act.step.diff
  return make<DenseParams, Tensor, Tensor>({
    spec: { ...d.spec, kind: 'perceptron' },
    widths: d.widths,
    init: d.init,
    diff: makeDiff({
      apply: (px) => step.apply(d.apply(px)),
      jvp: (px, dpx) => {
        const [z, dz] = d.jvp(px, dpx)
        return step.jvp(z, dz)
      },
      vjp: (px) => {
        const [z, pbD] = d.vjp(px)
        const [y, pbS] = step.vjp(z)
        return [y, (dy) => pbD(pbS(dy))]
      },
    }),
    vjpParams: (p, x) => {
      const [z, pbD] = d.vjpParams(p, x)
      const [y, pbS] = step.vjp(z)
      return [y, (dy) => pbD(pbS(dy))]
    },
  })
}

// ---------------------------------------------------------------------------------------------
// Sequential

/**
 * The parameters of a {@link sequential} model of the layers `Ls`: the tuple of their parameters.
 *
 * @category model
 */
export type SequentialParams<Ls extends readonly AnyLayer[]> = { readonly [K in keyof Ls]: ParamsOf<Ls[K]> }

const inContext = <A>(i: number, spec: LayerSpec, f: () => A): A => {
  try {
    return f()
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`sequential, layer ${i} (${describe(spec)}): ${e.op}`, e.expected, e.shapes)
    throw e
  }
}

/**
 * The layers one after the other: `x => ln(... l1(l0(x)))`, with parameters the array of the
 * layers' parameters (`[p0, p1, ...]`, `[]` for an activation). Neighbouring widths that are
 * known are checked now: a mismatch throws a `ShapeError` naming both layers (index and kind)
 * and both widths. A mismatch that shows up only on application (layers of unknown width) throws
 * a `ShapeError` naming the index and kind of the layer that refused its input.
 *
 * @throws ShapeError if two neighbouring layers' known widths disagree.
 * @example
 * ```ts
 * import { Activation, Layer, Random } from 'autodiff-ts'
 *
 * const mlp = Layer.sequential(
 *   Layer.dense(784, 128, { init: 'he' }),
 *   Layer.activation(Activation.relu),
 *   Layer.dense(128, 10),
 * )
 * const params = mlp.init(Random.key(0)) // [{ w, b }, [], { w, b }]
 * Layer.sequential(Layer.dense(4, 3), Layer.dense(2, 1)) // throws: layer 1 (dense(2 → 1)) takes width 2, layer 0 gives 3
 * ```
 *
 * @category layers
 */
export const sequential = <const Ls extends readonly AnyLayer[]>(...layers: Ls): Layer<SequentialParams<Ls>> => {
  type P = readonly Tree[]
  const ls: readonly AnyLayer[] = layers
  // the width flowing between layers, if known, and the layer that set it (-1: the model's input)
  let width: number | null = null
  let from = -1
  let modelIn: number | null = null
  let sameSoFar = true
  for (let i = 0; i < ls.length; i++) {
    const w = ls[i]!.widths
    if (w.in !== null && width !== null && w.in !== width)
      throw new ShapeError(
        `sequential, layer ${i} (${describe(ls[i]!.spec)})`,
        `an input of width ${w.in}, but layer ${from} (${describe(ls[from]!.spec)}) gives width ${width}`,
        [[w.in], [width]],
      )
    if (w.in !== null && sameSoFar && modelIn === null) modelIn = w.in
    if (w.in !== null && width === null) {
      width = w.in
      from = i
    }
    if (w.out !== 'same') {
      width = w.out
      from = i
      sameSoFar = false
    }
  }
  const checkParams = (p: P): void => {
    if (!Array.isArray(p) || p.length !== ls.length)
      throw new ShapeError('sequential (parameters)', `an array of ${ls.length} layer parameters, found ${Array.isArray(p) ? `${p.length}` : typeof p}`, [])
  }
  const diff = makeDiff<readonly [P, Tensor], Tensor>({
    apply: ([p, x]) => {
      checkParams(p)
      let y = x
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i]!
        const yi = y
        y = inContext(i, l.spec, () => l.apply([p[i], yi]))
      }
      return y
    },
    jvp: ([p, x], [dp, dx]) => {
      checkParams(p)
      let y = x
      let dy = dx
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i]!
        const [yi, dyi] = [y, dy]
        ;[y, dy] = inContext(i, l.spec, () => l.jvp([p[i], yi], [dp[i], dyi]))
      }
      return [y, dy]
    },
    vjp: ([p, x]) => {
      checkParams(p)
      const pbs: ((dy: Tensor) => readonly [Tree, Tensor])[] = []
      let y = x
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i]!
        const yi = y
        const [yo, pb] = inContext(i, l.spec, () => l.vjp([p[i], yi]))
        pbs.push(pb)
        y = yo
      }
      return [
        y,
        (dy) => {
          const dps = new Array<Tree>(ls.length)
          let g = dy
          for (let i = ls.length - 1; i >= 0; i--) {
            const [dpi, dxi] = pbs[i]!(g)
            dps[i] = dpi
            g = dxi
          }
          return [Object.freeze(dps), g]
        },
      ]
    },
  })
  const vjpParams = (p: P, x: Tensor): readonly [Tensor, (dy: Tensor) => P] => {
    checkParams(p)
    if (ls.length === 0) return [x, () => Object.freeze([])]
    const l0 = ls[0]!
    const [y0, pb0] = inContext(0, l0.spec, () => l0.vjpParams(p[0], x))
    const pbs: ((dy: Tensor) => readonly [Tree, Tensor])[] = []
    let y: Tensor = y0
    for (let i = 1; i < ls.length; i++) {
      const l = ls[i]!
      const yi = y
      const [yo, pb] = inContext(i, l.spec, () => l.vjp([p[i], yi]))
      pbs.push(pb)
      y = yo
    }
    return [
      y,
      (dy) => {
        const dps = new Array<Tree>(ls.length)
        let g = dy
        for (let i = ls.length - 1; i >= 1; i--) {
          const [dpi, dxi] = pbs[i - 1]!(g)
          dps[i] = dpi
          g = dxi
        }
        dps[0] = pb0(g)
        return Object.freeze(dps)
      },
    ]
  }
  return make<P, Tensor, Tensor>({
    diff,
    spec: { kind: 'sequential', layers: ls.map((l) => l.spec) },
    widths: { in: modelIn, out: ls.length === 0 ? 'same' : sameSoFar && width === null ? 'same' : width },
    init: (key) => {
      const keys = split(key, ls.length)
      return Object.freeze(ls.map((l, i) => l.init(keys[i]!) as Tree))
    },
    vjpParams,
  }) as unknown as Layer<SequentialParams<Ls>>
}

// ---------------------------------------------------------------------------------------------
// Rebuilding from specs

/**
 * How to rebuild a layer of one kind from its spec: a `Left` reads like a sentence (where, what
 * was expected, what was found). `path` locates the spec in a larger one (`$`, `$.layers[2]`).
 *
 * @category model
 */
export type LayerBuilder = (spec: LayerSpec, registry: Registry, path: string) => Either<string, AnyLayer>

/**
 * What {@link fromSpec} knows: layer builders by kind and activations by name.
 *
 * @category model
 */
export interface Registry {
  /** Builders by `spec.kind`. */
  readonly layers: { readonly [kind: string]: LayerBuilder }
  /** Activations by name, for `{ kind: 'activation', name }`. */
  readonly activations: { readonly [name: string]: ActivationLike }
}

const posInt = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u > 0
const found = (u: unknown): string => (u === undefined ? 'nothing' : JSON.stringify(u) ?? String(u))

const denseBuilder =
  (perceptronKind: boolean): LayerBuilder =>
  (spec, _r, path) => {
    for (const k of ['in', 'out'] as const)
      if (!posInt(spec[k])) return left(`${path}.${k}: expected a positive integer, found ${found(spec[k])}`)
    const init = spec['init'] ?? 'glorot'
    if (typeof init !== 'string' || !(init in inits))
      return left(`${path}.init: expected one of ${Object.keys(inits).join(', ')}, found ${found(init)}`)
    const bias = spec['bias'] ?? true
    if (typeof bias !== 'boolean') return left(`${path}.bias: expected a boolean, found ${found(bias)}`)
    if (perceptronKind && !bias) return left(`${path}.bias: expected true for a perceptron, found false`)
    const nIn = spec['in'] as number
    const nOut = spec['out'] as number
    return right(
      perceptronKind
        ? perceptron(nIn, nOut, { init: init as Init })
        : bias
          ? dense(nIn, nOut, { init: init as Init })
          : dense(nIn, nOut, { init: init as Init, bias: false }),
    )
  }

const PARAMETERISED: { readonly [name: string]: (a: number) => ActivationLike } = {
  leakyRelu: Act.leakyRelu,
  elu: Act.elu,
}

const activationBuilder: LayerBuilder = (spec, r, path) => {
  const name = spec['name']
  if (typeof name !== 'string') return left(`${path}.name: expected an activation name, found ${found(name)}`)
  const known = r.activations[name]
  if (known !== undefined) return right(activation(known))
  const m = /^(\w+)\((.*)\)$/.exec(name)
  const mk = m !== null ? PARAMETERISED[m[1]!] : undefined
  if (m !== null && mk !== undefined) {
    const a = Number(m[2])
    try {
      return right(activation(mk(a)))
    } catch (e) {
      return left(`${path}.name: ${(e as Error).message}`)
    }
  }
  return left(`${path}.name: expected one of ${Object.keys(r.activations).join(', ')} (or leakyRelu(a), elu(a)), found ${found(name)}`)
}

const sequentialBuilder: LayerBuilder = (spec, r, path) => {
  const specs = spec['layers']
  if (!Array.isArray(specs)) return left(`${path}.layers: expected an array of layer specs, found ${found(specs)}`)
  const layers: AnyLayer[] = []
  for (let i = 0; i < specs.length; i++) {
    const l = fromSpecAt(r, specs[i], `${path}.layers[${i}]`)
    if (isLeft(l)) return l
    layers.push(l.right)
  }
  try {
    return right(sequential(...layers))
  } catch (e) {
    if (e instanceof ShapeError) return left(`${path}: ${e.message}`)
    throw e
  }
}

const builtinActivations: { readonly [name: string]: ActivationLike } = Object.freeze(
  Object.fromEntries([...Act.all, Act.softmax, Act.logSoftmax].map((a) => [a.name, a])),
)

/**
 * The built-in registry: `dense`, `perceptron`, `activation` (every activation of the
 * `Activation` module by name) and `sequential`. Extend it with {@link register} and
 * {@link registerActivation}.
 *
 * @category registry
 */
export const registry: Registry = Object.freeze({
  layers: Object.freeze({
    dense: denseBuilder(false),
    perceptron: denseBuilder(true),
    activation: activationBuilder,
    sequential: sequentialBuilder,
  }),
  activations: builtinActivations,
})

/**
 * Adds (or replaces) the builder of a layer kind, data-last for `pipe`.
 *
 * @example
 * ```ts
 * import { Layer } from 'autodiff-ts'
 * import { isRight, right } from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * // a kind of layer that widens its input to 64 features
 * const mine = pipe(Layer.registry, Layer.register('widen', (spec) => right(Layer.dense(spec['in'] as number, 64))))
 * isRight(Layer.fromSpec(mine)({ kind: 'widen', in: 3 })) // true
 * isRight(Layer.fromSpec(Layer.registry)({ kind: 'widen', in: 3 })) // false
 * ```
 *
 * @category registry
 */
export const register =
  (kind: string, build: LayerBuilder) =>
  (r: Registry): Registry =>
    Object.freeze({ layers: Object.freeze({ ...r.layers, [kind]: build }), activations: r.activations })

/**
 * Adds (or replaces) an activation by name, data-last for `pipe`, so that
 * `{ kind: 'activation', name }` specs of a user's own activation can be rebuilt.
 *
 * @example
 * ```ts
 * import { Activation, Layer } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * const softsign = {
 *   name: 'softsign',
 *   diff: Activation.pointwiseDiff('softsign', {
 *     value: (x, y) => { for (let i = 0; i < x.length; i++) y[i] = x[i]! / (1 + Math.abs(x[i]!)) },
 *     valueAndDerivative: (x, y, d) => {
 *       for (let i = 0; i < x.length; i++) { const a = 1 + Math.abs(x[i]!); y[i] = x[i]! / a; d[i] = 1 / (a * a) }
 *     },
 *   }),
 * }
 * const mine = pipe(Layer.registry, Layer.registerActivation(softsign))
 * isRight(Layer.fromSpec(mine)(Layer.activation(softsign).spec)) // true
 * ```
 *
 * @category registry
 */
export const registerActivation =
  (a: ActivationLike) =>
  (r: Registry): Registry =>
    Object.freeze({ layers: r.layers, activations: Object.freeze({ ...r.activations, [a.name]: a }) })

const isRecord = (u: unknown): u is { readonly [k: string]: unknown } => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * {@link fromSpec} for a spec found at `path` inside a larger one, so that a user's builder can
 * rebuild the layers nested in its spec with messages that say where they are.
 *
 * @example
 * ```ts
 * import { Layer } from 'autodiff-ts'
 * import { map } from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * // { kind: 'twice', inner }: the inner layer applied two times
 * const twice: Layer.LayerBuilder = (spec, r, path) =>
 *   pipe(Layer.fromSpecAt(r, spec['inner'], `${path}.inner`), map((inner): Layer.AnyLayer => Layer.sequential(inner, inner)))
 * const mine = pipe(Layer.registry, Layer.register('twice', twice))
 * const r = Layer.fromSpec(mine)({ kind: 'twice', inner: { kind: 'dense', in: 2, out: 0 } })
 * r._tag === 'Left' && r.left // '$.inner.out: expected a positive integer, found 0'
 * ```
 *
 * @category registry
 */
export const fromSpecAt = (r: Registry, u: unknown, path: string): Either<string, AnyLayer> => {
  if (!isRecord(u)) return left(`${path}: expected a layer spec (an object with a kind), found ${found(u)}`)
  const kind = u['kind']
  if (typeof kind !== 'string') return left(`${path}.kind: expected a string, found ${found(kind)}`)
  const build = r.layers[kind]
  if (build === undefined) return left(`${path}.kind: expected one of ${Object.keys(r.layers).join(', ')}, found ${found(kind)}`)
  return build(u as LayerSpec, r, path)
}

/**
 * Rebuilds a layer from its spec (for instance one read back from a saved model), using the
 * builders and activations of `r`. The `Left` names where in the spec, what was expected and what
 * was found.
 *
 * @example
 * ```ts
 * import { Activation, Layer } from 'autodiff-ts'
 *
 * const model = Layer.sequential(Layer.dense(4, 8), Layer.activation(Activation.tanh), Layer.dense(8, 1))
 * const rebuilt = Layer.fromSpec(Layer.registry)(JSON.parse(JSON.stringify(model.spec)))
 * rebuilt._tag === 'Right' && rebuilt.right.spec.kind // 'sequential'
 * const bad = Layer.fromSpec(Layer.registry)({ kind: 'dense', in: 0, out: 2 })
 * bad._tag === 'Left' && bad.left // '$.in: expected a positive integer, found 0'
 * ```
 *
 * @category registry
 */
export const fromSpec =
  (r: Registry) =>
  (spec: unknown): Either<string, AnyLayer> =>
    fromSpecAt(r, spec, '$')
