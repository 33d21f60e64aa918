/**
 * Optimizers as pure state transitions over parameter trees:
 * `update(state, params, grads) => [state, params]`, with PyTorch's update formulas
 * (`torch.optim.SGD` with and without momentum, `Adam`, `AdamW`), so a trajectory here follows
 * PyTorch's in float64 to rounding.
 *
 * The state is plain data: the number of updates made so far and a list of trees shaped like the
 * parameters (none for SGD, the momentum buffer for momentum, the two moments for Adam), so it
 * can be saved and restored like the parameters. Nothing is mutated: every update allocates new
 * leaves. (Only inside `Train.trainStep`, whose gradients no one else holds, may SGD write the new
 * parameters over the gradients: see `optimizer/consume.ts`.)
 *
 * @packageDocumentation
 */
import { elementwiseFor } from './kernels/backend.js'
import { MIN_UPDATE_ELEMENTS } from './kernels/wasm/elementwise.js'
import type { Consume } from './optimizer/consume.js'
import { withConsume } from './optimizer/consume.js'
import type { Data } from './optimizer/leaves.js'
import { dataOf, freezeState, inUnit, leavesOf, lrAt, nonNegative, rebuildAll, scheduleOf } from './optimizer/leaves.js'
import type { Tensor } from './Tensor.js'
import * as T from './Tree.js'
import type { Tree } from './Tree.js'
import type { LearningRate, Schedule } from './Schedule.js'

/**
 * The state of an optimizer for parameters of type `P`: the number of updates already made and
 * the optimizer's per-parameter buffers, each a tree of the structure of the parameters.
 *
 * @category model
 */
export type OptimizerState<P> = {
  /** The number of updates made so far (PyTorch's `state['step']`). */
  readonly step: number
  /** Buffers shaped like the parameters: `[]` for SGD, `[buf]` for momentum, `[m, v]` (and `vMax`) for Adam. */
  readonly slots: readonly P[]
}

/**
 * An optimizer: how to make its initial state for some parameters, and one update.
 *
 * @category model
 */
export interface Optimizer {
  /** The optimizer's name and hyperparameters, as plain data (the learning rate as `'schedule'` when it is a function). */
  readonly config: {
    /** `'sgd'`, `'momentum'`, `'adam'` or `'adamw'`. */
    readonly kind: string
    readonly [k: string]: string | number | boolean
  }
  /** The initial state for `params`: step 0 and zero buffers. */
  readonly init: <P extends Tree>(params: P) => OptimizerState<P>
  /**
   * One update: the next state and the next parameters, from the gradients of the loss with
   * respect to `params` (a tree of the same structure).
   *
   * @throws ShapeError naming the path if `grads` or the state's buffers differ in structure from `params`.
   */
  readonly update: <P extends Tree>(state: OptimizerState<P>, params: P, grads: P) => readonly [OptimizerState<P>, P]
}

// ---------------------------------------------------------------------------------------------
// SGD (with optional momentum, dampening, Nesterov and weight decay)

/**
 * Options of {@link sgd}.
 *
 * @category optimizers
 */
export interface SgdOptions {
  /** The learning rate: a positive number or a schedule of the step. */
  readonly lr: LearningRate
  /** L2 penalty added to the gradient, `g + weightDecay p` (PyTorch's `weight_decay`); default 0. */
  readonly weightDecay?: number
}

/**
 * Options of {@link momentum}.
 *
 * @category optimizers
 */
export interface MomentumOptions extends SgdOptions {
  /** The momentum factor `mu` in [0, 1); default 0.9. */
  readonly momentum?: number
  /** Dampening `d` in [0, 1) of the gradient in the buffer update; default 0. */
  readonly dampening?: number
  /** Nesterov momentum: step along `g + mu buf` instead of `buf`; default false. */
  readonly nesterov?: boolean
}

const sgdLike = (op: string, options: MomentumOptions, useMomentum: boolean): Optimizer => {
  const [schedule, lrConfig] = scheduleOf(op, options.lr)
  const wd = nonNegative(op, 'weightDecay', options.weightDecay ?? 0)
  const mu = useMomentum ? inUnit(op, 'momentum', options.momentum ?? 0.9) : 0
  const damp = useMomentum ? inUnit(op, 'dampening', options.dampening ?? 0) : 0
  const nesterov = options.nesterov ?? false
  if (nesterov && (mu === 0 || damp !== 0))
    throw new RangeError(`${op}: Nesterov momentum needs a positive momentum and zero dampening, found momentum ${mu} and dampening ${damp}`)
  const nSlots = useMomentum ? 1 : 0
  const config = useMomentum
    ? { kind: 'momentum', lr: lrConfig, weightDecay: wd, momentum: mu, dampening: damp, nesterov }
    : { kind: 'sgd', lr: lrConfig, weightDecay: wd }
  const optimizer: Optimizer = Object.freeze({
    config: Object.freeze(config),
    init: <P extends Tree>(params: P): OptimizerState<P> =>
      freezeState(0, useMomentum ? [T.zeros(params)] : []),
    update: <P extends Tree>(state: OptimizerState<P>, params: P, grads: P): readonly [OptimizerState<P>, P] => {
      const lr = lrAt(op, schedule, state.step)
      const { ps, def, gs, ss } = leavesOf(op, params, grads, state.slots, nSlots)
      const first = state.step === 0
      const newP: Float64Array[] = []
      const newB: Float64Array[] = []
      for (let l = 0; l < ps.length; l++) {
        const p = dataOf(ps[l]!)
        const g = dataOf(gs[l]!)
        if (!useMomentum) {
          newP.push(sgdLeaf(p, g, lr, wd)[0])
          continue
        }
        const n = p.length
        const out = new Float64Array(n)
        const b = dataOf(ss[0]![l]!)
        const nb = new Float64Array(n)
        for (let i = 0; i < n; i++) {
          const d = wd === 0 ? g[i]! : g[i]! + wd * p[i]!
          const buf = first ? d : mu * b[i]! + (1 - damp) * d
          nb[i] = buf
          out[i] = p[i]! - lr * (nesterov ? d + mu * buf : buf)
        }
        newB.push(nb)
        newP.push(out)
      }
      const slots = useMomentum ? [rebuildAll<P>(def, ps, newB)] : []
      return [freezeState(state.step + 1, slots), rebuildAll<P>(def, ps, newP)]
    },
  })
  return useMomentum ? optimizer : withConsume(optimizer, sgdConsume(op, schedule, wd))
}

/**
 * The SGD step of one leaf, `p - lr (g + wd p)`: a fresh array, or `into` (which may be `g`), and
 * whether every result is finite. The Wasm update repeats this loop's operations (same bits), and
 * writes its result with one copy.
 */
const sgdLeaf = (p: Data, g: Data, lr: number, wd: number, into?: Float64Array): readonly [Float64Array, boolean] => {
  const n = p.length
  const w = elementwiseFor(n, MIN_UPDATE_ELEMENTS)
  if (w !== undefined) return w.sgd(p, g, lr, wd, into)
  const out = into ?? new Float64Array(n)
  let nonFinite = 0 // x * 0 is NaN exactly for NaN and +-Infinity
  for (let i = 0; i < n; i++) {
    const d = wd === 0 ? g[i]! : g[i]! + wd * p[i]!
    const r = p[i]! - lr * d
    out[i] = r
    nonFinite += r * 0
  }
  return [out, nonFinite === 0]
}

/** SGD writing each new parameter over its gradient (see `optimizer/consume.ts`). */
const sgdConsume = (op: string, schedule: Schedule, wd: number): Consume => (state, params, grads) => {
  const lr = lrAt(op, schedule, state.step)
  const { ps, def, gs } = leavesOf(op, params, grads, state.slots, 0)
  const buffers = new Set<ArrayBufferLike>()
  for (const l of ps) if (typeof l !== 'number') buffers.add(l.data.buffer)
  for (const l of gs) {
    if (typeof l === 'number' || buffers.has(l.data.buffer)) return undefined
    buffers.add(l.data.buffer)
  }
  let finite = true
  const outs = ps.map((p, l) => {
    // the gradient's array: readonly to users, writable to the step that made it (see layer/fresh.ts)
    const g = (gs[l] as Tensor).data as Float64Array
    const [out, ok] = sgdLeaf(dataOf(p), g, lr, wd, g)
    finite &&= ok
    return out
  })
  return { state: freezeState(state.step + 1, []), params: rebuildAll(def, ps, outs), finite }
}

/**
 * Plain stochastic gradient descent, PyTorch's `SGD(momentum=0)`:
 * `p <- p - lr (g + weightDecay p)`. Its state holds only the step count.
 *
 * @throws RangeError for a learning rate that is not positive and finite, or a negative weight decay.
 * @example
 * ```ts
 * import { Optimizer, tensor } from 'autodiff-ts'
 *
 * const opt = Optimizer.sgd({ lr: 0.1 })
 * const p = { w: tensor([1, 2]) }
 * const [s1, p1] = opt.update(opt.init(p), p, { w: tensor([10, 10]) })
 * p1.w // [0, 1]
 * s1.step // 1
 * ```
 *
 * @category optimizers
 */
export const sgd = (options: SgdOptions): Optimizer => sgdLike('Optimizer.sgd', options, false)

/**
 * SGD with momentum, PyTorch's formula: with `d = g + weightDecay p`, the buffer is
 * `buf <- mu buf + (1 - dampening) d` (and `buf = d` at the first step), and
 * `p <- p - lr buf`, or `p <- p - lr (d + mu buf)` with `nesterov`. (This is not the
 * "`v <- mu v - lr g`" form of Sutskever et al.; the two differ when the learning rate changes.)
 *
 * @throws RangeError for a bad learning rate, weight decay, momentum or dampening, or Nesterov
 *   without momentum or with dampening.
 * @example
 * ```ts
 * import { Optimizer } from 'autodiff-ts'
 *
 * const opt = Optimizer.momentum({ lr: 0.1, momentum: 0.9, nesterov: true })
 * const x0: number = 1
 * const [, x1] = opt.update(opt.init(x0), x0, 2)
 * x1 // 1 - 0.1 * (2 + 0.9 * 2)
 * ```
 *
 * @category optimizers
 */
export const momentum = (options: MomentumOptions): Optimizer => sgdLike('Optimizer.momentum', options, true)

// ---------------------------------------------------------------------------------------------
// Adam and AdamW

/**
 * Options of {@link adam} and {@link adamw}.
 *
 * @category optimizers
 */
export interface AdamOptions {
  /** The learning rate: a positive number or a schedule of the step. */
  readonly lr: LearningRate
  /** Decay of the first moment, in [0, 1); default 0.9. */
  readonly beta1?: number
  /** Decay of the second moment, in [0, 1); default 0.999. */
  readonly beta2?: number
  /** Added to the bias-corrected root of the second moment, outside the square root; default 1e-8. */
  readonly eps?: number
  /** Weight decay: L2 added to the gradient for {@link adam}, decoupled for {@link adamw}; default 0 (adamw: 0.01). */
  readonly weightDecay?: number
  /** AMSGrad: normalise by the running maximum of the second moment; default false. */
  readonly amsgrad?: boolean
}

const adamLike = (op: string, options: AdamOptions, decoupled: boolean): Optimizer => {
  const [schedule, lrConfig] = scheduleOf(op, options.lr)
  const b1 = inUnit(op, 'beta1', options.beta1 ?? 0.9)
  const b2 = inUnit(op, 'beta2', options.beta2 ?? 0.999)
  const eps = nonNegative(op, 'eps', options.eps ?? 1e-8)
  const wd = nonNegative(op, 'weightDecay', options.weightDecay ?? (decoupled ? 0.01 : 0))
  const ams = options.amsgrad ?? false
  const nSlots = ams ? 3 : 2
  return Object.freeze({
    config: Object.freeze({ kind: decoupled ? 'adamw' : 'adam', lr: lrConfig, beta1: b1, beta2: b2, eps, weightDecay: wd, amsgrad: ams }),
    init: <P extends Tree>(params: P): OptimizerState<P> => {
      const z = T.zeros(params)
      return freezeState(0, ams ? [z, z, z] : [z, z])
    },
    update: <P extends Tree>(state: OptimizerState<P>, params: P, grads: P): readonly [OptimizerState<P>, P] => {
      const lr = lrAt(op, schedule, state.step)
      const { ps, def, gs, ss } = leavesOf(op, params, grads, state.slots, nSlots)
      const t = state.step + 1
      const stepSize = lr / (1 - b1 ** t)
      const bc2Sqrt = Math.sqrt(1 - b2 ** t)
      const shrink = decoupled ? 1 - lr * wd : 1
      const l2 = decoupled ? 0 : wd
      const newP: Float64Array[] = []
      const newM: Float64Array[] = []
      const newV: Float64Array[] = []
      const newMax: Float64Array[] = []
      for (let l = 0; l < ps.length; l++) {
        const p = dataOf(ps[l]!)
        const g = dataOf(gs[l]!)
        const m = dataOf(ss[0]![l]!)
        const v = dataOf(ss[1]![l]!)
        const vMax = ams ? dataOf(ss[2]![l]!) : v
        const n = p.length
        const out = new Float64Array(n)
        const nm = new Float64Array(n)
        const nv = new Float64Array(n)
        const nMax = ams ? new Float64Array(n) : nv
        for (let i = 0; i < n; i++) {
          const p0 = decoupled ? p[i]! * shrink : p[i]!
          const gi = l2 === 0 ? g[i]! : g[i]! + l2 * p[i]!
          const mi = m[i]! * b1 + (1 - b1) * gi
          const vi = v[i]! * b2 + (1 - b2) * gi * gi
          nm[i] = mi
          nv[i] = vi
          let vn = vi
          if (ams) {
            vn = vMax[i]! > vi ? vMax[i]! : vi
            nMax[i] = vn
          }
          out[i] = p0 + (-stepSize * mi) / (Math.sqrt(vn) / bc2Sqrt + eps)
        }
        newP.push(out)
        newM.push(nm)
        newV.push(nv)
        if (ams) newMax.push(nMax)
      }
      const slots = [rebuildAll<P>(def, ps, newM), rebuildAll<P>(def, ps, newV)]
      if (ams) slots.push(rebuildAll<P>(def, ps, newMax))
      return [freezeState(t, slots), rebuildAll<P>(def, ps, newP)]
    },
  })
}

/**
 * Adam, PyTorch's formula (bias-corrected, `eps` outside the square root): with
 * `g' = g + weightDecay p`, `m <- beta1 m + (1 - beta1) g'`, `v <- beta2 v + (1 - beta2) g'^2`, and
 * at update `t` (from 1) `p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)`.
 * Its state's slots are `[m, v]`, plus the running maximum of `v` with `amsgrad`.
 *
 * @throws RangeError for a bad learning rate, betas outside [0, 1), or a negative eps or weight decay.
 * @example
 * ```ts
 * import { Optimizer } from 'autodiff-ts'
 *
 * const opt = Optimizer.adam({ lr: 1e-3 })
 * const x0: number = 1
 * const [s1, x1] = opt.update(opt.init(x0), x0, 5)
 * x1 // 0.999000000002: the first step moves by lr |g| / (|g| + eps)
 * s1.step // 1
 * ```
 *
 * @category optimizers
 */
export const adam = (options: AdamOptions): Optimizer => adamLike('Optimizer.adam', options, false)

/**
 * AdamW, PyTorch's formula: Adam with decoupled weight decay, `p <- p (1 - lr weightDecay)` before
 * the Adam step (default `weightDecay` 0.01, as PyTorch).
 *
 * @throws RangeError as {@link adam}.
 * @example
 * ```ts
 * import { Optimizer } from 'autodiff-ts'
 *
 * const opt = Optimizer.adamw({ lr: 1e-3, weightDecay: 0.1 })
 * const x0: number = 1
 * const [, x1] = opt.update(opt.init(x0), x0, 0)
 * x1 // 0.9999: with a zero gradient, only the decay
 * ```
 *
 * @category optimizers
 */
export const adamw = (options: AdamOptions): Optimizer => adamLike('Optimizer.adamw', options, true)

/**
 * Data-last form of an update for `pipe`: `pipe([state, params], step(opt, grads))`.
 *
 * @example
 * ```ts
 * import { Optimizer } from 'autodiff-ts'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * const opt = Optimizer.sgd({ lr: 0.5 })
 * const x0: number = 1
 * const g: number = 2
 * const [, x1] = pipe([opt.init(x0), x0] as const, Optimizer.step(opt, g))
 * x1 // 0
 * ```
 *
 * @category combinators
 */
export const step =
  <P extends Tree>(opt: Optimizer, grads: P) =>
  ([state, params]: readonly [OptimizerState<P>, P]): readonly [OptimizerState<P>, P] =>
    opt.update(state, params, grads)
