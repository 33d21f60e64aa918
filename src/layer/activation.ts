/**
 * Activations as layers without parameters, and the perceptron (a dense layer followed by the
 * step activation).
 *
 * @packageDocumentation
 */
import type { Diff } from '../Diff.js'
import { compose, make as makeDiff } from '../Diff.js'
import * as Act from '../Activation.js'
import type { Tensor } from '../Tensor.js'
import type { DenseOptions, DenseParams } from './dense.js'
import { dense } from './dense.js'
import { isSealed, sealed } from '../diff/sealed.js'
import { withBorrowedInput, withFreshGradients } from './fresh.js'
import type { Layer, NoParams } from './model.js'
import { make } from './model.js'

const noParams: NoParams = Object.freeze([]) as NoParams

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
  // no parameters, so no parameter gradient to share; sealed when its function is
  const layer = withFreshGradients(make<NoParams, Tensor, Tensor>({
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
  }))
  return isSealed(diff) ? sealed(layer) : layer
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
  // its parameter gradients are the dense layer's, and its input goes to the dense layer only; only
  // the library's code runs in it
  return sealed(withBorrowedInput(withFreshGradients(make<DenseParams, Tensor, Tensor>({
    spec: { ...d.spec, kind: 'perceptron' },
    widths: d.widths,
    init: d.init,
    diff: compose(step, d),
    vjpParams: (p, x) => {
      const [z, pbD] = d.vjpParams(p, x)
      const [y, pbS] = step.vjp(z)
      return [y, (dy) => pbD(pbS(dy))]
    },
  }))))
}
