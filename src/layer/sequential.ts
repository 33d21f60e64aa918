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
import type { AnyLayer, Layer, LayerSpec, ParamsOf } from './model.js'
import { describe, make } from './model.js'

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
  type Pullback = (dy: Tensor) => readonly [Tree, Tensor]
  /** Layers `from, from + 1, ...` applied to `x` in reverse mode: the output, and their pullbacks (layer `i` at `i - from`). */
  const forward = (p: P, x: Tensor, from: number): readonly [Tensor, readonly Pullback[]] => {
    const pbs: Pullback[] = []
    let y = x
    for (let i = from; i < ls.length; i++) {
      const l = ls[i]!
      const yi = y
      const [yo, pb] = inContext(i, l.spec, () => l.vjp([p[i], yi]))
      pbs.push(pb)
      y = yo
    }
    return [y, pbs]
  }
  /**
   * Pulls `dy` back through the pullbacks of layers `from, ...` (from {@link forward}), writing
   * their parameter cotangents into `dps` (which the caller has just allocated); returns the
   * cotangent of layer `from`'s input.
   */
  const backward = (pbs: readonly Pullback[], dps: Tree[], dy: Tensor, from: number): Tensor => {
    let g = dy
    for (let i = ls.length - 1; i >= from; i--) {
      const [dpi, dxi] = pbs[i - from]!(g)
      dps[i] = dpi
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
      const [y, pbs] = forward(p, x, 0)
      return [
        y,
        (dy) => {
          const dps = new Array<Tree>(ls.length)
          const g = backward(pbs, dps, dy, 0)
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
    const [y, pbs] = forward(p, y0, 1)
    return [
      y,
      (dy) => {
        const dps = new Array<Tree>(ls.length)
        dps[0] = pb0(backward(pbs, dps, dy, 1))
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
