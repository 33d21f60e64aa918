/**
 * The differentiable tensor primitives, each declared once (value, JVP, pullback, conventions).
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
