/**
 * Immutable n-dimensional arrays of float64.
 *
 * A tensor is a shape and a row-major `Float64Array`, both read-only in their types. The
 * constructors copy what they are given, so nothing a caller holds can change a tensor, and no
 * function of this library writes into a tensor it did not just allocate.
 *
 * This module gathers the parts: the types (`tensor/types`), constructors (`tensor/construct`),
 * nested arrays (`tensor/nested`), accessors (`tensor/access`) and comparison
 * (`tensor/compare`).
 *
 * @packageDocumentation
 */
export type { Shape } from './Shape.js'
export type { Nested, ReadonlyFloat64Array, Tensor } from './tensor/types.js'
export { MAX_SIZE, arange, eye, fill, fromData, linspace, ones, scalar, wrap, zeros } from './tensor/construct.js'
export { fromNested, tensor, toArray } from './tensor/nested.js'
export type { NestedOptions } from './tensor/nested.js'
export { at, isTensor, item, rank, size, toFloat64Array } from './tensor/access.js'
export { EqTensor, ShowTensor, allClose, equals, maxAbsDiff } from './tensor/compare.js'
export type { CloseOptions } from './tensor/compare.js'
