/**
 * `vmap`: a program written for one example, run on a batch, through every primitive's batch
 * rule; with `grad` inside, it gives per-example gradients in one pass.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Tensor } from '../Tensor.js'
import { isTensor } from '../Tensor.js'
import { batching } from './batched.js'
import { describeValue } from './describe.js'
import { plain } from './plain.js'
import type { AtTensor } from './transforms.js'
import { leavesOf, mapLeaves } from './trees.js'

/**
 * Vectorises a program over a leading batch axis: `inAxes[i]` is `0` where argument `i` (every
 * tensor of it) carries the batch axis first and `null` where it is shared by every example
 * (default: all `0`). The program sees one example; every tensor of the result carries the batch
 * axis first.
 *
 * @throws ShapeError if the batched tensors disagree on the batch extent.
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * // per-example gradients of a squared error, w shared and x, y batched
 * const loss = <T>(A: Program.Algebra<T>) => (w: T, x: T, y: T) => A.sum(A.square(A.sub(A.matmul(x, w), y)))
 * const perExample = Program.vmap(<T>(A: Program.Algebra<T>) => (w: T, x: T, y: T) => Program.gradIn(A)(loss)(w, x, y), [null, 0, 0])
 * perExample(tensor([1, 1]), tensor([[1, 0], [0, 2]]), tensor([0, 0])) // [[2, 0], [0, 8]]
 * ```
 * @category transformations
 */
export const vmap =
  <Args extends readonly unknown[], R>(f: AtTensor<Args, R>, inAxes?: readonly (0 | null)[]) =>
  (...args: Args): R => {
    const [B, make] = batching(plain)
    const batched = args.map((_, i) => inAxes === undefined || inAxes[i] === 0)
    const extents = args.flatMap((a, i) => (batched[i] ? leavesOf(a, isTensor).map((t) => t.shape[0]) : []))
    const n = extents[0]
    if (n === undefined || extents.some((e) => e !== n))
      throw new ShapeError('vmap', `batched tensors with one batch extent on axis 0, found extents [${extents.join(', ')}]`, [])
    const lifted = args.map((a, i) => mapLeaves(a, isTensor, (t: Tensor) => make(t, batched[i]!)))
    const y = (f as unknown as (A: typeof B) => (...xs: unknown[]) => unknown)(B)(...lifted)
    if (leavesOf(y, B.is).length === 0) throw new TypeError(`vmap: the program should return a tensor of its algebra (or a tree of them), found ${describeValue(y)}`)
    return mapLeaves(y, B.is, (v) => (v.batched ? v.value : plain.broadcastTo(v.value, [n, ...v.value.shape]))) as R
  }
