/**
 * Differentiable functions as values.
 *
 * @packageDocumentation
 */

/**
 * A differentiable function from `A` to `B`, carrying both modes of differentiation.
 *
 * @category model
 */
export interface Diff<A, B> {
  /** The plain value `f(a)`. */
  readonly apply: (a: A) => B
  /** Forward mode: the value and the directional derivative in direction `da`. */
  readonly jvp: (a: A, da: A) => readonly [B, B]
  /** Reverse mode: the value and the pullback that maps an output cotangent to an input cotangent. */
  readonly vjp: (a: A) => readonly [B, (db: B) => A]
}
