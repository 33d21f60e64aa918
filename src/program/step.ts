/**
 * A training step of a program: its gradient, then an optimizer's update, in one function that
 * never hands the gradients out, so that the update may write the new parameters over them (as a
 * jitted JAX step reuses the buffers of the gradients it made and dropped); the arrays of the
 * cotangents its sweep spent are lent to the kernels of the next step (`program/owned.ts`).
 *
 * @packageDocumentation
 */
import type { Optimizer, OptimizerState } from '../Optimizer.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { giveUp, takeUp, withSpares } from '../kernels/spares.js'
import { consumeOf } from '../optimizer/consume.js'
import { plain } from './plain.js'
import type { AtTensor, Nested, Tail } from './transforms.js'
import { one, vjpArgs } from './transforms.js'
import { leavesOf } from './trees.js'

/**
 * What one step of {@link trainStep} gives: the program's value at the parameters it was given,
 * and the optimizer's next state and parameters.
 *
 * @example
 * ```ts
 * import type { Program, Tensor } from 'autodiff-ts'
 *
 * const next = (s: Program.Step<{ w: Tensor }>): { w: Tensor } => s.params
 * ```
 * @category transformations
 */
export interface Step<P> {
  /** The program's value (one number) at the parameters the step was given. */
  readonly value: Tensor
  /** The optimizer's state after the update. */
  readonly state: OptimizerState<P>
  /** The updated parameters. */
  readonly params: P
}

/**
 * `trainStep(f, optimizer)(state, params, ...rest)`: one training step of the program `f` (which
 * returns one number), `optimizer.update(state, params, grad(f)(params, ...rest))`, and `f`'s
 * value. The gradients never leave the step, so where the reverse sweep made every one of them
 * and holds them nowhere else (no custom rule's, no `call`'s), an optimizer that can (`sgd`)
 * writes the new parameters over them: one fresh array fewer per parameter, the same bits.
 * Nothing you hold is written: not your parameters, your inputs, nor anything returned before.
 *
 * @example
 * ```ts
 * import { Optimizer, Program, Random } from 'autodiff-ts'
 *
 * const loss = <T>(A: Program.Algebra<T>) => (p: { w: T; b: T }, x: T, labels: readonly number[]): T =>
 *   A.softmaxCrossEntropy(A.add(A.matmul(x, p.w), p.b), labels)
 * const step = Program.trainStep(loss, Optimizer.sgd({ lr: 0.1 }))
 *
 * let p = { w: Random.uniform(Random.key(0), [4, 3]), b: Random.uniform(Random.key(1), [3]) }
 * let state = Optimizer.sgd({ lr: 0.1 }).init(p)
 * const x = Random.uniform(Random.key(2), [8, 4])
 * for (let i = 0; i < 10; i++) ({ state, params: p } = step(state, p, x, [0, 1, 2, 0, 1, 2, 0, 1]))
 * state.step // 10
 * ```
 * @category transformations
 */
export const trainStep = <Args extends readonly [unknown, ...unknown[]]>(f: AtTensor<Args>, optimizer: Optimizer) => {
  const consume = consumeOf(optimizer)
  const run = (state: OptimizerState<Args[0]>, params: Args[0], rest: Tail<Args>): readonly [Step<Args[0]>, readonly Float64Array[]] => {
    const args = [params, ...rest]
    const [value, back, owns, spent] = vjpArgs(plain, 'trainStep', f as unknown as Nested<Tensor>, args, args.map((_, i) => i === 0))
    const grads = back(one(plain, 'trainStep', value))[0] as Tree
    const s = state as OptimizerState<Tree>
    const gs = leavesOf(grads, plain.is)
    if (consume !== undefined && gs.length > 0 && gs.every(owns)) {
      const consumed = consume(s, params as Tree, grads)
      if (consumed !== undefined) return [{ value, state: consumed.state as OptimizerState<Args[0]>, params: consumed.params as Args[0] }, spent()]
    }
    const [next, p] = optimizer.update(s, params as Tree, grads)
    return [{ value, state: next as OptimizerState<Args[0]>, params: p as Args[0] }, spent()]
  }
  // the kernels of a step take the arrays of the cotangents the sweeps before it spent (dead: see
  // owned.ts) instead of fresh ones, as `fit`'s loop lends its own (kernels/spares.ts)
  return (state: OptimizerState<Args[0]>, params: Args[0], ...rest: Tail<Args>): Step<Args[0]> => {
    const lent = withSpares(takeUp(), () => run(state, params, rest))
    const [step, spent] = lent.value
    giveUp([...lent.unused, ...spent])
    return step
  }
}
