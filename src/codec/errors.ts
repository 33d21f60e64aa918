/**
 * Error messages of the codecs: io-ts errors as sentences (path, expected, found), and decoding
 * or parsing JSON into an `Either` whose Left is such text.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts/lib/index.js'
import { describeValue } from '../describe.js'
import { pathStep } from '../limits.js'
import { isTensor } from '../Tensor.js'

const describe = (u: unknown): string =>
  isTensor(u) ? `a tensor of shape [${u.shape.join(', ')}]` : describeValue(u)

/**
 * `path` and one more step: `[i]` for an array index, `.key` for a record key, `["a key"]`
 * otherwise.
 *
 * @example
 * ```ts
 * appendPath('params', 'w', false) // 'params.w'
 * appendPath('params', 'a key', false) // 'params["a key"]'
 * ```
 * @internal
 */
export const appendPath = (path: string, key: string, isIndex: boolean): string =>
  isIndex ? `${path}[${key}]` : `${path}${pathStep(key)}`

/** The path of a context: `root`, `.key` for record keys, `[i]` for array indices. */
const pathOf = (context: t.Context, root: string): string => {
  let path = root
  for (let i = 1; i < context.length; i++) {
    const { key } = context[i]!
    path = appendPath(path, key, Array.isArray(context[i - 1]!.actual) && /^\d+$/.test(key))
  }
  return path
}

/**
 * One sentence per io-ts error, naming the path (from `root`, e.g. `params.layers[1].W.shape`),
 * what was expected and what was found, one per line; at most `limit` lines (default 20), then
 * a count of the rest. Works for any io-ts codec: where an error carries no message, the
 * expected type's name is used.
 *
 * @example
 * ```ts
 * import { Codec } from 'autodiff-ts'
 * import { isLeft } from 'fp-ts/lib/Either.js'
 *
 * const r = Codec.tree.decode({ layers: [{ W: { dtype: 'float64', shape: [2, -2], data: [] } }] })
 * isLeft(r) && Codec.formatErrors(r.left, 'params') // 'params.layers[0].W.shape[1]: expected a non-negative integer dimension, found the number -2'
 * ```
 * @category errors
 */
export const formatErrors = (errors: t.Errors, root = 'value', limit = 20): string => {
  const lines = [
    ...new Set(
      errors.map((e) => {
        const expected = e.message ?? e.context[e.context.length - 1]?.type.name ?? 'a valid value'
        return `${pathOf(e.context, root)}: expected ${expected}, found ${describe(e.value)}`
      }),
    ),
  ]
  const more = lines.length - limit
  return (more > 0 ? [...lines.slice(0, limit), `... and ${more} more error${more === 1 ? '' : 's'}`] : lines).join('\n')
}

/**
 * Decodes with any io-ts codec into an `Either` whose Left is {@link formatErrors}' text, paths
 * starting at `root`.
 *
 * @example
 * ```ts
 * import { Codec } from 'autodiff-ts'
 *
 * const { tensor } = Codec
 * decode(tensor, 'W')({ dtype: 'float64', shape: [2], data: [1] })
 * // left('W.data: expected 2 entries for shape [2], found an array of length 1')
 * ```
 * @category errors
 */
export const decode =
  <A, O>(codec: t.Type<A, O, unknown>, root = 'value') =>
  (u: unknown): Either<string, A> => {
    const r = codec.decode(u)
    return isLeft(r) ? left(formatErrors(r.left, root)) : right(r.right)
  }

/**
 * Parses JSON text and decodes it with a codec. The Left names `root` and either the JSON
 * syntax error or the decoding errors.
 *
 * @example
 * ```ts
 * import { Codec } from 'autodiff-ts'
 *
 * const { tree } = Codec
 * fromJson(tree, 'params')('{"w": [1, "-0"]}') // right({ w: [1, -0] })
 * fromJson(tree, 'params')('{"w": [1,') // left('params: invalid JSON (Unexpected end of JSON input)')
 * ```
 * @category json
 */
export const fromJson =
  <A, O>(codec: t.Type<A, O, unknown>, root = 'value') =>
  (text: string): Either<string, A> => {
    let u: unknown
    try {
      u = JSON.parse(text)
    } catch (e) {
      return left(`${root}: invalid JSON (${e instanceof Error ? e.message : String(e)})`)
    }
    return decode(codec, root)(u)
  }

/**
 * Encodes a value with a codec and writes it as JSON text (with `indent` spaces, default none).
 *
 * @example
 * ```ts
 * import { Codec, fromData } from 'autodiff-ts'
 *
 * Codec.toJson(Codec.tensor)(fromData([2], [0.1, -0])) // '{"dtype":"float64","shape":[2],"data":[0.1,"-0"]}'
 * ```
 * @category json
 */
export const toJson =
  <A, O>(codec: t.Type<A, O, unknown>, indent?: number) =>
  (a: A): string =>
    JSON.stringify(codec.encode(a), null, indent)
