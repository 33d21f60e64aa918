/**
 * The traversals every tree function is built on (internal): paths, structure errors, and the
 * leaf-by-leaf map and zip that check structures as they go.
 *
 * @packageDocumentation
 */
import { pathStep } from '../limits.js'
import { ShapeError } from '../ShapeError.js'
import { isTensor, wrap } from '../Tensor.js'
import type { Shape, Tensor } from '../Tensor.js'
import { scaleK } from '../kernels/unary.js'
import { shapeEquals } from '../kernels/shape.js'
import type { Leaf, Tree } from './types.js'

// ---------------------------------------------------------------------------------------------
// Paths and errors

export const keyPath = (path: string, k: string): string => `${path}${pathStep(k)}`
export const indexPath = (path: string, i: number): string => `${path}[${i}]`

export type Node =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'tensor'; readonly value: Tensor }
  | { readonly kind: 'array'; readonly value: readonly Tree[] }
  | { readonly kind: 'record'; readonly value: { readonly [k: string]: Tree } }

export const describe = (u: unknown): string => {
  if (typeof u === 'number') return 'a number'
  if (isTensor(u)) return `a tensor of shape [${u.shape.join(', ')}]`
  if (Array.isArray(u)) return `an array of length ${u.length}`
  if (u === null) return 'null'
  if (typeof u === 'object') return `a record with keys {${Object.keys(u).sort().join(', ')}}`
  return typeof u
}

export const shapeOf = (u: unknown): readonly Shape[] => (typeof u === 'number' ? [[]] : isTensor(u) ? [u.shape] : [])

export const classify = (op: string, path: string, u: unknown): Node => {
  if (typeof u === 'number') return { kind: 'number', value: u }
  if (Array.isArray(u)) return { kind: 'array', value: u as readonly Tree[] }
  if (isTensor(u)) return { kind: 'tensor', value: u }
  if (typeof u === 'object' && u !== null && !ArrayBuffer.isView(u))
    return { kind: 'record', value: u as { readonly [k: string]: Tree } }
  throw new ShapeError(`${op} at ${path}`, `a tree (a number, a tensor, an array or a record), found ${describe(u)}`, [])
}

export const mismatch = (op: string, path: string, a: unknown, b: unknown): ShapeError =>
  new ShapeError(`${op} at ${path}`, `trees of the same structure, found ${describe(a)} and ${describe(b)}`, [
    ...shapeOf(a),
    ...shapeOf(b),
  ])

export const sameKeys = (a: object, b: object): boolean => {
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k))
}

// ---------------------------------------------------------------------------------------------
// Generic traversals (internal)

export type LeafFn = (leaf: Leaf, path: string) => Leaf
export type LeafFn2 = (a: Leaf, b: Leaf, path: string) => Leaf

export const mapAt = (op: string, f: LeafFn, t: unknown, path: string): Tree => {
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

export const zipAt = (op: string, f: LeafFn2, a: unknown, b: unknown, path: string): Tree => {
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

export const binaryLeaf =
  (scalarOp: (x: number, y: number) => number, kernel: (x: Tensor, y: Tensor) => Tensor): LeafFn2 =>
  (a, b) =>
    typeof a === 'number' ? scalarOp(a, b as number) : kernel(a, b as Tensor)

// ---------------------------------------------------------------------------------------------
// Leaf kernels: plain loops on fresh Float64Arrays

export const addT = (a: Tensor, b: Tensor): Tensor => {
  const x = a.data
  const y = b.data
  const out = new Float64Array(x.length)
  for (let i = 0; i < out.length; i++) out[i] = x[i]! + y[i]!
  return wrap(a.shape, out)
}

export const subT = (a: Tensor, b: Tensor): Tensor => {
  const x = a.data
  const y = b.data
  const out = new Float64Array(x.length)
  for (let i = 0; i < out.length; i++) out[i] = x[i]! - y[i]!
  return wrap(a.shape, out)
}

export const scaleT = (k: number, a: Tensor): Tensor => wrap(a.shape, scaleK(a.data, k))

export const dotT = (a: Tensor, b: Tensor): number => {
  const x = a.data
  const y = b.data
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!
  return s
}
