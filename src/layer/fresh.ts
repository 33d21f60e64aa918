/**
 * What the library knows of the memory of its own layers, as marks on the layer objects (frozen,
 * made by the library: a copy or a wrapper made elsewhere is not marked, and a user's own layer is
 * not known to do anything, whatever it does):
 *
 * - fresh parameter gradients: every leaf of the parameter cotangent their pullbacks return (of
 *   `vjp` and of `vjpParams`) is an array made by that call, held by nothing else and by no other
 *   leaf. The dense and activation layers, and a sequential of such layers. `Train.trainStep` lets
 *   the optimizer write the new parameters over such gradients (see `optimizer/consume.ts`);
 * - a borrowed input: the layer reads its input during the call and its pullbacks only, and
 *   nothing it returns shares the input's memory. The dense layer (its output is a fresh sum), and
 *   a sequential whose first layer borrows (the later layers see that layer's fresh output, never
 *   the input). The training loop of `fit` gathers each batch into one array it reuses for such a
 *   model (see `train/machine.ts`).
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

const borrowing = new WeakSet<object>()

/** Marks `layer` as borrowing its input, and returns it. */
export const withBorrowedInput = <L extends object>(layer: L): L => {
  borrowing.add(layer)
  return layer
}

/** Whether `layer` was marked by {@link withBorrowedInput}. */
export const borrowsInput = (layer: object): boolean => borrowing.has(layer)
