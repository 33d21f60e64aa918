/**
 * The sequential model: layers one after the other, with their widths checked when it is built.
 *
 * @packageDocumentation
 */
import { make as makeDiff } from '../Diff.js'
import { split } from '../Random.js'
import { ShapeError } from '../ShapeError.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { leaves } from '../Tree.js'
import { describeValue } from '../describe.js'
import { isSealed, sealed } from '../diff/sealed.js'
import { borrowsInput, hasFreshGradients, withBorrowedInput, withFreshGradients } from './fresh.js'
import type { AnyLayer, Layer, LayerSpec, NoParams, ParamsOf } from './model.js'
import { describe, make } from './model.js'

/**
 * The parameters of a {@link sequential} model of the layers `Ls`: a record from each layer's
 * index to its parameters, for the layers that have parameters (a layer whose parameters are
 * `NoParams`, such as an activation, has no entry); `NoParams` if none has any. For a list of
 * layers of unknown length, a record of trees.
 *
 * @example
 * ```ts
 * import { Activation, Layer, Random } from 'autodiff-ts'
 *
 * const layers = [Layer.dense(2, 3), Layer.activation(Activation.tanh), Layer.dense(3, 1)] as const
 * const p: Layer.SequentialParams<typeof layers> = Layer.sequential(...layers).init(Random.key(0))
 * Object.keys(p) // ['0', '2']: no entry for the tanh
 * p[2].w.shape // [3, 1]
 * ```
 *
 * @category model
 */
export type SequentialParams<Ls extends readonly AnyLayer[]> = number extends Ls['length']
  ? { readonly [index: string]: Tree }
  : { readonly [K in Exclude<keyof Ls, keyof readonly unknown[]> as ParamsOf<Ls[K]> extends NoParams ? never : K]: ParamsOf<Ls[K]> } extends infer E
    ? keyof E extends never
      ? NoParams
      : E
    : never

/** The parameters of a layer without any, which such a layer receives from a sequential. */
const EMPTY: NoParams = Object.freeze([]) as NoParams

/** Whether `t` holds no number or tensor at all (`[]`, `{}`, `[[], {}]`): a layer without parameters. */
const isEmpty = (t: Tree): boolean => leaves(t).length === 0

/**
 * A sequential's parameters from its layers' parameters, in order: a record keyed by layer index
 * with an entry for each layer that has parameters, or `[]` if none has.
 *
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * Object.keys(byIndex([{ w: tensor([1]) }, [], { w: tensor([2]) }])) // ['0', '2']
 * byIndex([[], []]) // []
 * ```
 * @internal
 */
export const byIndex = (ps: readonly Tree[]): { readonly [index: string]: Tree } | NoParams => {
  const out: { [index: string]: Tree } = {}
  ps.forEach((p, i) => {
    if (!isEmpty(p)) out[i] = p
  })
  return Object.keys(out).length === 0 ? EMPTY : Object.freeze(out)
}

/**
 * The parameters of layer `i` in a sequential's parameters `p`: its entry, or `[]` (a layer
 * without parameters) if it has none.
 *
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * entryOf({ 0: tensor([1]) }, 1) // []
 * ```
 * @internal
 */
export const entryOf = (p: unknown, i: number): Tree =>
  typeof p === 'object' && p !== null && Object.hasOwn(p, i) ? (p as { readonly [index: string]: Tree })[i]! : EMPTY

const inContext = <A>(i: number, spec: LayerSpec, f: () => A): A => {
  try {
    return f()
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`sequential, layer ${i} (${describe(spec)}): ${e.op}`, e.expected, e.shapes)
    throw e
  }
}

/**
 * The layers one after the other: `x => ln(... l1(l0(x)))`.
 *
 * Its parameters are a record keyed by layer index, holding the parameters of each layer that
 * has any: for dense, relu, dense, `{ 0: { w, b }, 2: { w, b } }`. A layer without parameters
 * (one whose `init` gives a tree without any number or tensor, such as an activation's `[]`) has
 * no entry, and receives `[]`; a sequential none of whose layers has parameters is one, with
 * parameters `[]`. So the parameters, their gradients, an optimizer's state and a saved model
 * hold no placeholders, and the key of a layer's parameters is its index in the model, as in its
 * spec (`spec.layers[2]`), in messages (`params[2].w.shape`) and in an ONNX export
 * (`/layers.2/w`). This is PyTorch's naming for `nn.Sequential` (`2.weight`) and Flax's
 * (`layers_2`); an array of only the parameterised layers would renumber them.
 *
 * Neighbouring widths that are known are checked now: a mismatch throws a `ShapeError` naming
 * both layers (index and kind) and both widths. A mismatch that shows up only on application
 * (layers of unknown width) throws a `ShapeError` naming the index and kind of the layer that
 * refused its input; parameters that are not such a record throw a `ShapeError` saying what was
 * expected (an array of version 1's layout included).
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
 * const params = mlp.init(Random.key(0)) // { 0: { w, b }, 2: { w, b } }
 * params[2].w.shape // [128, 10]
 * Layer.sequential(Layer.dense(4, 3), Layer.dense(2, 1)) // throws: layer 1 (dense(2 → 1)) takes width 2, layer 0 gives 3
 * ```
 *
 * @category layers
 */
export const sequential = <const Ls extends readonly AnyLayer[]>(...layers: Ls): Layer<SequentialParams<Ls>> => {
  type P = { readonly [index: string]: Tree } | NoParams
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
  const expected = `a record of the layers' parameters keyed by layer index (${ls.length === 0 ? 'there are no layers' : `among 0 to ${ls.length - 1}`}), or [] if no layer has any`
  const checkParams = (p: P): void => {
    if (typeof p !== 'object' || p === null || (Array.isArray(p) && p.length > 0))
      throw new ShapeError(
        'sequential (parameters)',
        `${expected}, found ${Array.isArray(p) ? `an array of length ${(p as readonly unknown[]).length}` : describeValue(p)}`,
        [],
      )
    for (const k in p)
      if (!(Object.hasOwn(ls, k) && /^\d+$/.test(k)))
        throw new ShapeError('sequential (parameters)', `${expected}, found the key ${JSON.stringify(k)}`, [])
  }
  type Pullback = (dy: Tensor) => readonly [Tree, Tensor]
  /** Layers `from, from + 1, ...` applied to `x` in reverse mode: the output, and their pullbacks (layer `i` at `i - from`). */
  const forward = (p: P, x: Tensor, from: number): readonly [Tensor, readonly Pullback[]] => {
    const pbs: Pullback[] = []
    let y = x
    for (let i = from; i < ls.length; i++) {
      const l = ls[i]!
      const yi = y
      const [yo, pb] = inContext(i, l.spec, () => l.vjp([entryOf(p, i), yi]))
      pbs.push(pb)
      y = yo
    }
    return [y, pbs]
  }
  /**
   * Pulls `dy` back through the pullbacks of layers `from, ...` (from {@link forward}), writing
   * the parameter cotangents of the layers with an entry in `p` into `dps` (which the caller has
   * just allocated), so that they have the structure of `p`; returns the cotangent of layer
   * `from`'s input.
   */
  const backward = (p: P, pbs: readonly Pullback[], dps: { [index: string]: Tree }, dy: Tensor, from: number): Tensor => {
    let g = dy
    for (let i = ls.length - 1; i >= from; i--) {
      const [dpi, dxi] = pbs[i - from]!(g)
      if (Object.hasOwn(p, i)) dps[i] = dpi
      g = dxi
    }
    return g
  }
  const diff = makeDiff<readonly [P, Tensor], Tensor>({
    apply: ([p, x]) => {
      checkParams(p)
      let y = x
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i]!
        const yi = y
        y = inContext(i, l.spec, () => l.apply([entryOf(p, i), yi]))
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
        ;[y, dy] = inContext(i, l.spec, () => l.jvp([entryOf(p, i), yi], [entryOf(dp, i), dyi]))
      }
      return [y, dy]
    },
    vjp: ([p, x]) => {
      checkParams(p)
      const [y, pbs] = forward(p, x, 0)
      return [
        y,
        (dy) => {
          const dps: { [index: string]: Tree } = {}
          const g = backward(p, pbs, dps, dy, 0)
          return [Array.isArray(p) ? EMPTY : Object.freeze(dps), g]
        },
      ]
    },
  })
  const vjpParams = (p: P, x: Tensor): readonly [Tensor, (dy: Tensor) => P] => {
    checkParams(p)
    if (ls.length === 0) return [x, () => EMPTY]
    const l0 = ls[0]!
    const [y0, pb0] = inContext(0, l0.spec, () => l0.vjpParams(entryOf(p, 0), x))
    const [y, pbs] = forward(p, y0, 1)
    return [
      y,
      (dy) => {
        const dps: { [index: string]: Tree } = {}
        const dp0 = pb0(backward(p, pbs, dps, dy, 1))
        if (Object.hasOwn(p, 0)) dps[0] = dp0
        return Array.isArray(p) ? EMPTY : Object.freeze(dps)
      },
    ]
  }
  const model = make<P, Tensor, Tensor>({
    diff,
    spec: { kind: 'sequential', layers: ls.map((l) => l.spec) },
    widths: { in: modelIn, out: ls.length === 0 ? 'same' : sameSoFar && width === null ? 'same' : width },
    init: (key) => {
      const ks = split(key, ls.length)
      return byIndex(ls.map((l, i) => l.init(ks[i]!) as Tree))
    },
    vjpParams,
  })
  // its parameter gradients are its layers' (each layer's pullback runs once per call); only its
  // first layer sees its input
  if (ls.every(hasFreshGradients)) withFreshGradients(model)
  if (ls.length > 0 && borrowsInput(ls[0]!)) withBorrowedInput(model)
  // only its layers' code runs in it, and it keeps nothing of theirs
  if (ls.every(isSealed)) sealed(model)
  return model as unknown as Layer<SequentialParams<Ls>>
}
