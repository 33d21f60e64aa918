/**
 * The library's own functions that keep nothing, as marks on the objects (made by the library: a
 * copy, a wrapper or a user's own function is not marked, whatever it does). A sealed function
 * (a `Diff`, a layer, a loss function) runs only the library's code, and every array allocated
 * by a call of it is held, once the call has returned, only by what the call returned (its
 * value, and the pullbacks it returned with their own results): nothing is kept in a cache, a
 * module or a callback, and no user code sees any of it.
 *
 * So a caller that runs only sealed functions and then drops what they returned except some
 * values knows that every other array they allocated is held by no one: the training loop lends
 * those to its next step (`train/machine.ts`, `kernels/spares.ts`).
 *
 * Marked: the built-in activations' `diff`s (`activation/pointwise.ts`); the dense layer, an
 * activation layer of a sealed `diff`, the perceptron and a sequential of sealed layers
 * (`layer/`); the losses `mse`, `binaryCrossEntropyWithLogits` and `softmaxCrossEntropy`
 * (`Loss.ts`).
 *
 * @internal
 * @packageDocumentation
 */

const marked = new WeakSet<object>()

/** Marks `f` as keeping nothing (see above), and returns it. */
export const sealed = <F extends object>(f: F): F => {
  marked.add(f)
  return f
}

/** Whether `f` was marked by {@link sealed}. */
export const isSealed = (f: object): boolean => marked.has(f)
