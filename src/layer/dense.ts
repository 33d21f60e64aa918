/**
 * The dense (fully connected) layer `x W + b`, its parameters, options and weight initialisers.
 *
 * @packageDocumentation
 */
import type { Diff } from '../Diff.js'
import { make as makeDiff } from '../Diff.js'
import { add } from '../ops/arithmetic.js'
import { matmul } from '../ops/linalg.js'
import { bindLeft } from '../ops/Primitive.js'
import type { Key } from '../Random.js'
import { glorotNormal, glorotUniform, heNormal, heUniform } from '../Random.js'
import { ShapeError } from '../ShapeError.js'
import type { Tensor } from '../Tensor.js'
import { wrap, zeros } from '../Tensor.js'
import { sumToShape } from '../kernels/broadcast.js'
import { sealed } from '../diff/sealed.js'
import { withBorrowedInput, withFreshGradients } from './fresh.js'
import type { Layer } from './model.js'
import { make } from './model.js'

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

/**
 * The weight initialisers of {@link dense} by name (also how the registry validates a spec's `init`).
 *
 * @internal
 */
export const inits: { readonly [K in Init]: (key: Key, shape: readonly [number, number]) => Tensor } = {
  glorot: (k, s) => glorotUniform(k, s),
  glorotNormal: (k, s) => glorotNormal(k, s),
  he: (k, s) => heUniform(k, s),
  heNormal: (k, s) => heNormal(k, s),
  zeros: (_k, s) => zeros(s),
}

/**
 * `xw + b` (`b` along the last axis), for a product `xw` just made by `matmul`, which no one else
 * holds (its pullback reads `x` and `w`, never its output): the bias is added over the product's
 * own array, with `add`'s additions (the same bits), one fresh array fewer a call.
 */
const plusBias = (xw: Tensor, b: Tensor): Tensor => {
  const out = xw.data as Float64Array
  const bias = b.data
  const n = bias.length
  for (let o = 0; o < out.length; o += n) for (let j = 0; j < n; j++) out[o + j] = out[o + j]! + bias[j]!
  return xw
}

/** The bias's cotangent: `dy` summed over the batch, as `add`'s pullback sums a broadcast operand. */
const biasGradient = (dy: Tensor): Tensor => {
  const n = dy.shape[dy.shape.length - 1]!
  return wrap([n], sumToShape(dy.data, dy.shape, [n]))
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
 * from the `matmul` and `add` primitives (the bias added over the product's own array); its
 * `vjpParams` computes `xᵀ g` and the column sums of `g` without the input gradient.
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
          return plusBias(matmul.apply([x, p.w]), p.b)
        },
        jvp: ([p, x], [dp, dx]) => {
          check(p, x)
          const [xw, dxw] = matmul.jvp([x, p.w], [dx, dp.w])
          return add.jvp([xw, p.b], [dxw, dp.b])
        },
        vjp: ([p, x]) => {
          check(p, x)
          const [xw, pbMul] = matmul.vjp([x, p.w])
          return [
            plusBias(xw, p.b),
            (dy) => {
              const [dx, dw] = pbMul(dy)
              return [Object.freeze({ w: dw, b: biasGradient(dy) }), dx]
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
    return [plusBias(xw, p.b), (dy) => Object.freeze({ w: pbW(dy), b: biasGradient(dy) })]
  }
  // its parameter gradients are products and column sums made by each pullback call; its output
  // is a fresh sum, and only its pullbacks hold the input; only the library's kernels run in it
  return sealed(withBorrowedInput(withFreshGradients(make<P, Tensor, Tensor>({
    diff,
    spec: { kind: 'dense', in: nIn, out: nOut, init, bias },
    widths: { in: nIn, out: nOut },
    init: (key) => {
      const w = inits[init](key, [nIn, nOut])
      return Object.freeze(bias ? { w, b: zeros([nOut]) } : ({ w } as P))
    },
    vjpParams,
  }))))
}
