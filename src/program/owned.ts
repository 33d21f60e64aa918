/**
 * Which cotangents a reverse-mode sweep over the plain algebra owns: arrays made during the
 * sweep by the library's own primitives, which nobody outside the sweep has seen and no other
 * cotangent shares. The sweep may write over what it owns (accumulating a variable's cotangent
 * in place instead of allocating a sum), and tells which gradients it owns, so that a caller
 * that never hands them out (`Program.trainStep`) may write the new parameters over them; the
 * same bits as without. An owned cotangent that a pullback spends without passing any of its
 * memory on is dead once the sweep is over (`spent`): `Program.trainStep` lends those arrays to
 * the kernels of its next call (`kernels/spares.ts`).
 *
 * Why it is sound: a library primitive's plain pullback returns fresh arrays, or passes on
 * memory it was given (its cotangent `g` itself, a view of it, or one of its arguments or its
 * output). Memory seen outside the sweep (every argument and output the forward pass recorded:
 * the user's parameters and inputs, constants, what the program returned; the output cotangent
 * the caller gave) is never owned; a pullback's result is owned only if it is not that memory,
 * not shared with another of the pullback's results, and, when it is `g`'s memory passed on,
 * only if `g` was. A rule not of the library (`customVjp`, `checkpoint`, `call`, a user's
 * elementwise function) may keep what it is given or return what it keeps, so nothing it
 * returns is owned and the cotangent it is given counts as seen. Uniform tensors (whose data is
 * made when first read, see `ops/uniform.ts`) are never owned.
 *
 * @internal
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { uniformValue } from '../ops/uniform.js'
import { prims } from './table.js'
import type { Prim } from './types.js'

const library = new Set<Prim<unknown>>(Object.values(prims) as Prim<unknown>[])

/** The memory of a tensor, without making a uniform tensor's data (undefined for those). */
const bufferOf = (t: Tensor): ArrayBufferLike | undefined => (uniformValue(t) === undefined ? t.data.buffer : undefined)

/** The ownership of one sweep's cotangents. */
export interface Ownership {
  /** Records the results `gs` of the pullback of `prim` for the cotangent `g`: the ones the sweep owns. */
  readonly claim: (prim: Prim<unknown>, g: Tensor, gs: readonly (Tensor | undefined)[]) => void
  /** Whether the sweep owns `t`'s memory (and may write over it). */
  readonly owns: (t: Tensor) => boolean
  /** `a + b` (equal shapes), written over the operand the sweep owns if it owns one, else fresh (and owned). */
  readonly accumulate: (a: Tensor, b: Tensor, add: (a: Tensor, b: Tensor) => Tensor) => Tensor
  /**
   * The arrays of owned cotangents that pullbacks spent without passing their memory on: no one
   * holds them once the sweep is over (a caller may lend them to the kernels of a later call).
   */
  readonly spent: () => readonly Float64Array[]
}

/**
 * The ownership of a sweep whose forward pass recorded the tensors `seen` (arguments and
 * outputs) and whose output cotangent is `seed`.
 */
export const ownership = (seen: Iterable<Tensor>, seed: Tensor): Ownership => {
  const outside = new Set<ArrayBufferLike>()
  const see = (t: Tensor): void => {
    const b = bufferOf(t)
    if (b !== undefined) outside.add(b)
  }
  for (const t of seen) see(t)
  see(seed)
  const owned = new Set<Tensor>()
  const dead: Float64Array[] = []
  const owns = (t: Tensor): boolean => owned.has(t)
  const claim = (prim: Prim<unknown>, g: Tensor, gs: readonly (Tensor | undefined)[]): void => {
    // g is spent: what of it the results pass on is owned only as they are below
    const gOwned = owned.delete(g)
    if (!library.has(prim)) {
      see(g)
      for (const c of gs) if (c !== undefined) see(c)
      return
    }
    const gb = bufferOf(g)
    const counts = new Map<ArrayBufferLike, number>()
    for (const c of gs) {
      const b = c === undefined ? undefined : bufferOf(c)
      if (b !== undefined) counts.set(b, (counts.get(b) ?? 0) + 1)
    }
    // an owned g whose memory no result holds is dead (a whole buffer of its own: see `wholeArray`)
    if (gOwned && gb !== undefined && !counts.has(gb) && wholeArray(g)) dead.push(g.data as Float64Array)
    for (const c of gs) {
      const b = c === undefined ? undefined : bufferOf(c)
      if (b === undefined || outside.has(b) || counts.get(b) !== 1 || (b === gb && !gOwned)) continue
      owned.add(c!)
    }
  }
  const accumulate = (a: Tensor, b: Tensor, add: (a: Tensor, b: Tensor) => Tensor): Tensor => {
    const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i])
    const into = !same ? undefined : owned.has(a) ? a : owned.has(b) ? b : undefined
    if (into === undefined || uniformValue(a) !== undefined || uniformValue(b) !== undefined) {
      const s = add(a, b)
      const sb = bufferOf(s)
      // a sum the plain algebra made: fresh, unless it handed back an operand
      if (sb !== undefined && !outside.has(sb) && s !== a && s !== b && sb !== bufferOf(a) && sb !== bufferOf(b)) owned.add(s)
      return s
    }
    // the plain algebra's sum, a[i] + b[i], written over the owned operand: the same bits
    const out = into.data as Float64Array
    const x = a.data
    const y = b.data
    for (let i = 0; i < out.length; i++) out[i] = x[i]! + y[i]!
    return into
  }
  return { claim, owns, accumulate, spent: () => dead }
}

/** Whether `t`'s data is a `Float64Array` over the whole of its buffer (not a view into a larger one). */
const wholeArray = (t: Tensor): boolean => t.data instanceof Float64Array && t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength
