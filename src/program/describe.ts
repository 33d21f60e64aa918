/**
 * What a wrong argument to a primitive was, in words, for the `TypeError` that names the
 * primitive, the argument and what was found.
 *
 * @packageDocumentation
 * @internal
 */
import { isTensor } from '../Tensor.js'

/** A short description of a value found where a value of an algebra was expected. */
export const describeValue = (u: unknown): string => {
  if (u === null || u === undefined) return String(u)
  if (typeof u === 'number') return `the number ${u} (lift constants with A.constant)`
  if (isTensor(u)) return `a plain tensor of shape [${u.shape.join(', ')}] (lift constants with A.constant)`
  if (typeof u === 'object') {
    const o = u as { kind?: unknown; mode?: unknown }
    if (o.kind === 'mask') return 'a mask from a comparison, which is not differentiable'
    if (o.kind === 'labels') return 'integer labels, which are not differentiable'
    if (typeof o.mode === 'string') return `a value of ${o.mode}`
    return Array.isArray(u) ? `an array of ${u.length}` : 'an object that is not a tensor'
  }
  return `a ${typeof u}`
}

/** The TypeError for argument `i` of primitive `prim` in instance `where`. */
export const wrongArgument = (prim: string, i: number, where: string, u: unknown): TypeError =>
  new TypeError(`${prim}: argument ${i} should be a value of ${where}, found ${describeValue(u)}`)
