/**
 * Saved models: a layer and its parameters as JSON text, and back (to and from files:
 * `saveModel` and `loadModel` of `autodiff-ts/node`).
 *
 * **The file.** One JSON object:
 * ```json
 * {
 *   "format": "autodiff-ts/model",
 *   "version": 2,
 *   "spec": { "kind": "sequential", "layers": [{ "kind": "dense", "in": 64, "out": 10, ... }, { "kind": "activation", "name": "relu" }] },
 *   "params": { "0": { "w": { "dtype": "float64", "shape": [64, 10], "data": [...] }, "b": { ... } } },
 *   "meta": { "anything": "the caller wants to keep" }
 * }
 * ```
 * `spec` is the layer's spec (see `Layer.fromSpec`), `params` the parameter tree in the
 * `Codec.tree` form: every tensor carries its shape, every float64 is written exactly (`-0`,
 * NaN and the infinities as strings), so {@link save} then {@link load} gives the parameters
 * back bit for bit. A sequential's parameters are keyed by layer index, with no entry for a
 * layer without parameters (see `Layer.sequential`). `meta` (optional) is any JSON the caller
 * wants kept beside the model, such as normalisation statistics or class names.
 *
 * **Versions.** {@link save} writes version 2. {@link load} also reads version 1, which wrote a
 * sequential's parameters as an array with `[]` for each layer without parameters
 * (`[{ w, b }, [], { w, b }]`): they are read into version 2's structure (`{ 0: ..., 2: ... }`),
 * so a version-1 file loads to exactly what saving its model today would give.
 *
 * **Loading** checks, in order: that the text is JSON, the format and version, the fields and
 * every tensor (`Codec`), the nesting depth of the spec and the parameters (`maxDepth`, default
 * 64), that the spec names layers the registry can build (by its own keys only), that the file
 * holds as many parameters as the spec's built-in layers have, if they are more than 2^20 (before
 * any layer is initialised, so a file without its parameters cannot make a big layer allocate
 * them), for version 1 that its placeholders hold nothing, and that the parameters have exactly
 * the structure and shapes of the rebuilt layer's own fresh parameters.
 * The first failing check gives a `Left` naming the path in the file, what was expected and
 * what was found (`model.params[2].w.shape: expected [64, 10], found [64, 12]`); no layer or
 * parameters are returned unless every check passed.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import * as t from 'io-ts/lib/index.js'
import * as Codec from './Codec.js'
import type { Json, Layer, Registry } from './Layer.js'
import { fromSpec, registry as builtins } from './Layer.js'
import { fromVersion1 } from './codec/version1.js'
import { paramCount } from './layer/registry.js'
import { key } from './Random.js'
import { ShapeError } from './ShapeError.js'
import type { Tensor } from './Tensor.js'
import type { Tree } from './Tree.js'
import { size as treeSize } from './Tree.js'

/**
 * The value of the `format` field of a saved model: how {@link load} knows the JSON is one.
 *
 * @example
 * ```ts
 * FORMAT // 'autodiff-ts/model'
 * ```
 * @category model
 */
export const FORMAT = 'autodiff-ts/model'

/**
 * The format version this library writes; {@link load} reads it and version 1 (see
 * {@link VERSIONS}), and refuses any other, saying so.
 *
 * @example
 * ```ts
 * VERSION // 2
 * ```
 * @category model
 */
export const VERSION = 2

/**
 * The format versions {@link load} reads: 1 (a sequential's parameters as an array with `[]`
 * placeholders for layers without parameters) and 2 (keyed by layer index, no placeholders).
 *
 * @example
 * ```ts
 * VERSIONS // [1, 2]
 * ```
 * @category model
 */
export const VERSIONS: readonly number[] = Object.freeze([1, VERSION])

/**
 * A model read back by {@link load}: the layer rebuilt from its spec, its parameters (shaped as
 * the layer's own), and the `meta` JSON saved with it, if any. The layer maps tensors to
 * tensors, as every layer of the built-in registry does.
 *
 * @example
 * ```ts
 * import { Layer, Model, Random, tensor } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 *
 * const dense = Layer.dense(2, 1)
 * const loaded = Model.load(Model.save(dense, { w: tensor([[1], [2]]), b: tensor([0.5]) }))
 * if (isRight(loaded)) {
 *   const { layer, params } = loaded.right
 *   layer.apply([params, tensor([[1, 1]])]) // [[3.5]]
 * }
 * ```
 * @category model
 */
export interface Loaded {
  /** The layer, rebuilt by `Layer.fromSpec` from the saved spec. */
  readonly layer: Layer<Tree, Tensor, Tensor>
  /** The parameters, of exactly the structure and shapes of `layer.init(key)`. */
  readonly params: Tree
  /** The `meta` JSON saved beside the model; absent if none was saved. */
  readonly meta?: Json
}

/**
 * Options of {@link save}: `meta` to keep beside the model, `indent` for readable text.
 *
 * @example
 * ```ts
 * import { Layer, Model, Random } from 'autodiff-ts'
 *
 * const layer = Layer.dense(64, 10)
 * const options: Model.SaveOptions = { meta: { pixelScale: 16, classes: 10 }, indent: 2 }
 * Model.save(layer, layer.init(Random.key(0)), options).startsWith('{\n  "format": "autodiff-ts/model"') // true
 * ```
 * @category model
 */
export interface SaveOptions {
  /** Any JSON to keep beside the model (normalisation statistics, class names, ...). */
  readonly meta?: Json
  /** Indentation of the JSON text, in spaces; default none (the most compact text). */
  readonly indent?: number
}

const ROOT = 'model'

/** Parameters a layer may initialise to compare with a file that holds fewer: 2^20 numbers (8 MiB). */
const SMALL_TEMPLATE = 2 ** 20

/** The shapes a `Codec.conforms` message quotes (`expected [64, 10], found [64, 12]`), for a `ShapeError`. */
const shapesIn = (message: string): readonly (readonly number[])[] =>
  [...message.slice(message.indexOf(': ') + 2).matchAll(/\[([\d, ]*)\]/g)].map((m) => (m[1]!.trim() === '' ? [] : m[1]!.split(',').map(Number)))

const header = t.type({ format: t.literal(FORMAT), version: t.number })

const specCodec = new t.Type<{ readonly [k: string]: unknown }, unknown, unknown>(
  'a layer spec (an object with a kind)',
  t.UnknownRecord.is,
  t.UnknownRecord.validate,
  t.identity,
)

const paramsCodec = (tree: t.Type<Tree, Codec.TreeJson, unknown>): t.Type<Tree, unknown, unknown> =>
  new t.Type<Tree, unknown, unknown>(
    'params',
    tree.is,
    (u, c) => (u === undefined ? t.failure(u, c, 'a parameter tree (numbers and tensors in arrays and objects)') : tree.validate(u, c)),
    tree.encode,
  )

// t.type, not t.intersection: an intersection would put its member index into the error paths
const envelopeOf = (tree: t.Type<Tree, Codec.TreeJson, unknown>) =>
  t.type({ format: t.literal(FORMAT), version: t.number, spec: specCodec, params: paramsCodec(tree), meta: t.unknown })

const defaultEnvelope = envelopeOf(Codec.tree)

/**
 * Options of {@link load} (and `loadModel` of `autodiff-ts/node`): `maxDepth`, the deepest
 * nesting of arrays and objects accepted in the spec and in the parameters (default 64, at most
 * 2000).
 *
 * @example
 * ```ts
 * import { Layer, Model, Random } from 'autodiff-ts'
 *
 * const layer = Layer.dense(2, 1)
 * const options: Model.LoadOptions = { maxDepth: 128 }
 * Model.load(Model.save(layer, layer.init(Random.key(0))), Layer.registry, options)._tag // 'Right'
 * ```
 * @category loading
 */
export interface LoadOptions {
  /** The deepest nesting of arrays and objects in the spec and the parameters; default 64, at most 2000. */
  readonly maxDepth?: number
}

/** The parameters' structure and shapes as the layer makes them (the same for every key). */
const templateOf = <P extends Tree>(layer: Layer<P, Tensor, Tensor>): Tree => layer.init(key(0))

/**
 * The JSON text of a model: the format and version, the layer's spec, the parameters (every
 * tensor with its shape, every float64 exact) and, optionally, `meta`. {@link load} reads it back
 * bit for bit.
 *
 * @throws ShapeError if `params` do not have the structure and shapes of `layer.init(key)`
 *   (such a file could not be loaded), naming the first difference.
 * @example
 * ```ts
 * import { Activation, Layer, Model, Random, Tree } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 *
 * const mlp = Layer.sequential(Layer.dense(4, 8), Layer.activation(Activation.relu), Layer.dense(8, 3))
 * const params = mlp.init(Random.key(0))
 * const text = Model.save(mlp, params, { meta: { classes: ['a', 'b', 'c'] } })
 * JSON.parse(text).params[2].w.shape // [8, 3]
 * Object.keys(JSON.parse(text).params) // ['0', '2']: no entry for the relu
 * const back = Model.load(text)
 * isRight(back) && Tree.ravel(back.right.params)[0].every((x, i) => Object.is(x, Tree.ravel(params)[0][i])) // true: bit for bit
 * isRight(back) && back.right.meta // { classes: ['a', 'b', 'c'] }
 * ```
 * @category saving
 */
export const save = <P extends Tree>(layer: Layer<P, Tensor, Tensor>, params: P, options: SaveOptions = {}): string => {
  const ok = Codec.conforms(templateOf(layer), 'params')(params)
  if (isLeft(ok)) throw new ShapeError('Model.save', `expected parameters shaped as the layer's own, but ${ok.left}`, shapesIn(ok.left))
  const file: { [k: string]: unknown } = {
    format: FORMAT,
    version: VERSION,
    spec: layer.spec,
    params: Codec.tree.encode(params),
  }
  if (options.meta !== undefined) file['meta'] = options.meta
  return JSON.stringify(file, null, options.indent)
}

/**
 * Reads a model from the JSON text written by {@link save}, rebuilding the layer from its spec
 * with the layers of `registry` (default `Layer.registry`; extend it with `Layer.register` for
 * one's own layers). Returns a `Left` naming the path in the file, what was expected and what
 * was found, for: text that is not JSON, another format or version, a missing or malformed
 * field or tensor, a spec the registry cannot build, and parameters whose structure or shapes
 * differ from the layer's. Never returns a half-built model. Reads version 1 files too, into
 * version 2's structure (see {@link VERSIONS}).
 *
 * @example
 * ```ts
 * import { Activation, Layer, Model, Random, zeros } from 'autodiff-ts'
 * import { isLeft } from 'fp-ts/lib/Either.js'
 *
 * const mlp = Layer.sequential(Layer.dense(64, 64), Layer.activation(Activation.relu), Layer.dense(64, 10))
 * const file = JSON.parse(Model.save(mlp, mlp.init(Random.key(0))))
 * Model.load(JSON.stringify(file))._tag // 'Right'
 *
 * const newer = Model.load(JSON.stringify({ ...file, version: 3 }))
 * isLeft(newer) && newer.left // 'model.version: expected 1 or 2 (the format versions this library reads), found 3'
 * file.params[2].w = { dtype: 'float64', shape: [64, 12], data: Array.from(zeros([64, 12]).data) }
 * const wrong = Model.load(JSON.stringify(file))
 * isLeft(wrong) && wrong.left // 'model.params[2].w.shape: expected [64, 10], found [64, 12]'
 * const notJson = Model.load('<html>')
 * isLeft(notJson) && notJson.left.startsWith('model: expected JSON text of a saved model, found text that is not JSON') // true
 * ```
 * @category loading
 */
export const load = (text: string, registry: Registry = builtins, options: LoadOptions = {}): Either<string, Loaded> => {
  let u: unknown
  try {
    u = JSON.parse(text)
  } catch (e) {
    return left(`${ROOT}: expected JSON text of a saved model, found text that is not JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  if (typeof u !== 'object' || u === null || Array.isArray(u))
    return left(`${ROOT}: expected a saved model (a JSON object with format "${FORMAT}"), found ${Array.isArray(u) ? 'an array' : `the JSON value ${JSON.stringify(u)}`}`)
  // the format and the version first: a newer file should say so, not list every difference
  const h = Codec.decode(header, ROOT)(u)
  if (isLeft(h)) return h
  const version = h.right.version
  if (!VERSIONS.includes(version))
    return left(`${ROOT}.version: expected ${VERSIONS.join(' or ')} (the format versions this library reads), found ${version}`)
  const envelope = options.maxDepth === undefined ? defaultEnvelope : envelopeOf(Codec.treeCodec(options))
  const env = Codec.decode(envelope, ROOT)(u)
  if (isLeft(env)) return env
  const { spec, params } = env.right
  const built = fromSpec(spec, registry, options)
  if (isLeft(built)) return left(built.left.replace(/^\$/, `${ROOT}.spec`))
  const layer = built.right as Layer<Tree, Tensor, Tensor>
  // the size first, from the spec alone: a file without its parameters must not make a big layer
  // allocate them (a small one may: then the structural check below says exactly what is missing)
  const expected = paramCount(registry, spec)
  const found = treeSize(params)
  if (expected !== undefined && expected > found && expected > SMALL_TEMPLATE)
    return left(`${ROOT}.params: expected ${expected} numbers in all for the layers of the spec, found ${found}`)
  let template: Tree
  try {
    template = templateOf(layer)
  } catch (e) {
    return left(`${ROOT}.spec: expected a layer whose parameters can be made, found one whose init fails (${e instanceof Error ? e.message : String(e)})`)
  }
  const current = version === 1 ? fromVersion1(template, `${ROOT}.params`)(params) : right(params)
  if (isLeft(current)) return current
  const shaped = Codec.conforms(template, `${ROOT}.params`)(current.right)
  if (isLeft(shaped)) return shaped
  const meta = env.right.meta
  const loaded = shaped.right
  return right(Object.freeze(meta === undefined ? { layer, params: loaded } : { layer, params: loaded, meta: meta as Json }))
}
