/**
 * Rebuilding layers from their specs: the {@link Registry} of layer builders by kind and
 * activations by name, the built-in {@link registry}, how to extend it, and {@link fromSpec}.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right, isLeft } from 'fp-ts/lib/Either.js'
import * as Act from '../Activation.js'
import { depthOption, tooDeep } from '../limits.js'
import { ShapeError } from '../ShapeError.js'
import type { ActivationLike } from './activation.js'
import { activation, perceptron } from './activation.js'
import type { Init } from './dense.js'
import { dense, inits } from './dense.js'
import type { AnyLayer, LayerSpec } from './model.js'
import { sequential } from './sequential.js'

/**
 * How to rebuild a layer of one kind from its spec: a `Left` reads like a sentence (where, what
 * was expected, what was found). `path` locates the spec in a larger one (`$`, `$.layers[2]`).
 *
 * @category model
 */
export type LayerBuilder = (spec: LayerSpec, registry: Registry, path: string) => Either<string, AnyLayer>

/**
 * What {@link fromSpec} knows: layer builders by kind and activations by name.
 *
 * @category model
 */
export interface Registry {
  /** Builders by `spec.kind`. */
  readonly layers: { readonly [kind: string]: LayerBuilder }
  /** Activations by name, for `{ kind: 'activation', name }`. */
  readonly activations: { readonly [name: string]: ActivationLike }
}

/** The entry of a table under its own key `k`, never one inherited (`constructor`, `__proto__`, `toString`). */
const own = <V>(table: { readonly [k: string]: V }, k: string): V | undefined => (Object.hasOwn(table, k) ? table[k] : undefined)

const posInt = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u > 0
const found = (u: unknown): string => (u === undefined ? 'nothing' : JSON.stringify(u) ?? String(u))

const denseBuilder =
  (perceptronKind: boolean): LayerBuilder =>
  (spec, _r, path) => {
    for (const k of ['in', 'out'] as const)
      if (!posInt(spec[k])) return left(`${path}.${k}: expected a positive integer, found ${found(spec[k])}`)
    const init = spec['init'] ?? 'glorot'
    if (typeof init !== 'string' || !Object.hasOwn(inits, init))
      return left(`${path}.init: expected one of ${Object.keys(inits).join(', ')}, found ${found(init)}`)
    const bias = spec['bias'] ?? true
    if (typeof bias !== 'boolean') return left(`${path}.bias: expected a boolean, found ${found(bias)}`)
    if (perceptronKind && !bias) return left(`${path}.bias: expected true for a perceptron, found false`)
    const nIn = spec['in'] as number
    const nOut = spec['out'] as number
    return right(
      perceptronKind
        ? perceptron(nIn, nOut, { init: init as Init })
        : bias
          ? dense(nIn, nOut, { init: init as Init })
          : dense(nIn, nOut, { init: init as Init, bias: false }),
    )
  }

const PARAMETERISED: { readonly [name: string]: (a: number) => ActivationLike } = {
  leakyRelu: Act.leakyRelu,
  elu: Act.elu,
}

const activationBuilder: LayerBuilder = (spec, r, path) => {
  const name = spec['name']
  if (typeof name !== 'string') return left(`${path}.name: expected an activation name, found ${found(name)}`)
  const known = own(r.activations, name)
  if (known !== undefined) return right(activation(known))
  const m = /^(\w+)\((.*)\)$/.exec(name)
  const mk = m !== null ? own(PARAMETERISED, m[1]!) : undefined
  if (m !== null && mk !== undefined) {
    const a = Number(m[2])
    try {
      return right(activation(mk(a)))
    } catch (e) {
      return left(`${path}.name: ${(e as Error).message}`)
    }
  }
  return left(`${path}.name: expected one of ${Object.keys(r.activations).join(', ')} (or leakyRelu(a), elu(a)), found ${found(name)}`)
}

const sequentialBuilder: LayerBuilder = (spec, r, path) => {
  const specs = spec['layers']
  if (!Array.isArray(specs)) return left(`${path}.layers: expected an array of layer specs, found ${found(specs)}`)
  const layers: AnyLayer[] = []
  for (let i = 0; i < specs.length; i++) {
    const l = fromSpecAt(specs[i], r, `${path}.layers[${i}]`)
    if (isLeft(l)) return l
    layers.push(l.right)
  }
  try {
    return right(sequential(...layers))
  } catch (e) {
    if (e instanceof ShapeError) return left(`${path}: ${e.message}`)
    throw e
  }
}

const builtinActivations: { readonly [name: string]: ActivationLike } = Object.freeze(
  Object.fromEntries([...Act.all, Act.softmax, Act.logSoftmax].map((a) => [a.name, a])),
)

/**
 * The built-in registry: `dense`, `perceptron`, `activation` (every activation of the
 * `Activation` module by name) and `sequential`. Extend it with {@link register} and
 * {@link registerActivation}.
 *
 * @example
 * ```ts
 * import { Layer } from 'autodiff-ts'
 *
 * Object.keys(Layer.registry.layers) // ['dense', 'perceptron', 'activation', 'sequential']
 * Layer.registry.activations['tanh']!.name // 'tanh'
 * ```
 *
 * @category registry
 */
export const registry: Registry = Object.freeze({
  layers: Object.freeze({
    dense: denseBuilder(false),
    perceptron: denseBuilder(true),
    activation: activationBuilder,
    sequential: sequentialBuilder,
  }),
  activations: builtinActivations,
})

/**
 * Adds (or replaces) the builder of a layer kind, data-last for `pipe`.
 *
 * @example
 * ```ts
 * import { Layer } from 'autodiff-ts'
 * import { isRight, right } from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * // a kind of layer that widens its input to 64 features
 * const mine = pipe(Layer.registry, Layer.register('widen', (spec) => right(Layer.dense(spec['in'] as number, 64))))
 * isRight(Layer.fromSpec({ kind: 'widen', in: 3 }, mine)) // true
 * isRight(Layer.fromSpec({ kind: 'widen', in: 3 })) // false: not a built-in kind
 * ```
 *
 * @category registry
 */
export const register =
  (kind: string, build: LayerBuilder) =>
  (r: Registry): Registry =>
    Object.freeze({ layers: Object.freeze({ ...r.layers, [kind]: build }), activations: r.activations })

/**
 * Adds (or replaces) an activation by name, data-last for `pipe`, so that
 * `{ kind: 'activation', name }` specs of a user's own activation can be rebuilt.
 *
 * @example
 * ```ts
 * import { Activation, Layer } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * const softsign = {
 *   name: 'softsign',
 *   diff: Activation.pointwiseDiff('softsign', {
 *     value: (x, y) => { for (let i = 0; i < x.length; i++) y[i] = x[i]! / (1 + Math.abs(x[i]!)) },
 *     valueAndDerivative: (x, y, d) => {
 *       for (let i = 0; i < x.length; i++) { const a = 1 + Math.abs(x[i]!); y[i] = x[i]! / a; d[i] = 1 / (a * a) }
 *     },
 *   }),
 * }
 * const mine = pipe(Layer.registry, Layer.registerActivation(softsign))
 * isRight(Layer.fromSpec(Layer.activation(softsign).spec, mine)) // true
 * ```
 *
 * @category registry
 */
export const registerActivation =
  (a: ActivationLike) =>
  (r: Registry): Registry =>
    Object.freeze({ layers: r.layers, activations: Object.freeze({ ...r.activations, [a.name]: a }) })

const isRecord = (u: unknown): u is { readonly [k: string]: unknown } => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * {@link fromSpec} for a spec found at `path` inside a larger one, so that a user's builder can
 * rebuild the layers nested in its spec with messages that say where they are. It takes a
 * builder's arguments, in a builder's order: `(spec, registry, path)`.
 *
 * @example
 * ```ts
 * import { Layer } from 'autodiff-ts'
 * import { map } from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * // { kind: 'twice', inner }: the inner layer applied two times
 * const twice: Layer.LayerBuilder = (spec, r, path) =>
 *   pipe(Layer.fromSpecAt(spec['inner'], r, `${path}.inner`), map((inner): Layer.AnyLayer => Layer.sequential(inner, inner)))
 * const mine = pipe(Layer.registry, Layer.register('twice', twice))
 * const r = Layer.fromSpec({ kind: 'twice', inner: { kind: 'dense', in: 2, out: 0 } }, mine)
 * r._tag === 'Left' && r.left // '$.inner.out: expected a positive integer, found 0'
 * ```
 *
 * @category registry
 */
export const fromSpecAt = (u: unknown, r: Registry, path: string): Either<string, AnyLayer> => {
  if (!isRecord(u)) return left(`${path}: expected a layer spec (an object with a kind), found ${found(u)}`)
  const kind = u['kind']
  if (typeof kind !== 'string') return left(`${path}.kind: expected a string, found ${found(kind)}`)
  const build = own(r.layers, kind)
  if (build === undefined) return left(`${path}.kind: expected one of ${Object.keys(r.layers).join(', ')}, found ${found(kind)}`)
  return build(u as LayerSpec, r, path)
}

/**
 * Rebuilds a layer from its spec (for instance one read back from a saved model), using the
 * builders and activations of `r`: by default the built-in {@link registry}, as for
 * `Model.load(text, r)`. The `Left` names where in the spec, what was expected and what was found.
 * Kinds and activation names are looked up among the registry's own keys only (`constructor` or
 * `__proto__` are unknown names, listed against the known ones), and a spec nested deeper than
 * `options.maxDepth` (default 64) is refused before anything is built.
 *
 * @example
 * ```ts
 * import { Activation, Layer } from 'autodiff-ts'
 *
 * const model = Layer.sequential(Layer.dense(4, 8), Layer.activation(Activation.tanh), Layer.dense(8, 1))
 * const rebuilt = Layer.fromSpec(JSON.parse(JSON.stringify(model.spec)))
 * rebuilt._tag === 'Right' && rebuilt.right.spec.kind // 'sequential'
 * const bad = Layer.fromSpec({ kind: 'dense', in: 0, out: 2 })
 * bad._tag === 'Left' && bad.left // '$.in: expected a positive integer, found 0'
 * ```
 *
 * @category registry
 */
export const fromSpec = (spec: unknown, r: Registry = registry, options: SpecOptions = {}): Either<string, AnyLayer> => {
  const deep = tooDeep(spec, depthOption('Layer.fromSpec', options.maxDepth), '$')
  return deep !== undefined ? left(deep) : fromSpecAt(spec, r, '$')
}

/**
 * Options of {@link fromSpec}: `maxDepth`, the deepest nesting of arrays and objects a spec may
 * have (default 64, at most 2000), checked by a loop before any builder runs, so that no spec
 * can overflow the stack.
 *
 * @example
 * ```ts
 * import { Layer } from 'autodiff-ts'
 *
 * const options: Layer.SpecOptions = { maxDepth: 3 }
 * const nested = { kind: 'sequential', layers: [{ kind: 'sequential', layers: [{ kind: 'activation', name: 'relu' }] }] }
 * Layer.fromSpec(nested, Layer.registry, options)._tag // 'Left'
 * Layer.fromSpec(nested)._tag // 'Right'
 * ```
 *
 * @category registry
 */
export interface SpecOptions {
  /** The deepest nesting of arrays and objects accepted; default 64, at most 2000. */
  readonly maxDepth?: number
}

/**
 * The number of parameters (numbers in all tensors) the layer of `spec` has, computed from the
 * spec alone, without making them; undefined if some kind in it is not built by the built-in
 * builder in `r` (a user's own kind: only its `init` knows). `Model.load` uses it to refuse a
 * file whose parameters are missing before initialising any layer.
 *
 * @example
 * ```ts
 * paramCount(registry, { kind: 'dense', in: 3, out: 2, bias: true }) // 8
 * ```
 * @internal
 */
export const paramCount = (r: Registry, spec: unknown): number | undefined => {
  let total = 0
  const stack: unknown[] = [spec]
  while (stack.length > 0) {
    const s = stack.pop()
    if (!isRecord(s) || typeof s['kind'] !== 'string') return undefined
    const kind = s['kind']
    const build = own(r.layers, kind)
    if (build === undefined || build !== own(registry.layers, kind)) return undefined
    if (kind === 'dense' || kind === 'perceptron') {
      const nIn = s['in'] as number
      const nOut = s['out'] as number
      total += nIn * nOut + (s['bias'] === false ? 0 : nOut)
    } else if (kind === 'sequential') for (const l of s['layers'] as readonly unknown[]) stack.push(l)
  }
  return total
}
