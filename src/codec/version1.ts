/**
 * Reading the parameters of a version-1 saved model into today's structure: {@link fromVersion1}.
 *
 * Version 1 wrote a sequential's parameters as an array with one entry per layer, `[]` for a
 * layer without parameters (`[{ w, b }, [], { w, b }]`); version 2 writes a record keyed by
 * layer index, with entries for the layers that have parameters only (`{ 0: { w, b }, 2: { w, b } }`).
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import { isTensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { leaves } from '../Tree.js'
import { appendPath } from './errors.js'
import { kind } from './structure.js'

type Rec = { readonly [k: string]: Tree }

const isRecord = (t: Tree): t is Rec => typeof t === 'object' && !isTensor(t) && !Array.isArray(t)
const INDEX = /^(0|[1-9][0-9]*)$/

const isEmpty = (t: Tree): boolean => typeof t === 'object' && !isTensor(t) && leaves(t).length === 0

/** A record keyed by layer index: where version 2 has what version 1 wrote as an array. */
const isKeyedByIndex = (t: Tree): t is Rec => isRecord(t) && Object.keys(t).every((k) => INDEX.test(k))

/**
 * The parameters `params` of a version-1 file in the structure of `template` (the rebuilt layer's
 * fresh parameters, version 2's structure): wherever the template has a record keyed by layer
 * index and the file has an array, the array's entries become the record's, and the entries the
 * template has no key for must be version 1's placeholders (trees without a number or tensor,
 * such as `[]`), and where the template has no parameters (`[]`) such a placeholder becomes
 * the template's. Everything else is kept as it is, for `Codec.conforms` to check next. A
 * placeholder that holds numbers is a Left naming its path. Tensors are not copied.
 *
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * const w = tensor([1])
 * const r = fromVersion1({ 0: w, 2: w }, 'params')([w, [], w])
 * r._tag === 'Right' && Object.keys(r.right) // ['0', '2']
 * const bad = fromVersion1({ 0: w }, 'params')([w, [3]])
 * bad._tag === 'Left' && bad.left // 'params[1]: expected [] (version 1's entry for a layer without parameters), found an array of length 1'
 * ```
 * @internal
 */
export const fromVersion1 =
  (template: Tree, root: string) =>
  (params: Tree): Either<string, Tree> => {
    const go = (t: Tree, u: Tree, path: string): Either<string, Tree> => {
      // a layer without parameters: [] today, [[], []] for version 1's sequential of activations
      if (isEmpty(t) && isEmpty(u)) return right(t)
      if (isKeyedByIndex(t) && Array.isArray(u)) {
        const items = u as readonly Tree[]
        const out: { [k: string]: Tree } = {}
        for (let i = 0; i < items.length; i++) {
          const at = appendPath(path, String(i), true)
          if (!Object.hasOwn(t, i)) {
            if (leaves(items[i]!).length > 0) return left(`${at}: expected [] (version 1's entry for a layer without parameters), found ${kind(items[i]!)}`)
            continue
          }
          const r = go(t[i]!, items[i]!, at)
          if (isLeft(r)) return r
          out[i] = r.right
        }
        return right(Object.freeze(out))
      }
      if (Array.isArray(t) && Array.isArray(u)) {
        const ts = t as readonly Tree[]
        const out: Tree[] = []
        for (let i = 0; i < u.length; i++) {
          const r = i < ts.length ? go(ts[i]!, (u as readonly Tree[])[i]!, appendPath(path, String(i), true)) : right((u as readonly Tree[])[i]!)
          if (isLeft(r)) return r
          out.push(r.right)
        }
        return right(Object.freeze(out))
      }
      if (isRecord(t) && isRecord(u)) {
        const out: { [k: string]: Tree } = {}
        for (const k of Object.keys(u)) {
          const r = Object.hasOwn(t, k) ? go(t[k]!, u[k]!, appendPath(path, k, false)) : right(u[k]!)
          if (isLeft(r)) return r
          // an own property even for the key `__proto__` (which `out[k] =` would make the prototype)
          Object.defineProperty(out, k, { value: r.right, enumerable: true, writable: true, configurable: true })
        }
        return right(Object.freeze(out))
      }
      return right(u)
    }
    return go(template, params, root)
  }
