/**
 * Conventions at non-differentiable points, as data: declared once on a primitive's entry in the
 * rule table (`Program.prims`) and carried by the `ops` primitive made from it.
 *
 * @packageDocumentation
 */
/**
 * What a primitive does where it is not differentiable (or where the rule is a choice): `at`
 * names the points, `rule` says what the derivative is taken to be there. Where a scalar
 * derivative is pinned at a point, `points` lists it as numbers, so tests can check it.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 *
 * const kink: ops.Convention = { at: 'x = 0', rule: '0, a local minimum', points: [{ x: 0, derivative: 0 }] }
 * ops.abs.declaration.conventions[0]?.points // [{ x: 0, derivative: 0 }]
 * kink.rule // '0, a local minimum'
 * ```
 * @category model
 */
export interface Convention {
  /** Where, e.g. `'x = 0'` or `'a = b'`. */
  readonly at: string
  /** The derivative used there and why, e.g. `'0, a local minimum (ChainRules policy)'`. */
  readonly rule: string
  /** Pinned derivatives of an elementwise unary primitive: `f'(x) = derivative`. */
  readonly points?: readonly PinnedDerivative[]
}

/**
 * A derivative pinned at a point by a {@link Convention}: `f'(x) = derivative`.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 *
 * const p: ops.PinnedDerivative = { x: 0, derivative: 0 } // relu'(0) = 0
 * p.derivative // 0
 * ```
 * @category model
 */
export interface PinnedDerivative {
  /** The point. */
  readonly x: number
  /** The derivative taken there. */
  readonly derivative: number
}
