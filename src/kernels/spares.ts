/**
 * Arrays lent to the kernels for the length of one synchronous call: memory that its owner has
 * proved no one holds any more (the training loop's parameters of two steps ago, see
 * `train/machine.ts`), which a result of exactly its length that is written entirely (a matrix
 * product's copy out of Wasm memory) takes instead of a fresh array. To whoever gets it, such an
 * array is as fresh as a new one: no one else holds it, and every element is written.
 *
 * Why: fresh typed arrays are what drives V8's collections in training (every 25 MB or so of
 * them a full one, whose background marking and sweeping take the second core from the kernel
 * worker: `bench/profile/w1-cpu.ts`), and in W1 the weight gradient, 0.8 MB a step, is a product
 * of the size of the weight.
 *
 * @internal
 * @packageDocumentation
 */

let lent: Float64Array[] | undefined

/**
 * Runs `f` with `arrays` lent (no one may hold them, and the caller gives them up), then takes
 * back those not used; calls nest.
 */
export const withSpares = <A>(arrays: readonly Float64Array[], f: () => A): A => {
  const outer = lent
  lent = arrays.slice()
  try {
    return f()
  } finally {
    lent = outer
  }
}

/**
 * An array of `n` doubles that the caller writes entirely before anyone reads it: a lent one of
 * that length if there is one (its contents are garbage), else a fresh one.
 */
export const toOverwrite = (n: number): Float64Array => {
  if (lent !== undefined)
    for (let i = 0; i < lent.length; i++)
      if (lent[i]!.length === n) return lent.splice(i, 1)[0]!
  return new Float64Array(n)
}
