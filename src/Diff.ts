/**
 * Differentiable functions as values.
 *
 * A `Diff<A, B>` carries a function together with both of its derivatives: forward mode pushes a
 * tangent through it (`jvp`, a dual-number pair), reverse mode returns the value and a pullback
 * that maps an output cotangent back to an input cotangent (`vjp`). The combinators below build
 * bigger `Diff`s from smaller ones, and each of them is the chain rule for both modes at once, so a
 * model assembled from primitives is differentiable by construction.
 *
 * `A` and `B` are numbers, tensors or trees of them (see the `Tree` module). Nothing here mutates its
 * arguments; every `Diff` built here is frozen.
 *
 * @packageDocumentation
 */
export type { Diff, InputOf, OutputOf, Rules } from './diff/core.js'
export { fromRules, linear, make } from './diff/core.js'
export { Category, compose, const_, flow, id, Semigroupoid, URI } from './diff/compose.js'
export { dup, fanout, first, fst, parallel, second, snd } from './diff/products.js'
