/**
 * Gradients that an optimizer may take over, and the update that takes them (JAX's `donate_argnums`): tensors the library made for its caller and holds
 * nowhere else (the gradients `Program.grad` and `Program.valueAndGrad` return, where the
 * reverse sweep made them: see `program/owned.ts`), marked when returned. `Optimizer.donateGrads`
 * writes the new parameters over marked gradients only, and takes the mark away, so that memory
 * is never written over twice (a parameter it returned is never a gradient it may write over).
 *
 * @internal
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import * as T from '../Tree.js'
import type { Tree } from '../Tree.js'
import type { Consume } from './consume.js'

const donatable = new WeakSet<Tensor>()

/** Marks `t`, which the library made and holds nowhere else, as donatable; returns it. */
export const markDonatable = (t: Tensor): Tensor => {
  donatable.add(t)
  return t
}

/** Whether `t` is marked donatable. */
export const isDonatable = (t: Tensor): boolean => donatable.has(t)

/** Takes away `t`'s mark (its memory has been, or is being, written over). */
export const unmarkDonatable = (t: Tensor): void => {
  donatable.delete(t)
}

/** An optimizer's update (the `Optimizer` interface's, structurally). */
type Update = <P extends Tree>(
  state: { readonly step: number; readonly slots: readonly P[] }, params: P, grads: P,
) => readonly [{ readonly step: number; readonly slots: readonly P[] }, P]

/**
 * `update` that, when every gradient is donatable, writes the new parameters over them with
 * `consume` (the same bits) and takes their marks away; `update` itself otherwise.
 */
export const donating = (update: Update, consume: Consume): Update => (state, params, grads) => {
  const gs = T.leaves(grads)
  if (gs.length > 0 && gs.every((g) => typeof g !== 'number' && donatable.has(g))) {
    const consumed = consume(state, params, grads)
    if (consumed !== undefined) {
      for (const g of gs) donatable.delete(g as Tensor)
      return [consumed.state, consumed.params]
    }
  }
  return update(state, params, grads)
}
