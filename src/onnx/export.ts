/**
 * Export: a layer's spec and parameters as an ONNX graph. Each kind of layer the library builds
 * (dense, perceptron, activation, sequential, and the residual block `{ kind: 'residual', inner }`)
 * has one exporter here; anything else is a `Left` naming where it is in the model and its kind.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import type { AnyLayer, Json, LayerSpec } from '../layer/model.js'
import { entryOf } from '../layer/sequential.js'
import { isTensor, type Tensor } from '../Tensor.js'
import { activationGraph, activationNames } from './activations.js'
import { encode, SPEC_KEY } from './encode.js'
import { Builder, prefixOf, type DType, type Graph } from './graph.js'
import { ops } from './ops.js'

/**
 * Why a layer could not be exported: where it is in the model (`$`, `$.layers[2]`,
 * `$.layers[1].inner`), its kind, and a sentence saying what was expected and what was found.
 *
 * @example
 * ```ts
 * import { Activation, Layer, Random } from 'autodiff-ts'
 * import { Onnx } from 'autodiff-ts/onnx'
 *
 * // an activation of the user's own, which the export does not know
 * const mine = Layer.activation({ name: 'mine', diff: Activation.relu.diff })
 * const model = Layer.sequential(Layer.dense(2, 2), mine)
 * const r = Onnx.export(model, model.init(Random.key(0)))
 * r._tag === 'Left' && r.left.path // '$.layers[1]'
 * ```
 *
 * @category model
 */
export interface ExportError {
  /** Where the layer is in the model, as in `Layer.fromSpec`'s messages: `$.layers[2]`. */
  readonly path: string
  /** The layer's kind (`spec.kind`), or its activation's name. */
  readonly kind: string
  /** The whole message: path, kind, what was expected, what was found. */
  readonly message: string
}

/**
 * Options of `Onnx.export`.
 *
 * @category model
 */
export interface ExportOptions {
  /** The element type of the model: `'float64'` (ONNX DOUBLE, the default) or `'float32'` (FLOAT). */
  readonly dtype?: DType
  /** The name of the graph's input, default `'x'`. */
  readonly inputName?: string
  /** The name of the graph's output, default `'y'`. */
  readonly outputName?: string
  /** The name of the graph, default `'autodiff-ts'`. */
  readonly graphName?: string
  /** The width of the input, where the layer does not know it (`layer.widths.in` is null). */
  readonly inputWidth?: number
}

/** A value flowing through the graph: its name and its width (last axis), if known. */
interface Value {
  readonly name: string
  readonly width: number | null
}

type Out = Either<ExportError, Value>

const fail = (path: string, kind: string, what: string): Out => left({ path, kind, message: `${path} (${kind}): ${what}` })

const found = (u: unknown): string => {
  if (isTensor(u)) return `a tensor of shape [${u.shape.join(', ')}]`
  return u === undefined ? 'nothing' : Array.isArray(u) ? `an array of length ${u.length}` : typeof u
}

interface Ctx {
  readonly b: Builder
  readonly dtype: DType
}

const dense = (spec: LayerSpec, p: unknown, x: Value, path: string, ctx: Ctx, withStep: boolean): Out => {
  const kind = spec.kind
  const nIn = spec['in'] as number
  const nOut = spec['out'] as number
  const bias = spec['bias'] !== false
  if (x.width !== null && x.width !== nIn) return fail(path, kind, `expected an input of width ${nIn}, found width ${x.width}`)
  const params = (typeof p === 'object' && p !== null ? p : {}) as { readonly w?: unknown; readonly b?: unknown }
  const w = params.w
  if (!isTensor(w) || w.shape.length !== 2 || w.shape[0] !== nIn || w.shape[1] !== nOut)
    return fail(path, kind, `expected a weight w of shape [${nIn}, ${nOut}], found ${found(w)}`)
  if (bias && !(isTensor(params.b) && params.b.shape.length === 1 && params.b.shape[0] === nOut))
    return fail(path, kind, `expected a bias b of shape [${nOut}], found ${found(params.b)}`)
  const prefix = prefixOf(path)
  const wName = ctx.b.constant(`${prefix}/w`, w.shape, w.data as Float64Array)
  const o = ops(ctx.b, prefix)
  const y = bias
    ? o.op('Gemm', [x.name, wName, ctx.b.constant(`${prefix}/b`, [nOut], (params.b as Tensor).data as Float64Array)])
    : o.op('MatMul', [x.name, wName])
  return right({ name: withStep ? activationGraph('step')!(o, y, ctx.dtype) : y, width: nOut })
}

const activation = (spec: LayerSpec, x: Value, path: string, ctx: Ctx): Out => {
  const name = String(spec['name'])
  const graph = activationGraph(name)
  if (graph === undefined) return fail(path, `activation ${name}`, `expected an activation ONNX export knows (${activationNames.join(', ')}), found ${name}`)
  const prefix = prefixOf(path)
  return right({ name: graph(ops(ctx.b, prefix === '' ? `/${name}` : prefix), x.name, ctx.dtype), width: x.width })
}

const layerSpec = (u: Json | undefined): u is LayerSpec => typeof u === 'object' && u !== null && !Array.isArray(u) && typeof (u as { kind?: unknown }).kind === 'string'

const layer = (spec: LayerSpec, p: unknown, x: Value, path: string, ctx: Ctx, depth: number): Out => {
  if (depth > 512) return fail(path, spec.kind, 'expected a model nested at most 512 levels deep')
  switch (spec.kind) {
    case 'dense':
      return dense(spec, p, x, path, ctx, false)
    case 'perceptron':
      return dense(spec, p, x, path, ctx, true)
    case 'activation':
      return activation(spec, x, path, ctx)
    case 'sequential': {
      const specs = spec['layers']
      if (!Array.isArray(specs) || typeof p !== 'object' || p === null || (Array.isArray(p) && p.length > 0) || isTensor(p))
        return fail(path, spec.kind, `expected its layers' parameters keyed by layer index, found ${found(p)}`)
      let v = x
      for (let i = 0; i < specs.length; i++) {
        const s = specs[i]
        const at = `${path}.layers[${i}]`
        if (!layerSpec(s)) return fail(at, 'unknown', 'expected a layer spec')
        const r = layer(s, entryOf(p, i), v, at, ctx, depth + 1)
        if (isLeft(r)) return r
        v = r.right
      }
      return right(v)
    }
    case 'residual': {
      const inner = spec['inner']
      const at = `${path}.inner`
      if (!layerSpec(inner)) return fail(path, spec.kind, 'expected its inner layer as a spec under `inner`')
      const r = layer(inner, p, x, at, ctx, depth + 1)
      if (isLeft(r)) return r
      if (r.right.width !== null && x.width !== null && r.right.width !== x.width)
        return fail(path, spec.kind, `expected an inner layer that keeps the width ${x.width}, found width ${r.right.width}`)
      return right({ name: ops(ctx.b, prefixOf(path)).add(x.name, r.right.name), width: x.width })
    }
    default:
      return fail(path, spec.kind, 'expected a layer ONNX export knows (dense, perceptron, activation, sequential, residual), found this kind')
  }
}

/** The graph of a layer with its parameters (exported for the importer's tests and the tracer). */
export const toGraph = (l: Pick<AnyLayer, 'spec' | 'widths'>, params: unknown, options: ExportOptions = {}): Either<ExportError, Graph> => {
  const dtype = options.dtype ?? 'float64'
  const width = l.widths.in ?? options.inputWidth ?? null
  if (width === null || !Number.isSafeInteger(width) || width <= 0)
    return left({ path: '$', kind: l.spec.kind, message: `$ (${l.spec.kind}): expected the input's width (layer.widths.in or options.inputWidth), found ${String(width)}` })
  const ctx: Ctx = { b: new Builder(), dtype }
  const inputName = options.inputName ?? 'x'
  const outputName = options.outputName ?? 'y'
  const r = layer(l.spec, params, { name: inputName, width }, '$', ctx, 0)
  if (isLeft(r)) return r
  let out = r.right
  // the output must be a node's output named outputName: rename the last node's output (or add an Identity)
  const last = ctx.b.nodes[ctx.b.nodes.length - 1]
  if (last !== undefined && last.outputs[0] === out.name) ctx.b.nodes[ctx.b.nodes.length - 1] = { ...last, outputs: [outputName] }
  else ctx.b.nodes.push({ op: 'Identity', name: '/Identity', inputs: [out.name], outputs: [outputName], attrs: [] })
  out = { name: outputName, width: out.width }
  return right({ dtype, input: { name: inputName, width }, output: { name: outputName, width: out.width ?? width }, nodes: ctx.b.nodes, inits: ctx.b.inits })
}

/** The ModelProto bytes of a layer with its parameters. */
export const exportLayer = (l: Pick<AnyLayer, 'spec' | 'widths'>, params: unknown, options: ExportOptions = {}): Either<ExportError, Uint8Array> => {
  const g = toGraph(l, params, options)
  return isLeft(g) ? g : right(encode(g.right, options.graphName ?? 'autodiff-ts', [[SPEC_KEY, JSON.stringify(l.spec)]]))
}
