/**
 * Arrays lent to the kernels for the length of one synchronous call: memory that its owner has
 * proved no one holds any more (see `train/machine.ts`), which a result of exactly its length that
 * is written entirely (a matrix product's copy out of Wasm memory, an elementwise pass, a loss's
 * gradient) takes instead of a fresh array. To whoever gets it, such an array is as fresh as a new
 * one: no one else holds it, and every element is written.
 *
 * A call run by {@link withSpares} also learns which arrays the kernels handed out inside it (lent
 * or fresh), so that a caller who knows that nothing inside the call kept any of them (the
 * training loop, for the library's own layers and losses: `diff/sealed.ts`) can lend those not in
 * what it keeps to its next call. Arrays a training loop gives up when it ends wait in
 * {@link giveUp}'s pool until the next one starts, at the latest until the current job (the
 * synchronous run of code before the next microtask) ends: nothing is held after that.
 *
 * Why: fresh typed arrays are what drives V8's collections in training (their external memory
 * starts a full collection every few tens of MB, whose background marking and sweeping take the
 * second core from the kernel worker: `bench/profile/w1-cpu.ts`, `w1-suite.ts`).
 *
 * @internal
 * @packageDocumentation
 */

/** The arrays a call may take, and those the kernels handed out in it. */
interface Scope {
  readonly lent: Float64Array[]
  readonly made: Float64Array[]
}

let scope: Scope | undefined

/** What {@link withSpares} gives: the call's value, the arrays handed out in it, and the lent arrays not taken. */
export interface Lending<A> {
  readonly value: A
  /** Every array {@link toOverwrite} handed out during the call (lent or fresh), each once. */
  readonly made: readonly Float64Array[]
  /** The lent arrays no kernel took (still the caller's, untouched). */
  readonly unused: readonly Float64Array[]
}

/**
 * Runs `f` with `arrays` lent (no one may hold them, and the caller gives them up until `f`
 * returns), and tells which arrays the kernels handed out in it. Calls nest: an inner call's
 * arrays are reported to its own caller only.
 */
export const withSpares = <A>(arrays: readonly Float64Array[], f: () => A): Lending<A> => {
  const outer = scope
  const inner: Scope = { lent: arrays.slice(), made: [] }
  scope = inner
  try {
    return { value: f(), made: inner.made, unused: inner.lent }
  } finally {
    scope = outer
  }
}

/**
 * An array of `n` doubles that the caller writes entirely before anyone reads it: a lent one of
 * that length if there is one (its contents are garbage), else a fresh one.
 */
export const toOverwrite = (n: number): Float64Array => {
  const s = scope
  if (s === undefined) return new Float64Array(n)
  const a = takeOne(s.lent, n)
  s.made.push(a)
  return a
}

/** At most this many arrays wait in the pool (the oldest go first). */
const POOL = 64
let pool: Float64Array[] = []
let clearing = false

/**
 * Gives up `arrays`, which no one holds any more, to the next training loop that starts before
 * the current job ends ({@link takeUp}); after that the pool lets them go.
 */
export const giveUp = (arrays: readonly Float64Array[]): void => {
  pool.push(...arrays)
  if (pool.length > POOL) pool = pool.slice(pool.length - POOL)
  if (!clearing) {
    clearing = true
    void Promise.resolve().then(() => {
      pool = []
      clearing = false
    })
  }
}

/** Takes every array waiting in the pool (the caller owns them now). */
export const takeUp = (): Float64Array[] => {
  const all = pool
  pool = []
  return all
}

/** One array of length `n` from `arrays` (removed from it), or a fresh one. */
export const takeOne = (arrays: Float64Array[], n: number): Float64Array => {
  const i = arrays.findIndex((a) => a.length === n)
  return i < 0 ? new Float64Array(n) : arrays.splice(i, 1)[0]!
}
