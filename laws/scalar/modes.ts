/**
 * The modes in which the scalar laws differentiate: forward (dual numbers), reverse (the tape),
 * both, and forward mode over a given dual-number instance.
 *
 * @packageDocumentation
 */
import * as Dual from '../../src/Dual.js'
import type { Floating } from '../../src/Floating.js'
import * as Reverse from '../../src/Reverse.js'
import type { Mode } from './model.js'

/**
 * Forward mode: dual numbers (`Dual.derivative`).
 *
 * @example
 * ```ts
 * import { forwardMode } from 'autodiff-ts/laws'
 *
 * forwardMode.derivative((F) => F.sin)(0) // 1
 * ```
 *
 * @category modes
 */
export const forwardMode: Mode = { name: 'forward', derivative: Dual.derivative }

/**
 * Reverse mode: the tape (`Reverse.grad` of the one-variable function).
 *
 * @example
 * ```ts
 * import { reverseMode } from 'autodiff-ts/laws'
 *
 * reverseMode.derivative((F) => F.exp)(0) // 1
 * ```
 *
 * @category modes
 */
export const reverseMode: Mode = {
  name: 'reverse',
  derivative: (f) => {
    const g = Reverse.grad((F) => (xs) => f(F)(xs[0] ?? F.zero))
    return (x) => g([x])[0] ?? NaN
  },
}

/**
 * Both modes, the default of every law.
 *
 * @category modes
 */
export const bothModes: readonly Mode[] = [forwardMode, reverseMode]

/**
 * Forward mode over a given dual-number instance, for checking one's own instance (or, in the
 * kit's own tests, a deliberately broken one).
 *
 * @example
 * ```ts
 * import { Dual, floatingNumber } from 'autodiff-ts'
 * import { forwardModeOf } from 'autodiff-ts/laws'
 *
 * const mine = forwardModeOf('mine', Dual.getFloating(floatingNumber))
 * mine.derivative((F) => (x) => F.mul(x, x))(3) // 6
 * ```
 *
 * @category modes
 */
export const forwardModeOf = (name: string, D: Floating<Dual.Dual<number>>): Mode => ({
  name,
  derivative: (f) => {
    const g = f(D)
    return (x) => g(Dual.dual(x, 1)).eps
  },
})
