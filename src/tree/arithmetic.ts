/**
 * Leaf-by-leaf combinators and arithmetic on trees of one structure, and the monoid of
 * cotangent sums.
 *
 * @packageDocumentation
 */
import type { Monoid } from 'fp-ts/lib/Monoid.js'
import type { Semigroup as Semigroup_ } from 'fp-ts/lib/Semigroup.js'
import { ShapeError } from '../ShapeError.js'
import { isTensor, wrap } from '../Tensor.js'
import type { Tensor } from '../Tensor.js'
import type { Leaf, Tree } from './types.js'
import { addT, binaryLeaf, describe, dotT, mapAt, scaleT, shapeOf, subT, zipAt } from './walk.js'

/**
 * Applies `f` to every leaf, keeping the structure. `f` must return a leaf of the same kind
 * (a number for a number, a tensor for a tensor), so that the result has the type of the input;
 * it receives the path of the leaf.
 *
 * @throws ShapeError if `f` changes the kind of a leaf, or `t` is not a tree.
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 *
 * Tree.map((x) => (typeof x === 'number' ? -x : x))({ a: 1, b: [2, 3] }) // { a: -1, b: [-2, -3] }
 * ```
 *
 * @category combinators
 */
export const map =
  (f: (leaf: Leaf, path: string) => Leaf) =>
  <T extends Tree>(t: T): T =>
    mapAt(
      'Tree.map',
      (leaf, path) => {
        const r = f(leaf, path)
        if (typeof r !== typeof leaf || (typeof r !== 'number' && !isTensor(r)))
          throw new ShapeError(`Tree.map at ${path}`, `f to return ${describe(leaf).replace(/ of shape.*/, '')}, found ${describe(r)}`, shapeOf(leaf))
        return r
      },
      t,
      '$',
    ) as T

/**
 * Combines two trees of the same structure leaf by leaf, data-last: `zipWith(f)(a, b)`. `f`
 * receives two leaves of the same kind (and, for tensors, of the same shape) and their path, and
 * must return a leaf of that kind.
 *
 * @throws ShapeError naming the path if the structures differ.
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 *
 * Tree.zipWith((a, b) => (a as number) * (b as number))([1, 2], [3, 4]) // [3, 8]
 * ```
 *
 * @category combinators
 */
export const zipWith =
  (f: (a: Leaf, b: Leaf, path: string) => Leaf) =>
  <T extends Tree>(a: T, b: T): T =>
    zipAt('Tree.zipWith', f, a, b, '$') as T

/**
 * A tree of the structure of `like` with every number and tensor element zero.
 *
 * @example
 * ```ts
 * import { Tree, tensor } from 'autodiff-ts'
 *
 * Tree.zeros({ w: tensor([1, 2]), b: 3 }) // { w: tensor([0, 0]), b: 0 }
 * ```
 *
 * @category constructors
 */
export const zeros = <T extends Tree>(like: T): T =>
  mapAt('Tree.zeros', (l) => (typeof l === 'number' ? 0 : wrap(l.shape, new Float64Array(l.data.length))), like, '$') as T

/**
 * The leafwise sum `a + b` of two trees of the same structure.
 *
 * @throws ShapeError naming the path if the structures differ.
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 *
 * Tree.add({ a: 1, b: [2] }, { a: 10, b: [20] }) // { a: 11, b: [22] }
 * ```
 *
 * @category arithmetic
 */
export const add = <T extends Tree>(a: T, b: T): T =>
  zipAt('Tree.add', binaryLeaf((x, y) => x + y, addT), a, b, '$') as T

/**
 * The leafwise difference `a - b` of two trees of the same structure.
 *
 * @throws ShapeError naming the path if the structures differ.
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 *
 * Tree.sub([5, 5], [1, 2]) // [4, 3]
 * ```
 *
 * @category arithmetic
 */
export const sub = <T extends Tree>(a: T, b: T): T =>
  zipAt('Tree.sub', binaryLeaf((x, y) => x - y, subT), a, b, '$') as T

/**
 * Multiplies every element of a tree (a tensor or a number included) by the number `k`: the plain
 * counterpart of the primitive `ops.scale(k)`.
 *
 * @example
 * ```ts
 * import { Tree, tensor } from 'autodiff-ts'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * pipe({ a: 1, b: [2] }, Tree.scale(3)) // { a: 3, b: [6] }
 * Tree.scale(2)(tensor([1, 2])) // tensor([2, 4])
 * ```
 *
 * @category arithmetic
 */
export const scale =
  (k: number) =>
  <T extends Tree>(a: T): T =>
    mapAt('Tree.scale', (l) => (typeof l === 'number' ? k * l : scaleT(k, l)), a, '$') as T

/**
 * The inner product of two trees of the same structure: the sum over all leaves of the sum of
 * elementwise products.
 *
 * @throws ShapeError naming the path if the structures differ.
 * @example
 * ```ts
 * import { Tree, tensor } from 'autodiff-ts'
 *
 * Tree.dot({ x: tensor([1, 2]), y: 3 }, { x: tensor([4, 5]), y: 6 }) // 4 + 10 + 18 = 32
 * ```
 *
 * @category arithmetic
 */
export const dot = <T extends Tree>(a: T, b: T): number => {
  let s = 0
  zipAt(
    'Tree.dot',
    (x, y) => {
      s += typeof x === 'number' ? x * (y as number) : dotT(x, y as Tensor)
      return x
    },
    a,
    b,
    '$',
  )
  return s
}

/**
 * The semigroup of cotangent sums: {@link add}, for trees of one structure.
 *
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 *
 * Tree.Semigroup.concat([1, 2], [3, 4]) // [4, 6]
 * ```
 *
 * @category instances
 */
export const Semigroup: Semigroup_<Tree> = { concat: add }

/**
 * The monoid of cotangent sums over trees shaped like `like`: `concat` is {@link add} and
 * `empty` is `zeros(like)`. This is how the cotangents of a shared value are accumulated.
 *
 * @example
 * ```ts
 * import { Tree, tensor } from 'autodiff-ts'
 * import { concatAll } from 'fp-ts/lib/Monoid.js'
 *
 * const M = Tree.getMonoid({ w: tensor([0, 0]) })
 * concatAll(M)([{ w: tensor([1, 2]) }, { w: tensor([3, 4]) }]) // { w: tensor([4, 6]) }
 * ```
 *
 * @category instances
 */
export const getMonoid = <T extends Tree>(like: T): Monoid<T> => ({ concat: add, empty: zeros(like) })
