/**
 * Programs over a tensor algebra: a model written once as ordinary code against the type class
 * {@link Algebra}, `(T) => (p, x) => T.relu(T.add(T.matmul(x, p.w), p.b))`, runs plainly, in
 * forward mode, in reverse mode and nested (exact Hessian-vector products), because every
 * primitive's rules are themselves written against the algebra.
 *
 * @packageDocumentation
 */
export type { Algebra, AxesOptions, Comparison, Core, Elementwise, Fused, Labels, Mask, Prim, Reduction } from './types.js'
export { algebra } from './algebra.js'
export { plain, plainCore } from './plain.js'
export type { TensorDual } from './forward.js'
export { forward } from './forward.js'
export type { Tape, TapeValue } from './reverse.js'
export { reverse } from './reverse.js'
export type { AtOuter, AtTensor, Tail } from './transforms.js'
export { grad, gradIn, hessian, hessianIn, hvp, hvpIn, jvp, jvpIn, valueAndGrad, vjp } from './transforms.js'
export type { Step } from './step.js'
export { trainStep } from './step.js'
export type { PrimName } from './table.js'
export { prims } from './table.js'
export type { BatchedValue } from './batched.js'
export { batching } from './batched.js'
export type { JvpRule, TensorFn, VjpRule } from './custom.js'
export { checkpoint, customJvp, customVjp } from './custom.js'
export type { ElementwiseOptions } from './elementwise.js'
export { dualDerivative, elementwise } from './elementwise.js'
export type { Lift, Rowwise, WithProgram } from './interop.js'
export { call } from './interop.js'
export type { Axes } from './vmap.js'
export { vmap, vmapIn } from './vmap.js'
export { labels, mask } from './data.js'
