/**
 * A tree's structure: flattening to leaves and back, raveling to one vector and back, its size,
 * and structure comparisons.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import { isTensor, wrap } from '../Tensor.js'
import type { Leaf, Tree, TreeDef } from './types.js'
import { shapeEquals } from '../kernels/shape.js'
import { classify, describe, indexPath, keyPath, shapeOf, zipAt } from './walk.js'

const defAt = (op: string, t: unknown, path: string, out: Leaf[]): TreeDef => {
  const n = classify(op, path, t)
  switch (n.kind) {
    case 'number':
      out.push(n.value)
      return { kind: 'number' }
    case 'tensor':
      out.push(n.value)
      return { kind: 'tensor', shape: n.value.shape }
    case 'array':
      return { kind: 'array', items: n.value.map((c, i) => defAt(op, c, indexPath(path, i), out)) }
    case 'record': {
      const keys = Object.keys(n.value).sort()
      return { kind: 'record', keys, items: keys.map((k) => defAt(op, n.value[k], keyPath(path, k), out)) }
    }
  }
}

/**
 * Splits a tree into its leaves (arrays in index order, records in sorted key order) and its
 * structure.
 *
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 *
 * const [leaves, def] = Tree.flatten({ b: 2, a: [1, 3] }) // leaves [1, 3, 2]
 * Tree.unflatten(def, leaves) // { a: [1, 3], b: 2 }
 * ```
 *
 * @category destructors
 */
export const flatten = (t: Tree): readonly [readonly Leaf[], TreeDef] => {
  const out: Leaf[] = []
  const def = defAt('Tree.flatten', t, '$', out)
  return [Object.freeze(out), def]
}

/**
 * The leaves of a tree, in the order of {@link flatten}.
 *
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 *
 * Tree.leaves([1, { y: 3, x: 2 }]) // [1, 2, 3]
 * ```
 *
 * @category destructors
 */
export const leaves = (t: Tree): readonly Leaf[] => flatten(t)[0]

/**
 * Rebuilds a tree from its structure and leaves, the inverse of {@link flatten}.
 *
 * @throws ShapeError if the number of leaves, the kind of a leaf or the shape of a tensor leaf
 *   does not match the structure.
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 *
 * const [, def] = Tree.flatten([0, { x: 0 }])
 * Tree.unflatten(def, [1, 2]) // [1, { x: 2 }]
 * ```
 *
 * @category constructors
 */
export const unflatten = (def: TreeDef, ls: readonly Leaf[]): Tree => {
  let k = 0
  const go = (d: TreeDef, path: string): Tree => {
    switch (d.kind) {
      case 'number':
      case 'tensor': {
        if (k >= ls.length)
          throw new ShapeError(`Tree.unflatten at ${path}`, `at least ${k + 1} leaves, found ${ls.length}`, [])
        const l = ls[k++]
        if (d.kind === 'number' ? typeof l !== 'number' : !isTensor(l) || !shapeEquals(l.shape, d.shape))
          throw new ShapeError(
            `Tree.unflatten at ${path}`,
            `${d.kind === 'number' ? 'a number' : 'a tensor'}, found ${describe(l)}`,
            [...(d.kind === 'tensor' ? [d.shape] : [[]]), ...shapeOf(l)],
          )
        return l as Leaf
      }
      case 'array':
        return Object.freeze(d.items.map((c, i) => go(c, indexPath(path, i))))
      case 'record': {
        const out: { [k: string]: Tree } = {}
        d.keys.forEach((key, i) => {
          out[key] = go(d.items[i]!, keyPath(path, key))
        })
        return Object.freeze(out)
      }
    }
  }
  const t = go(def, '$')
  if (k !== ls.length) throw new ShapeError('Tree.unflatten', `exactly ${k} leaves, found ${ls.length}`, [])
  return t
}

/**
 * The number of scalars in a tree: one per number leaf plus the size of each tensor leaf.
 *
 * @example
 * ```ts
 * import { Tree, zeros } from 'autodiff-ts'
 *
 * Tree.size({ w: zeros([2, 3]), b: 1 }) // 7
 * ```
 *
 * @category destructors
 */
export const size = (t: Tree): number => {
  let n = 0
  for (const l of leaves(t)) n += typeof l === 'number' ? 1 : l.data.length
  return n
}

/**
 * JAX's `ravel_pytree`: all scalars of a tree in one fresh `Float64Array` (leaves in the order of
 * {@link flatten}, each tensor row-major), and the function that rebuilds a tree of the same
 * structure from such a vector.
 *
 * @throws ShapeError from the rebuilding function if the vector has the wrong length.
 * @example
 * ```ts
 * import { Tree, tensor } from 'autodiff-ts'
 *
 * const [v, unravel] = Tree.ravel({ w: tensor([1, 2]), b: 3 }) // v = [3, 1, 2] (keys sorted)
 * unravel(Float64Array.of(0, 5, 6)) // { b: 0, w: tensor([5, 6]) }
 * ```
 *
 * @category destructors
 */
export const ravel = <T extends Tree>(t: T): readonly [Float64Array, (v: ArrayLike<number>) => T] => {
  const [ls, def] = flatten(t)
  let n = 0
  for (const l of ls) n += typeof l === 'number' ? 1 : l.data.length
  const v = new Float64Array(n)
  let o = 0
  for (const l of ls) {
    if (typeof l === 'number') v[o++] = l
    else {
      v.set(l.data as ArrayLike<number>, o)
      o += l.data.length
    }
  }
  const unravel = (w: ArrayLike<number>): T => {
    if (w.length !== n) throw new ShapeError('Tree.ravel (unravel)', `a vector of length ${n}`, [[w.length]])
    let p = 0
    const out: Leaf[] = ls.map((l) => {
      if (typeof l === 'number') return w[p++]!
      const d = new Float64Array(l.data.length)
      for (let i = 0; i < d.length; i++) d[i] = w[p + i]!
      p += d.length
      return wrap(l.shape, d)
    })
    return unflatten(def, out) as T
  }
  return [v, unravel]
}

/**
 * Whether two trees have the same structure: the same nesting of arrays and records (records
 * compared by key set), the same kind at every leaf, and equal shapes for tensor leaves.
 * Leaf values are not compared.
 *
 * @example
 * ```ts
 * import { Tree, zeros } from 'autodiff-ts'
 *
 * Tree.structureEq({ a: zeros([2]) }, { a: zeros([2]) }) // true
 * Tree.structureEq([1, 2], [1]) // false
 * ```
 *
 * @category comparison
 */
export const structureEq = (a: unknown, b: unknown): boolean => {
  try {
    zipAt('Tree.structureEq', (x) => x, a, b, '$')
    return true
  } catch (e) {
    if (e instanceof ShapeError) return false
    throw e
  }
}

/**
 * Throws the {@link ShapeError} that `Tree.add` would throw if `a` and `b` differ in structure;
 * returns nothing otherwise. `op` names the caller in the message.
 *
 * @throws ShapeError naming `op` and the path of the first disagreement.
 * @example
 * ```ts
 * import { Tree } from 'autodiff-ts'
 *
 * Tree.assertSameStructure('jvp (tangent vs input)', [1, 2], [3, 4]) // returns: same structure
 * Tree.assertSameStructure('jvp (tangent vs input)', [1, 2], [3]) // throws ShapeError
 * ```
 *
 * @category comparison
 */
export const assertSameStructure = (op: string, a: unknown, b: unknown): void => {
  zipAt(op, (x) => x, a, b, '$')
}
