/**
 * What every optimizer shares: the checks of its options (a RangeError: a programming mistake,
 * which `fit` turns into a Left) and the walk over the leaves of parameters, gradients and
 * state buffers, each leaf a `Float64Array` (a number leaf as one of length 1).
 *
 * @internal
 * @packageDocumentation
 */
import type { Schedule, LearningRate } from '../Schedule.js'
import * as S from '../Schedule.js'
import { ShapeError } from '../ShapeError.js'
import { wrap } from '../Tensor.js'
import type { ReadonlyFloat64Array } from '../Tensor.js'
import * as T from '../Tree.js'
import type { Leaf, Tree } from '../Tree.js'

// Option checks

/** `x` if it is a number passing `ok`, else a RangeError naming the option, what was expected and what was found. */
export const check = (op: string, name: string, x: unknown, ok: (x: number) => boolean, expected: string): number => {
  if (!(typeof x === 'number' && ok(x))) throw new RangeError(`${op}: expected ${name} to be ${expected}, found ${String(x)}`)
  return x
}
/** A finite number >= 0, checked. */
export const nonNegative = (op: string, name: string, x: unknown): number =>
  check(op, name, x, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0')
/** A number in [0, 1), checked. */
export const inUnit = (op: string, name: string, x: unknown): number =>
  check(op, name, x, (v) => v >= 0 && v < 1, 'a number in [0, 1)')

/** The schedule of a learning rate (a constant one for a number, checked) and how to name it in messages. */
export const scheduleOf = (op: string, lr: LearningRate): readonly [Schedule, string | number] => {
  if (typeof lr === 'function') return [lr, 'schedule']
  check(op, 'lr', lr, (v) => Number.isFinite(v) && v > 0, 'a positive finite number or a schedule')
  return [S.constant(lr), lr]
}

/** The learning rate at `step`, checked to be finite and >= 0. */
export const lrAt = (op: string, schedule: Schedule, step: number): number =>
  check(op, `the learning rate at step ${step}`, schedule(step), (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0')

// Leaves

/** The data of a leaf. */
export type Data = ReadonlyFloat64Array | Float64Array

/** A leaf's data (a number leaf as an array of one). */
export const dataOf = (l: Leaf): Data => (typeof l === 'number' ? Float64Array.of(l) : l.data)
/** A leaf like `like` holding `out`. */
export const rebuild = (like: Leaf, out: Float64Array): Leaf => (typeof like === 'number' ? out[0]! : wrap(like.shape, out))

/** Leaves of params, grads and each slot, after checking that their structures agree. */
export const leavesOf = (op: string, params: Tree, grads: Tree, slots: readonly Tree[], nSlots: number) => {
  T.assertSameStructure(`${op} (gradients vs parameters)`, params, grads)
  if (slots.length !== nSlots)
    throw new ShapeError(`${op}`, `a state with ${nSlots} buffer tree(s), found ${slots.length}`, [])
  slots.forEach((s, i) => T.assertSameStructure(`${op} (state buffer ${i} vs parameters)`, params, s))
  const [ps, def] = T.flatten(params)
  return { ps, def, gs: T.leaves(grads), ss: slots.map(T.leaves) }
}

/** The tree of structure `def` whose leaves are like `like` and hold `outs`. */
export const rebuildAll = <P extends Tree>(def: T.TreeDef, like: readonly Leaf[], outs: readonly Float64Array[]): P =>
  T.unflatten(
    def,
    outs.map((o, i) => rebuild(like[i]!, o)),
  ) as P

/** A frozen optimizer state. */
export const freezeState = <P>(step: number, slots: readonly P[]): { readonly step: number; readonly slots: readonly P[] } =>
  Object.freeze({ step, slots: Object.freeze(slots.slice()) })

