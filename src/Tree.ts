/**
 * Pytrees: numbers and tensors nested in readonly arrays and records, the inputs, outputs,
 * tangents and cotangents of differentiable functions (as JAX's pytrees).
 *
 * A tree's *structure* is its nesting of arrays and records, the kind of each leaf (number or
 * tensor) and the shape of each tensor leaf. Two trees combine leaf by leaf only when their
 * structures agree; a mismatch is a programming mistake and throws a `ShapeError` naming
 * the operation and the path of the first disagreement (`$` is the root, `[i]` an array index,
 * `.key` a record key). Record keys match by name, whatever their order; when a tree is flattened,
 * array items come in index order and record entries in sorted key order.
 *
 * Declare record types as `type` aliases, not interfaces: TypeScript gives only aliases the
 * implicit index signature that `{ readonly [k: string]: Tree }` asks for.
 *
 * @packageDocumentation
 */
export type { Leaf, Tree, TreeDef } from './tree/types.js'
export { isLeaf } from './tree/types.js'
export { add, dot, getMonoid, map, scale, Semigroup, sub, zeros, zipWith } from './tree/arithmetic.js'
export { assertSameStructure, flatten, leaves, ravel, size, structureEq, unflatten } from './tree/structure.js'
