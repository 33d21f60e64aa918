/**
 * io-ts codecs between tensors, parameter trees and JSON, with bit-exact round trips and error
 * messages that read like sentences.
 *
 * **The JSON forms.** A float64 is a JSON number, except four values JSON cannot write: `-0` is
 * the string `"-0"` (a JSON number would drop the sign), and `NaN`, `Infinity`, `-Infinity` are
 * the strings `"NaN"`, `"Infinity"`, `"-Infinity"`. Every other float64 is exact as a number,
 * because `JSON.stringify` prints the shortest decimal that reads back to the same double. So a
 * round trip through JSON text is bit-exact, except that every NaN decodes to the one canonical
 * NaN (`0x7ff8000000000000`). A tensor is `{ "dtype": "float64", "shape": [2, 3], "data": [...]
 * }`, data in row-major order. A tree is a number, a tensor, an array of trees or an object of
 * trees; a tensor is told from an object of trees by its `"dtype": "float64"` (an object of
 * trees never holds a string other than the four above).
 *
 * **Errors.** {@link formatErrors} turns io-ts errors into lines such as
 * `params.layers[1].W.shape[0]: expected a non-negative integer dimension, found the number -2`.
 * These codecs compose with any io-ts codec (`t.type({ version: t.literal(1), params: tree })`),
 * and the paths compose with them.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import * as t from 'io-ts/lib/index.js'
import type { Tensor } from './Tensor.js'
import { isTensor, wrap } from './Tensor.js'
import type { Tree } from './Tree.js'
import { describeValue } from './describe.js'
import { depthOption } from './limits.js'

// ---------------------------------------------------------------------------------------------
// Numbers

/**
 * The JSON form of a float64: a number, or one of the strings `"-0"`, `"NaN"`, `"Infinity"`,
 * `"-Infinity"` for the values JSON numbers cannot carry.
 *
 * @example
 * ```ts
 * const j: NumberJson = float64.encode(-0)
 * j // '-0'
 * ```
 * @category model
 */
export type NumberJson = number | '-0' | 'NaN' | 'Infinity' | '-Infinity'

const SPECIAL: ReadonlyMap<string, number> = new Map([
  ['-0', -0],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
])

const NUMBER_EXPECTED = 'a number or one of the strings "-0", "NaN", "Infinity", "-Infinity"'

/** The float64 of a JSON value, or undefined if it is not one. */
const readNumber = (u: unknown): number | undefined =>
  typeof u === 'number' ? u : typeof u === 'string' ? SPECIAL.get(u) : undefined

const writeNumber = (x: number): NumberJson =>
  x !== x ? 'NaN' : x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : Object.is(x, -0) ? '-0' : x

/**
 * The codec of one float64 and its {@link NumberJson} form: bit-exact through JSON text for every
 * value but NaN payloads.
 *
 * @example
 * ```ts
 * float64.encode(-0) // '-0'
 * float64.decode('Infinity') // right(Infinity)
 * JSON.stringify([1.5, -0, NaN].map(float64.encode)) // '[1.5,"-0","NaN"]'
 * ```
 * @category codecs
 */
export const float64: t.Type<number, NumberJson, unknown> = new t.Type<number, NumberJson, unknown>(
  'float64',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const x = readNumber(u)
    return x === undefined ? t.failure(u, c, NUMBER_EXPECTED) : t.success(x)
  },
  writeNumber,
)

// ---------------------------------------------------------------------------------------------
// Tensors

/**
 * The JSON form of a tensor.
 *
 * @example
 * ```ts
 * import { Codec, fromData } from 'autodiff-ts'
 *
 * const j: Codec.TensorJson = Codec.tensor.encode(fromData([2], [1, Infinity]))
 * j.shape // [2]
 * ```
 * @category model
 */
export interface TensorJson {
  /** Always `"float64"`: the element type, and the mark of a tensor inside a tree. */
  readonly dtype: 'float64'
  /** The dimensions, non-negative integers. */
  readonly shape: readonly number[]
  /** The elements in row-major order; as many as the product of the dimensions. */
  readonly data: readonly NumberJson[]
}

const describe = (u: unknown): string =>
  isTensor(u) ? `a tensor of shape [${u.shape.join(', ')}]` : describeValue(u)

const isRecord = (u: unknown): u is { readonly [k: string]: unknown } =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

const validateTensor = (u: unknown, c: t.Context): t.Validation<Tensor> => {
  if (!isRecord(u)) return t.failure(u, c, 'a tensor { dtype: "float64", shape, data }')
  const errors: t.Errors = []
  if (u['dtype'] !== 'float64')
    errors.push({ value: u['dtype'], context: t.appendContext(c, 'dtype', tensor, u['dtype']), message: 'the string "float64"' })
  const shape = u['shape']
  const sc = t.appendContext(c, 'shape', tensor, shape)
  let size = 1
  let shapeOk = Array.isArray(shape)
  if (!Array.isArray(shape)) errors.push({ value: shape, context: sc, message: 'an array of dimensions' })
  else
    for (let i = 0; i < shape.length; i++) {
      const d: unknown = shape[i]
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
        errors.push({ value: d, context: t.appendContext(sc, String(i), tensor, d), message: 'a non-negative integer dimension' })
        shapeOk = false
        break
      }
      size *= d
    }
  const data = u['data']
  const dc = t.appendContext(c, 'data', tensor, data)
  const out = Array.isArray(data) ? new Float64Array(data.length) : undefined
  if (!Array.isArray(data) || out === undefined) errors.push({ value: data, context: dc, message: 'an array of numbers' })
  else {
    if (shapeOk && data.length !== size)
      errors.push({ value: data, context: dc, message: `${size} entries for shape [${(shape as number[]).join(', ')}]` })
    for (let i = 0; i < data.length; i++) {
      const x = readNumber(data[i])
      if (x === undefined) {
        // the first bad entry is enough: a corrupt file could otherwise give a million lines
        errors.push({ value: data[i], context: t.appendContext(dc, String(i), float64, data[i]), message: NUMBER_EXPECTED })
        break
      }
      out[i] = x
    }
  }
  return errors.length > 0 ? t.failures(errors) : t.success(wrap(shape as number[], out!))
}

/**
 * The codec of a {@link Tensor} and its {@link TensorJson} form. Decoding checks that `dtype` is
 * `"float64"`, that every dimension is a non-negative integer, that every entry is a
 * {@link NumberJson}, and that the number of entries is the product of the dimensions; it builds
 * a fresh tensor. Encoding writes `-0`, NaN and the infinities as strings, so that
 * `JSON.parse(JSON.stringify(tensor.encode(x)))` decodes to `x` bit for bit.
 *
 * @example
 * ```ts
 * import { Codec, fromData } from 'autodiff-ts'
 * import { isLeft } from 'fp-ts/lib/Either.js'
 *
 * Codec.tensor.encode(fromData([2], [1, -0])) // { dtype: 'float64', shape: [2], data: [1, '-0'] }
 * const r = Codec.tensor.decode({ dtype: 'float64', shape: [2, 2], data: [1, 2, 3] })
 * isLeft(r) && Codec.formatErrors(r.left) // 'value.data: expected 4 entries for shape [2, 2], found an array of length 3'
 * ```
 * @category codecs
 */
export const tensor: t.Type<Tensor, TensorJson, unknown> = new t.Type<Tensor, TensorJson, unknown>(
  'Tensor',
  isTensor,
  (u, c) => validateTensor(u, c),
  (x) => {
    const d = x.data
    const data = new Array<NumberJson>(d.length)
    for (let i = 0; i < d.length; i++) data[i] = writeNumber(d[i]!)
    return { dtype: 'float64', shape: [...x.shape], data }
  },
)

// ---------------------------------------------------------------------------------------------
// Trees

/**
 * The JSON form of a parameter tree.
 *
 * @example
 * ```ts
 * import { Codec, zeros } from 'autodiff-ts'
 *
 * const j: Codec.TreeJson = Codec.tree.encode({ w: zeros([1]), scale: -0 })
 * JSON.stringify(j) // '{"w":{"dtype":"float64","shape":[1],"data":[0]},"scale":"-0"}'
 * ```
 * @category model
 */
export type TreeJson = NumberJson | TensorJson | readonly TreeJson[] | { readonly [k: string]: TreeJson }


const looksLikeTensor = (u: { readonly [k: string]: unknown }): boolean => {
  const d = u['dtype']
  return typeof d === 'string' && !SPECIAL.has(d)
}

const validateTree = (u: unknown, c: t.Context, depth: number, maxDepth: number, codec: t.Decoder<unknown, Tree>): t.Validation<Tree> => {
  if (depth > maxDepth) return t.failure(u, c, `a tree nested at most ${maxDepth} levels deep (the maxDepth option)`)
  const x = readNumber(u)
  if (x !== undefined) return t.success(x)
  if (Array.isArray(u)) {
    const errors: t.Errors = []
    const out = new Array<Tree>(u.length)
    for (let i = 0; i < u.length; i++) {
      const r = validateTree(u[i], t.appendContext(c, String(i), codec, u[i]), depth + 1, maxDepth, codec)
      if (isLeft(r)) errors.push(...r.left)
      else out[i] = r.right
    }
    return errors.length > 0 ? t.failures(errors) : t.success(Object.freeze(out))
  }
  if (isRecord(u)) {
    if (looksLikeTensor(u)) return validateTensor(u, c)
    const errors: t.Errors = []
    const out: Record<string, Tree> = {}
    for (const k of Object.keys(u)) {
      const r = validateTree(u[k], t.appendContext(c, k, codec, u[k]), depth + 1, maxDepth, codec)
      if (isLeft(r)) errors.push(...r.left)
      else Object.defineProperty(out, k, { value: r.right, enumerable: true, writable: false, configurable: false })
    }
    return errors.length > 0 ? t.failures(errors) : t.success(Object.freeze(out))
  }
  return t.failure(u, c, `${NUMBER_EXPECTED}, a tensor, an array or an object`)
}

const isTree = (u: unknown, maxDepth: number, depth = 0): u is Tree =>
  depth <= maxDepth &&
  (typeof u === 'number' ||
    isTensor(u) ||
    (Array.isArray(u) && u.every((v) => isTree(v, maxDepth, depth + 1))) ||
    (isRecord(u) && Object.values(u).every((v) => isTree(v, maxDepth, depth + 1))))

const encodeTree = (x: Tree): TreeJson => {
  if (typeof x === 'number') return writeNumber(x)
  if (isTensor(x)) return tensor.encode(x)
  if (Array.isArray(x)) return (x as readonly Tree[]).map(encodeTree)
  const out: Record<string, TreeJson> = {}
  for (const [k, v] of Object.entries(x as { readonly [k: string]: Tree }))
    Object.defineProperty(out, k, { value: encodeTree(v), enumerable: true, writable: true, configurable: true })
  return out
}

/**
 * Options of {@link treeCodec}: `maxDepth`, the deepest nesting of arrays and records accepted
 * (default 64, at most 2000).
 *
 * @example
 * ```ts
 * import { Codec } from 'autodiff-ts'
 *
 * const options: Codec.TreeOptions = { maxDepth: 2 }
 * Codec.treeCodec(options).decode([[[1]]])._tag // 'Left'
 * ```
 * @category codecs
 */
export interface TreeOptions {
  /** The deepest nesting of arrays and records accepted; default 64, at most 2000. */
  readonly maxDepth?: number
}

/**
 * The codec of a parameter {@link Tree} (numbers and tensors nested in arrays and records) and
 * its {@link TreeJson} form: numbers as {@link float64}, tensors as {@link tensor}, arrays as JSON
 * arrays, records as JSON objects (key order kept). Decoding reports every bad leaf with its path
 * and returns frozen arrays and records; trees nested deeper than `options.maxDepth` (default
 * 64) are refused, so no input overflows the stack. {@link tree} is this codec with the default.
 *
 * @throws RangeError if `maxDepth` is not an integer in [1, 2000].
 * @example
 * ```ts
 * import { Codec } from 'autodiff-ts'
 *
 * const deep = Codec.treeCodec({ maxDepth: 1000 })
 * let nested: unknown = 1
 * for (let i = 0; i < 500; i++) nested = [nested]
 * deep.decode(nested)._tag // 'Right'
 * Codec.tree.decode(nested)._tag // 'Left'
 * ```
 * @category codecs
 */
export const treeCodec = (options: TreeOptions = {}): t.Type<Tree, TreeJson, unknown> => {
  const maxDepth = depthOption('Codec.treeCodec', options.maxDepth)
  const codec: t.Type<Tree, TreeJson, unknown> = new t.Type<Tree, TreeJson, unknown>(
    'Tree',
    (u): u is Tree => isTree(u, maxDepth),
    (u, c) => validateTree(u, c, 0, maxDepth, codec),
    encodeTree,
  )
  return codec
}

/**
 * The codec of a parameter {@link Tree} (numbers and tensors nested in arrays and records) and
 * its {@link TreeJson} form: numbers as {@link float64}, tensors as {@link tensor}, arrays as JSON
 * arrays, records as JSON objects (key order kept). Decoding reports every bad leaf with its path
 * and returns frozen arrays and records; trees nested deeper than 64 levels are refused (see
 * {@link treeCodec} for another limit).
 *
 * @example
 * ```ts
 * import { Codec, Tree, zeros } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 *
 * const params = { layers: [{ W: zeros([2, 3]), b: zeros([3]) }], scale: -0 }
 * const text = JSON.stringify(Codec.tree.encode(params))
 * text.endsWith('"scale":"-0"}') // true: the sign of zero is kept
 * const back = Codec.tree.decode(JSON.parse(text))
 * isRight(back) && Tree.structureEq(back.right, params) // true
 * isRight(back) && Tree.ravel(back.right)[0].every((x, i) => Object.is(x, Tree.ravel(params)[0][i])) // true: bit for bit
 * ```
 * @category codecs
 */
export const tree: t.Type<Tree, TreeJson, unknown> = treeCodec()

// ---------------------------------------------------------------------------------------------
// Error messages

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** `path` and one more step: `[i]` for an array index, `.key` for a record key, `["a key"]` otherwise. */
const appendPath = (path: string, key: string, isIndex: boolean): string =>
  isIndex ? `${path}[${key}]` : IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`

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

// ---------------------------------------------------------------------------------------------
// Structure

const kind = (u: Tree): string =>
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
