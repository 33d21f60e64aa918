/**
 * autodiff-ts: automatic differentiation and small neural networks, functional and immutable.
 *
 * @packageDocumentation
 */
export * from './Floating.js'
export * from './Rule.js'
export * from './Special.js'
export * from './ShapeError.js'
export * as Dual from './Dual.js'
export * as Reverse from './Reverse.js'
