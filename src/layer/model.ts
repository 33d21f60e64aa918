/**
 * The layer model: the {@link Layer} interface (a parameterised `Diff` with its spec, widths and
 * initialiser), the JSON data a spec is made of, {@link make} (a layer from its parts) and
 * {@link describe}.
 *
 * @packageDocumentation
 */
import type { Diff } from '../Diff.js'
import type { Key } from '../Random.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'

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
