/**
 * The plain instance of the tensor algebra: values are tensors, `bind` runs a primitive's value.
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { isTensor, wrap } from '../Tensor.js'
import { mapBinary } from '../kernels/binary.js'
import { algebra } from './algebra.js'
import { wrongArgument } from './describe.js'
import type { Algebra, Comparison, Core } from './types.js'

const tests: { readonly [K in Comparison]: (x: number, y: number) => number } = {
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
}

/**
 * The core of the plain instance: tensors in, tensors out, no derivatives.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * Program.plainCore.shape(tensor([[1, 2, 3]])) // [1, 3]
 * ```
 * @category instances
 */
export const plainCore: Core<Tensor> = Object.freeze<Core<Tensor>>({
  name: 'the plain algebra (a Tensor)',
  shape: (x: Tensor) => x.shape,
  of: (t: Tensor) => t,
  primal: (x: Tensor) => x,
  is: isTensor,
  compare: (op: Comparison, x: Tensor, y: Tensor) => {
    for (const [i, u] of [x, y].entries()) if (!isTensor(u)) throw wrongArgument(op, i, 'the plain algebra (a Tensor)', u)
    const [s, d] = mapBinary(op, tests[op], x.data, x.shape, y.data, y.shape)
    return Object.freeze({ kind: 'mask' as const, value: wrap(s, d), batchTags: [] })
  },
  bind: (prim, args, params) => {
    for (let i = 0; i < args.length; i++) if (!isTensor(args[i])) throw wrongArgument(prim.name, i, 'the plain algebra (a Tensor)', args[i])
    return prim.value(args, params)
  },
})

/**
 * The plain tensor algebra: a program run with it computes its value and nothing else.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const T = Program.plain
 * T.relu(T.sub(tensor([1, 2]), T.constant(1.5))) // [0, 0.5]
 * ```
 * @category instances
 */
export const plain: Algebra<Tensor> = algebra(plainCore)
