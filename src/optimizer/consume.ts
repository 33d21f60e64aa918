/**
 * Updates that may write the new parameters over the gradients they are given, for a caller that
 * owns those gradients: `Train.trainStep` (and so `fit`), whose gradients come fresh from the
 * model's pullback and are read by nothing but the update. An optimizer offers one by
 * registering it here; the public `Optimizer.update` never writes into its arguments.
 *
 * Why: in W1 (784-128-10, batch 128) the new parameters were 0.8 of the 2.3 MB of fresh arrays a
 * step made, and fresh memory is what drives V8's garbage collector, whose background threads
 * then take the second core from the kernel worker (see `bench/profile/w1-cpu.ts`).
 *
 * @internal
 * @packageDocumentation
 */
import type { Tree } from '../Tree.js'

/** What a consuming update gives: the next state and parameters, and whether every new parameter is finite. */
export interface Consumed<P> {
  /** The optimizer state after the update. */
  readonly state: { readonly step: number; readonly slots: readonly P[] }
  /** The new parameters, whose arrays are the gradients' arrays, written over. */
  readonly params: P
  /**
   * Whether every new parameter is finite; false also when a gradient is not, since then its
   * parameter is not either. When false, the gradients are gone: recompute them to say which.
   */
  readonly finite: boolean
}

/**
 * The update of an optimizer, consuming `grads`: each gradient array holds the new parameter
 * after it (so the caller must own the gradients: no one else may hold them). Undefined, having
 * written nothing, when the gradients cannot be written over (a number leaf, arrays shared
 * between leaves or with the parameters).
 */
export type Consume = <P extends Tree>(
  state: { readonly step: number; readonly slots: readonly P[] }, params: P, grads: P,
) => Consumed<P> | undefined

const consumers = new WeakMap<object, Consume>()

/** Registers `consume` as `optimizer`'s consuming update, and returns the optimizer. */
export const withConsume = <O extends object>(optimizer: O, consume: Consume): O => {
  consumers.set(optimizer, consume)
  return optimizer
}

/** The consuming update registered for `optimizer`, if any (a user's own optimizer has none). */
export const consumeOf = (optimizer: object): Consume | undefined => consumers.get(optimizer)
