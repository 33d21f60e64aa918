/**
 * Gradients that an optimizer may take over, and the update that takes them (JAX's
 * `donate_argnums`): tensors the library made for its caller and holds nowhere else (the
 * gradients `Program.grad` and `Program.valueAndGrad` return, where the reverse sweep made them:
 * see `program/owned.ts`), marked when returned. `Optimizer.donateGrads` writes the new
 * parameters over marked gradients only, and spends their marks, so that memory is never written
 * over twice (a parameter it returned is never a gradient it may write over).
 *
 * @internal
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import * as T from '../Tree.js'
import type { Tree } from '../Tree.js'
import type { Consume } from './consume.js'

/** A donatable tensor's mark: spent once its memory has been written over. */
interface Mark {
  spent: boolean
}
const MARK: unique symbol = Symbol('autodiff-ts/donatable')

/**
 * `t`, which the library made and holds nowhere else, as a tensor marked donatable: the same shape
 * and data, with the mark out of sight (as a uniform tensor's value is; a mark in a weak set
 * would keep the garbage collector's tables growing every step).
 */
export const markDonatable = (t: Tensor): Tensor => {
  const marked = { shape: t.shape, data: t.data }
  Object.defineProperty(marked, MARK, { value: { spent: false } satisfies Mark })
  return Object.freeze(marked)
}

/** Whether `t` is marked donatable and not yet spent. */
export const isDonatable = (t: Tensor): boolean => (t as { [MARK]?: Mark })[MARK]?.spent === false

/** Spends `t`'s mark (its memory has been, or is being, written over). */
const spend = (t: Tensor): void => {
  const m = (t as { [MARK]?: Mark })[MARK]
  if (m !== undefined) m.spent = true
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
  if (gs.length > 0 && gs.every((g) => typeof g !== 'number' && isDonatable(g))) {
    const consumed = consume(state, params, grads)
    if (consumed !== undefined) {
      for (const g of gs) spend(g as Tensor)
      return [consumed.state, consumed.params]
    }
  }
  return update(state, params, grads)
}
