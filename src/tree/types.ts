/**
 * The types of pytrees (leaves, trees and their structures) and the leaf test.
 *
 * @packageDocumentation
 */
import { isTensor } from '../Tensor.js'
import type { Shape, Tensor } from '../Tensor.js'

/**
 * A leaf of a tree: a number or a tensor.
 *
 * @example
 * ```ts
 * import { tensor, Tree } from 'autodiff-ts'
 *
 * const leaves: readonly Tree.Leaf[] = Tree.leaves({ b: tensor([1, 2]), a: 3 })
 * leaves[0] // 3: records are flattened in the order of their sorted keys
 * ```
 *
 * @category model
 */
export type Leaf = number | Tensor

/**
 * A pytree: a leaf, a readonly array of trees or a record of trees.
 *
 * @example
 * ```ts
 * import { tensor, Tree } from 'autodiff-ts'
 *
 * const params: Tree.Tree = { w: tensor([[1, 2], [3, 4]]), b: tensor([0, 0]), scale: 2 }
 * Tree.size(params) // 7
 * ```
 *
 * @category model
 */
export type Tree = Leaf | readonly Tree[] | { readonly [k: string]: Tree }

/**
 * The structure of a tree without its leaf values: what `Tree.flatten` separates from the leaves
 * and `Tree.unflatten` puts back together.
 *
 * @example
 * ```ts
 * import { tensor, Tree } from 'autodiff-ts'
 *
 * const [, def] = Tree.flatten({ w: tensor([1, 2]), s: 3 })
 * def.kind // 'record'
 * Tree.size(Tree.unflatten(def, [4, tensor([5, 6])])) // 3
 * ```
 *
 * @category model
 */
export type TreeDef =
  | {
      /** A number leaf. */
      readonly kind: 'number'
    }
  | {
      /** A tensor leaf. */
      readonly kind: 'tensor'
      /** Its shape. */
      readonly shape: Shape
    }
  | {
      /** An array. */
      readonly kind: 'array'
      /** The structure of each item, in order. */
      readonly items: readonly TreeDef[]
    }
  | {
      /** A record. */
      readonly kind: 'record'
      /** Its keys, sorted. */
      readonly keys: readonly string[]
      /** The structure of each entry, in the order of `keys`. */
      readonly items: readonly TreeDef[]
    }

/**
 * Whether a value is a leaf (a number or a tensor).
 *
 * @example
 * ```ts
 * import { Tree, tensor } from 'autodiff-ts'
 *
 * Tree.isLeaf(tensor([1, 2])) // true
 * Tree.isLeaf([1, 2]) // false: an array of two leaves
 * ```
 *
 * @category guards
 */
export const isLeaf = (u: unknown): u is Leaf => typeof u === 'number' || isTensor(u)
