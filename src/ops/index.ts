/**
 * The differentiable tensor primitives, each declared once (value, JVP, pullback, conventions):
 * every one's rules are the tensor algebra's rule table's (`Program.prims`), an entry or a
 * composition of entries (`square` is `mul(x, x)`, `index` is `slice` then `reshape`, `dot` is
 * `matmul` of two vectors), adapted by `fromTable.ts`.
 *
 * @packageDocumentation
 */
export * from './Primitive.js'
export * from './fromTable.js'
export * from './arithmetic.js'
export * from './unary.js'
export * from './linalg.js'
export * from './reduce.js'
export * from './structure.js'
export * from './select.js'
export * from './elementwise.js'
export * from './tensorMath.js'
export * from './uniform.js'
