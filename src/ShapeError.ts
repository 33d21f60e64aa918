/**
 * The error thrown for a programming mistake about shapes.
 *
 * @packageDocumentation
 */
import type { Shape } from './Shape.js'

const show = (s: Shape): string => `[${s.join(', ')}]`

/**
 * Thrown, before any arithmetic, when an operation is given shapes it cannot combine, such as
 * `matmul` of `[2, 3]` by `[4, 5]`. The message names the operation and every shape involved.
 *
 * @example
 * ```ts
 * import { ShapeError } from 'autodiff-ts'
 *
 * const e = new ShapeError('matmul', 'inner dimensions must agree', [[2, 3], [4, 5]])
 * e.message // 'matmul: inner dimensions must agree; got shapes [2, 3] and [4, 5]'
 * ```
 *
 * @category errors
 */
export class ShapeError extends Error {
  /** Always `'ShapeError'`, so that an error can be told apart after crossing module boundaries. */
  override readonly name = 'ShapeError'
  constructor(
    /** The operation that refused its arguments. */
    readonly op: string,
    /** What it expected, in words. */
    readonly expected: string,
    /** The shapes it was given. */
    readonly shapes: readonly Shape[],
  ) {
    super(
      shapes.length === 0
        ? `${op}: ${expected}`
        : `${op}: ${expected}; got shape${shapes.length === 1 ? '' : 's'} ${shapes.map(show).join(' and ')}`,
    )
  }
}
