/**
 * Pytrees: numbers and tensors nested in readonly arrays and records, the inputs, outputs,
 * tangents and cotangents of differentiable functions (as JAX's pytrees).
 *
 * A tree's *structure* is its nesting of arrays and records, the kind of each leaf (number or
 * tensor) and the shape of each tensor leaf. Two trees combine leaf by leaf only when their
 * structures agree; a mismatch is a programming mistake and throws a {@link ShapeError} naming
 * the operation and the path of the first disagreement (`$` is the root, `[i]` an array index,
 * `.key` a record key). Record keys match by name, whatever their order; when a tree is flattened,
 * array items come in index order and record entries in sorted key order.
 *
 * Declare record types as `type` aliases, not interfaces: TypeScript gives only aliases the
 * implicit index signature that `{ readonly [k: string]: Tree }` asks for.
 *
 * @packageDocumentation
 */
import type { Monoid } from 'fp-ts/lib/Monoid.js'
import type { Semigroup as Semigroup_ } from 'fp-ts/lib/Semigroup.js'
import { ShapeError } from './ShapeError.js'
import { isTensor, wrap } from './Tensor.js'
import { shapeEquals } from './kernels/shape.js'
import type { Shape, Tensor } from './Tensor.js'

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
 * The structure of a tree without its leaf values: what {@link flatten} separates from the leaves
 * and {@link unflatten} puts back together.
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

// ---------------------------------------------------------------------------------------------
// Paths and errors

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const keyPath = (path: string, k: string): string => (IDENT.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`)
const indexPath = (path: string, i: number): string => `${path}[${i}]`

type Node =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'tensor'; readonly value: Tensor }
  | { readonly kind: 'array'; readonly value: readonly Tree[] }
  | { readonly kind: 'record'; readonly value: { readonly [k: string]: Tree } }

const describe = (u: unknown): string => {
  if (typeof u === 'number') return 'a number'
  if (isTensor(u)) return `a tensor of shape [${u.shape.join(', ')}]`
  if (Array.isArray(u)) return `an array of length ${u.length}`
  if (u === null) return 'null'
  if (typeof u === 'object') return `a record with keys {${Object.keys(u).sort().join(', ')}}`
  return typeof u
}

const shapeOf = (u: unknown): readonly Shape[] => (typeof u === 'number' ? [[]] : isTensor(u) ? [u.shape] : [])

const classify = (op: string, path: string, u: unknown): Node => {
  if (typeof u === 'number') return { kind: 'number', value: u }
  if (Array.isArray(u)) return { kind: 'array', value: u as readonly Tree[] }
  if (isTensor(u)) return { kind: 'tensor', value: u }
  if (typeof u === 'object' && u !== null && !ArrayBuffer.isView(u))
    return { kind: 'record', value: u as { readonly [k: string]: Tree } }
  throw new ShapeError(`${op} at ${path}`, `a tree (a number, a tensor, an array or a record), found ${describe(u)}`, [])
}

const mismatch = (op: string, path: string, a: unknown, b: unknown): ShapeError =>
  new ShapeError(`${op} at ${path}`, `trees of the same structure, found ${describe(a)} and ${describe(b)}`, [
    ...shapeOf(a),
    ...shapeOf(b),
  ])

const sameKeys = (a: object, b: object): boolean => {
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k))
}

// ---------------------------------------------------------------------------------------------
// Generic traversals (internal)

type LeafFn = (leaf: Leaf, path: string) => Leaf
type LeafFn2 = (a: Leaf, b: Leaf, path: string) => Leaf

const mapAt = (op: string, f: LeafFn, t: unknown, path: string): Tree => {
  const n = classify(op, path, t)
  switch (n.kind) {
    case 'number':
    case 'tensor':
      return f(n.value, path)
    case 'array':
      return Object.freeze(n.value.map((c, i) => mapAt(op, f, c, indexPath(path, i))))
    case 'record': {
      const out: { [k: string]: Tree } = {}
      for (const k of Object.keys(n.value)) out[k] = mapAt(op, f, n.value[k], keyPath(path, k))
      return Object.freeze(out)
    }
  }
}

const zipAt = (op: string, f: LeafFn2, a: unknown, b: unknown, path: string): Tree => {
  const na = classify(op, path, a)
  const nb = classify(op, path, b)
  if (na.kind !== nb.kind) throw mismatch(op, path, a, b)
  switch (na.kind) {
    case 'number':
      return f(na.value, nb.value as number, path)
    case 'tensor': {
      const tb = nb.value as Tensor
      if (!shapeEquals(na.value.shape, tb.shape))
        throw new ShapeError(`${op} at ${path}`, 'tensors of equal shapes', [na.value.shape, tb.shape])
      return f(na.value, tb, path)
    }
    case 'array': {
      const vb = nb.value as readonly Tree[]
      if (na.value.length !== vb.length) throw mismatch(op, path, a, b)
      return Object.freeze(na.value.map((c, i) => zipAt(op, f, c, vb[i], indexPath(path, i))))
    }
    case 'record': {
      const rb = nb.value as { readonly [k: string]: Tree }
      if (!sameKeys(na.value, rb)) throw mismatch(op, path, a, b)
      const out: { [k: string]: Tree } = {}
      for (const k of Object.keys(na.value)) out[k] = zipAt(op, f, na.value[k], rb[k], keyPath(path, k))
      return Object.freeze(out)
    }
  }
}

const binaryLeaf =
  (scalarOp: (x: number, y: number) => number, kernel: (x: Tensor, y: Tensor) => Tensor): LeafFn2 =>
  (a, b) =>
    typeof a === 'number' ? scalarOp(a, b as number) : kernel(a, b as Tensor)

// ---------------------------------------------------------------------------------------------
// Leaf kernels: plain loops on fresh Float64Arrays

const addT = (a: Tensor, b: Tensor): Tensor => {
  const x = a.data
  const y = b.data
  const out = new Float64Array(x.length)
  for (let i = 0; i < out.length; i++) out[i] = x[i]! + y[i]!
  return wrap(a.shape, out)
}

const subT = (a: Tensor, b: Tensor): Tensor => {
  const x = a.data
  const y = b.data
  const out = new Float64Array(x.length)
  for (let i = 0; i < out.length; i++) out[i] = x[i]! - y[i]!
  return wrap(a.shape, out)
}

const scaleT = (k: number, a: Tensor): Tensor => {
  const x = a.data
  const out = new Float64Array(x.length)
  for (let i = 0; i < out.length; i++) out[i] = k * x[i]!
  return wrap(a.shape, out)
}

const dotT = (a: Tensor, b: Tensor): number => {
  const x = a.data
  const y = b.data
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!
  return s
}

// ---------------------------------------------------------------------------------------------
// Exports

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
 * Throws the {@link ShapeError} that {@link add} would throw if `a` and `b` differ in structure;
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
