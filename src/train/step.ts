/**
 * One gradient computation and one training step: the loss of a model on a batch and its
 * gradient with respect to the parameters ({@link lossAndGrad}), and the optimizer's update on
 * top of it ({@link trainStep}).
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import type { Layer } from '../Layer.js'
import type { Optimizer, OptimizerState } from '../Optimizer.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { hasFreshGradients } from '../layer/fresh.js'
import { consumeOf } from '../optimizer/consume.js'
import { firstNonFinite } from './finite.js'
import type { LossFn, Targets } from './types.js'

/** The loss, the output and the parameter gradient, by one reverse pass in the parameters only. */
const forwardBackward = <P extends Tree, Y extends Targets>(
  model: Layer<P, Tensor, Tensor>,
  loss: LossFn<Y>,
  params: P,
  x: Tensor,
  y: Y,
): { readonly value: number; readonly output: Tensor; readonly grads: () => P } => {
  const [output, pbModel] = model.vjpParams(params, x)
  const [value, pbLoss] = loss(y).vjp(output)
  return { value, output, grads: () => pbModel(pbLoss(1)) }
}

/**
 * The loss of `model` on a batch and its gradient with respect to the parameters, by one reverse
 * pass in the parameters only (the input is held constant). Curried on the model and the loss, as
 * JAX's `value_and_grad`: `lossAndGrad(model, loss)(params, x, y)` gives `[loss, grads]`, and
 * `grads` has exactly the structure of `params` (the same tree: `[]` where `params` has `[]`, as
 * for an activation layer inside `Layer.sequential`).
 *
 * @throws ShapeError if the batch does not fit the model (a programming mistake).
 * @example
 * ```ts
 * import { Layer, Loss, Train, tensor } from 'autodiff-ts'
 *
 * const model = Layer.dense(1, 1)
 * const params = { w: tensor([[2]]), b: tensor([0]) }
 * const [loss, grads] = Train.lossAndGrad(model, Loss.mse)(params, tensor([[1], [2]]), tensor([[1], [2]]))
 * loss // 2.5: the mean of (2 - 1)^2 and (4 - 2)^2
 * [...grads.w.data] // [5]: the mean of 2 (2x - y) x
 * [...grads.b.data] // [3]
 * ```
 *
 * @category training
 */
export const lossAndGrad =
  <P extends Tree, Y extends Targets>(model: Layer<P, Tensor, Tensor>, loss: LossFn<Y>) =>
  (params: P, x: Tensor, y: Y): readonly [number, P] => {
    const r = forwardBackward(model, loss, params, x, y)
    return [r.value, r.grads()]
  }

/**
 * A step that produced something non-finite: what, where (`$` for the loss) and the value.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const f: Train.StepFailure = { what: 'gradient', path: '$.w[0, 1]', value: NaN }
 * ```
 *
 * @category model
 */
export interface StepFailure {
  /** What was not finite. */
  readonly what: 'loss' | 'gradient' | 'parameters'
  /** The path of the offending element (`$` for the loss). */
  readonly path: string
  /** The offending value. */
  readonly value: number
}

/**
 * A step that went through: the batch's loss and the model's output (before the update), and
 * the new state and parameters.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const lossOf = (s: Train.StepSuccess<unknown>) => s.loss
 * ```
 *
 * @category model
 */
export interface StepSuccess<P> {
  /** The batch's loss before the update. */
  readonly loss: number
  /** The model's output on the batch before the update. */
  readonly output: Tensor
  /** The optimizer state after the update. */
  readonly state: OptimizerState<P>
  /** The parameters after the update. */
  readonly params: P
}

/**
 * The outcome of one training step.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const ok = (r: Train.StepResult<unknown>) => r._tag === 'Right'
 * ```
 *
 * @category model
 */
export type StepResult<P> = Either<StepFailure, StepSuccess<P>>

/**
 * One training step on one batch, a pure function: the model's output, the loss and the gradient
 * as {@link lossAndGrad} computes them, then the optimizer's update. A non-finite loss, gradient
 * or updated parameter is returned as a `Left` naming it. (The gradients stay inside the step, so
 * for the library's own layers and SGD the new parameters are written over them, and checked for
 * being finite in the same pass: fewer fresh arrays, the same bits.)
 *
 * @throws ShapeError if the batch does not fit the model (a programming mistake).
 * @example
 * ```ts
 * import { Layer, Loss, Optimizer, Random, Train, tensor } from 'autodiff-ts'
 *
 * const model = Layer.dense(2, 1)
 * const opt = Optimizer.sgd({ lr: 0.1 })
 * const step = Train.trainStep(model, Loss.mse, opt)
 * const p = model.init(Random.key(0))
 * const r = step(opt.init(p), p, tensor([[1, 2]]), tensor([[3]]))
 * r._tag // 'Right'
 * ```
 *
 * @category training
 */
export const trainStep = <P extends Tree, Y extends Targets>(model: Layer<P, Tensor, Tensor>, loss: LossFn<Y>, optimizer: Optimizer) => {
  // the gradients never leave a step: where the model's are fresh arrays, the update may consume them
  const consume = hasFreshGradients(model) ? consumeOf(optimizer) : undefined
  return (state: OptimizerState<P>, params: P, x: Tensor, y: Y): StepResult<P> => {
    const { value, output, grads: pullback } = forwardBackward(model, loss, params, x, y)
    if (!Number.isFinite(value)) return left({ what: 'loss', path: '$', value })
    const grads = pullback()
    const consumed = consume?.(state, params, grads)
    if (consumed?.finite === true) return right({ loss: value, output, state: consumed.state, params: consumed.params })
    // something is not finite (the pullback, called again, gives the same gradients to say what), or nothing was consumed
    const gs = consumed === undefined ? grads : pullback()
    const badGrad = firstNonFinite(gs)
    if (badGrad !== undefined) return left({ what: 'gradient', ...badGrad })
    const [s, p] = optimizer.update(state, params, gs)
    const badParam = firstNonFinite(p)
    if (badParam !== undefined) return left({ what: 'parameters', ...badParam })
    return right({ loss: value, output, state: s, params: p })
  }
}
