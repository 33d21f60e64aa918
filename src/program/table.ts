/**
 * The table of the algebra's primitives, by name: each one's value, JVP, pullback and batch rule
 * side by side (for the laws, the docs and third-party instances).
 *
 * @packageDocumentation
 */
import { binaryPrims, extraBinaryPrims, matmul, unaryPrims, where } from './prims.js'
import type { Prim } from './types.js'
import { softmaxCrossEntropy } from './crossEntropy.js'
import { broadcastTo, concat, logSumExp, pad, reshape, slice, sum, sumTo, transpose } from './structure.js'

/**
 * The names of the algebra's primitives.
 *
 * @example
 * ```ts
 * import type { Program } from 'autodiff-ts'
 *
 * const n: Program.PrimName = 'matmul'
 * ```
 * @category primitives
 */
export type PrimName =
  | 'neg'
  | 'scale'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'sqrt'
  | 'abs'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'where'
  | 'matmul'
  | 'transpose'
  | 'reshape'
  | 'broadcastTo'
  | 'sumTo'
  | 'sum'
  | 'logSumExp'
  | 'slice'
  | 'pad'
  | 'concat'
  | 'softmaxCrossEntropy'

/**
 * Every primitive of the tensor algebra, by name. A third-party instance's `bind` receives one
 * of these (or a user's elementwise function, or a custom rule) and may dispatch on its `name`.
 *
 * @example
 * ```ts
 * import { Program } from 'autodiff-ts'
 *
 * Object.keys(Program.prims).includes('matmul') // true
 * ```
 * @category primitives
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const prims: Readonly<Record<PrimName, Prim<any>>> = Object.freeze({
  ...unaryPrims,
  ...binaryPrims,
  ...extraBinaryPrims,
  where,
  matmul,
  transpose,
  reshape,
  broadcastTo,
  sumTo,
  sum,
  logSumExp,
  slice,
  pad,
  concat,
  softmaxCrossEntropy,
})
