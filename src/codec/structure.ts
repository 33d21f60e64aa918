/**
 * Checking a decoded parameter tree against a template: {@link conforms}.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { isTensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { appendPath } from './errors.js'

/**
 * What a tree node is, for messages: `a number`, `a tensor of shape [2, 3]`, `an array of length
 * 2`, `an object`.
 *
 * @example
 * ```ts
 * kind([1, 2]) // 'an array of length 2'
 * ```
 * @internal
 */
export const kind = (u: Tree): string =>
  typeof u === 'number'
    ? 'a number'
    : isTensor(u)
      ? `a tensor of shape [${u.shape.join(', ')}]`
      : Array.isArray(u)
        ? `an array of length ${u.length}`
        : 'an object'

const mismatch = (template: Tree, actual: Tree, path: string): string | undefined => {
  if (typeof template === 'number') return typeof actual === 'number' ? undefined : `${path}: expected a number, found ${kind(actual)}`
  if (isTensor(template)) {
    if (!isTensor(actual)) return `${path}: expected ${kind(template)}, found ${kind(actual)}`
    const a = actual.shape
    const e = template.shape
    return a.length === e.length && a.every((d, i) => d === e[i])
      ? undefined
      : `${path}.shape: expected [${e.join(', ')}], found [${a.join(', ')}]`
  }
  if (Array.isArray(template)) {
    const items = template as readonly Tree[]
    if (!Array.isArray(actual)) return `${path}: expected ${kind(template)}, found ${kind(actual)}`
    const got = actual as readonly Tree[]
    if (got.length !== items.length) return `${path}: expected an array of length ${items.length}, found an array of length ${got.length}`
    for (let i = 0; i < items.length; i++) {
      const m = mismatch(items[i]!, got[i]!, appendPath(path, String(i), true))
      if (m !== undefined) return m
    }
    return undefined
  }
  if (typeof actual === 'number' || isTensor(actual) || Array.isArray(actual))
    return `${path}: expected an object, found ${kind(actual)}`
  const rec = template as { readonly [k: string]: Tree }
  const got = actual as { readonly [k: string]: Tree }
  for (const k of Object.keys(rec)) {
    const p = appendPath(path, k, false)
    if (!Object.prototype.hasOwnProperty.call(got, k)) return `${p}: expected ${kind(rec[k]!)}, found nothing (missing)`
    const m = mismatch(rec[k]!, got[k]!, p)
    if (m !== undefined) return m
  }
  const extra = Object.keys(got).filter((k) => !Object.prototype.hasOwnProperty.call(rec, k))
  return extra.length > 0 ? `${appendPath(path, extra[0]!, false)}: expected nothing (no such parameter), found ${kind(got[extra[0]!]!)}` : undefined
}

/**
 * Checks that a decoded tree has the structure of a template: the same arrays (lengths), records
 * (keys, in any order), numbers where the template has numbers, and tensors of the same shapes
 * where it has tensors. For a saved model, the template is the model's freshly initialised
 * parameters. Returns the tree unchanged, or a Left naming the first difference:
 * `params.layers[1].W.shape: expected [64, 10], found [64, 12]`.
 *
 * @example
 * ```ts
 * import { Codec, zeros } from 'autodiff-ts'
 * import { isLeft } from 'fp-ts/lib/Either.js'
 *
 * const r = Codec.conforms({ W: zeros([2, 3]) }, 'params')({ W: zeros([2, 4]) })
 * isLeft(r) && r.left // 'params.W.shape: expected [2, 3], found [2, 4]'
 * ```
 * @category structure
 */
export const conforms =
  (template: Tree, root = 'value') =>
  (actual: Tree): Either<string, Tree> => {
    const m = mismatch(template, actual, root)
    return m === undefined ? right(actual) : left(m)
  }
