/**
 * Layers whose parameter gradients are fresh: every leaf of the parameter cotangent their
 * pullbacks return (of `vjp` and of `vjpParams`) is an array made by that call, held by nothing
 * else and by no other leaf. The built-in dense and activation layers are, and a sequential of
 * such layers; a user's own layer is not known to be, whatever it does. `Train.trainStep` lets
 * the optimizer write the new parameters over such gradients (see `optimizer/consume.ts`), and
 * only over such.
 *
 * The mark is on the layer object itself (frozen, made by the library): a copy or a wrapper made
 * elsewhere is not marked.
 *
 * @internal
 * @packageDocumentation
 */

const fresh = new WeakSet<object>()

/** Marks `layer` as giving fresh parameter gradients, and returns it. */
export const withFreshGradients = <L extends object>(layer: L): L => {
  fresh.add(layer)
  return layer
}

/** Whether `layer` was marked by {@link withFreshGradients}. */
export const hasFreshGradients = (layer: object): boolean => fresh.has(layer)
