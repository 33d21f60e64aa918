/**
 * Import: ONNX bytes back into a layer and its parameters. A model this library exported carries
 * its layer's spec in its metadata; it is rebuilt from that spec and accepted only if exporting
 * it again gives the same graph, so a round trip is exact. Any other model (PyTorch's, or one of
 * ours whose graph was edited) is read by matching its nodes, backwards from the output, against
 * the layers this entry exports: dense (`Gemm`, or `MatMul` and `Add`), the activations (their
 * exported forms, and ONNX's own `Relu`, `LeakyRelu`, `Elu`, `Softplus`, `Clip`, PyTorch's
 * `Erf`-based gelu, ...), residual `Add`s. Nothing half-built is returned.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import * as Act from '../Activation.js'
import { activation } from '../layer/activation.js'
import { dense } from '../layer/dense.js'
import type { AnyLayer } from '../layer/model.js'
import { fromSpec, fromSpecAt, register, registry as builtins } from '../layer/registry.js'
import { byIndex, sequential } from '../layer/sequential.js'
import { wrap } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { activationGraph } from './activations.js'
import { decode, importError, type ImportError, type ImportLimits } from './decode.js'
import { SPEC_KEY } from './encode.js'
import { toGraph } from './export.js'
import type { Graph } from './graph.js'
import { index, matchAt, pattern, scalarOf, WILDCARD, type Index, type Pattern } from './match.js'
import { residual } from './residual.js'
import { paramsFromGraph } from './params.js'

/**
 * What `Onnx.import` gives: a layer and its parameters.
 *
 * @category model
 */
export interface Imported {
  /** The layer (a `sequential` of the layers found, or the one layer). */
  readonly layer: AnyLayer
  /** Its parameters. */
  readonly params: Tree
}

type E<A> = Either<ImportError, A>

/** The registry for specs in metadata: the built-in kinds and the residual block. */
const registry = register('residual', (spec, r, path) => {
  const inner = fromSpecAt(spec['inner'], r, `${path}.inner`)
  return isLeft(inner) ? inner : right(residual(inner.right))
})(builtins)

/** Whether graph `a` (as exported, values in float64) is graph `b` (as decoded, values in `b.dtype`). */
const sameGraph = (a: Graph, b: Graph): boolean => {
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y)
  const round = b.dtype === 'float32' ? Math.fround : (v: number) => v
  return (
    a.dtype === b.dtype &&
    same(a.input, b.input) &&
    same(a.output, b.output) &&
    same(a.nodes, b.nodes) &&
    a.inits.length === b.inits.length &&
    a.inits.every((c, i) => {
      const d = b.inits[i]!
      return c.name === d.name && same(c.dims, d.dims) && c.data.length === d.data.length && c.data.every((v, k) => Object.is(round(v), d.data[k]))
    })
  )
}

/** Rebuilds a model from the spec in its metadata, if it has one and it explains the graph exactly. */
const fromMetadata = (g: Graph, specText: string | undefined): Imported | undefined => {
  if (specText === undefined) return undefined
  let spec: unknown
  try {
    spec = JSON.parse(specText)
  } catch {
    return undefined
  }
  const l = fromSpec(spec, registry)
  if (isLeft(l)) return undefined
  const params = paramsFromGraph(l.right.spec, g)
  if (params === undefined) return undefined
  const again = toGraph(l.right, params, { dtype: g.dtype, inputName: g.input.name, outputName: g.output.name, inputWidth: g.input.width })
  return isLeft(again) || !sameGraph(again.right, g) ? undefined : { layer: l.right, params }
}

// ---------------------------------------------------------------------------------------------
// matching a foreign graph

const NAMES = ['step', 'sigmoid', 'tanh', 'relu', 'softplus', 'silu', 'gelu', 'gelu(tanh)', 'hardTanh', 'softmax', 'logSoftmax']
const WITH_PARAMETER = ['leakyRelu', 'elu'] as const

const patterns = new Map<string, readonly (readonly [string, Pattern])[]>()
const patternsFor = (dtype: Graph['dtype']): readonly (readonly [string, Pattern])[] => {
  const known = patterns.get(dtype)
  if (known !== undefined) return known
  const ps = [
    ...NAMES.map((n) => [n, pattern(activationGraph(n)!, dtype)] as const),
    ...WITH_PARAMETER.map((n) => [n, pattern(activationGraph(`${n}(${WILDCARD})`)!, dtype)] as const),
    // PyTorch's exact gelu: x (erf(x / sqrt 2) + 1) 0.5
    ['gelu', pattern((o, x) => o.mul(o.mul(x, o.add(o.op('Erf', [o.div(x, o.c(Math.SQRT2))]), o.c(1))), o.c(0.5)), dtype)] as const,
  ]
  patterns.set(dtype, ps)
  return ps
}

/** A layer found in the graph: its spec-level description, parameters, input value and nodes. */
interface Found {
  readonly layer: AnyLayer
  readonly params: Tree
  readonly input: string
  readonly nodes: readonly number[]
}

const attrOf = (n: Graph['nodes'][number], name: string): number | undefined => {
  const a = n.attrs.find((x) => x.name === name)
  return a === undefined || a.kind === 'ints' ? undefined : a.value
}

const where = (g: Index, i: number): string => `node ${i} (${g.graph.nodes[i]!.name || 'unnamed'})`

/** A dense layer ending at node `i` (a Gemm, or a MatMul with or without an Add). */
const denseAt = (g: Index, i: number): E<Found> | undefined => {
  const n = g.graph.nodes[i]!
  const constant = (v: string | undefined) => (v === undefined ? undefined : g.constants.get(v))
  if (n.op === 'Gemm') {
    for (const [name, want] of [['alpha', 1], ['beta', 1], ['transA', 0]] as const) {
      const v = attrOf(n, name)
      if (v !== undefined && v !== want) return left(importError(where(g, i), n.op, `${name} = ${want}`, `${name} = ${v}`))
    }
    const transB = attrOf(n, 'transB') ?? 0
    const w = constant(n.inputs[1])
    const b = constant(n.inputs[2])
    if (w === undefined || w.dims.length !== 2) return left(importError(where(g, i), n.op, 'a constant 2-d weight B', n.inputs[1] ?? 'none'))
    const [r, c] = w.dims as [number, number]
    const [nIn, nOut] = transB === 1 ? [c, r] : [r, c]
    if (n.inputs.length === 3 && (b === undefined || b.data.length !== nOut || b.dims.length !== 1))
      return left(importError(where(g, i), n.op, `a constant bias C of shape [${nOut}]`, b === undefined ? 'a computed value' : `shape [${b.dims.join(', ')}]`))
    const wData = transB === 1 ? transpose(w.data, r, c) : Float64Array.from(w.data)
    return right(denseFound(nIn, nOut, wData, b?.data, n.inputs[0]!, [i]))
  }
  if (n.op === 'MatMul') {
    const w = constant(n.inputs[1])
    if (w === undefined || w.dims.length !== 2) return undefined
    return right(denseFound(w.dims[0]!, w.dims[1]!, Float64Array.from(w.data), undefined, n.inputs[0]!, [i]))
  }
  if (n.op === 'Add') {
    const [a, bName] = g.constants.has(n.inputs[0]!) ? [n.inputs[1]!, n.inputs[0]!] : [n.inputs[0]!, n.inputs[1]!]
    const b = constant(bName)
    const mi = g.producer.get(a)
    const m = mi === undefined ? undefined : g.graph.nodes[mi]!
    if (b === undefined || m?.op !== 'MatMul' || (g.consumers.get(a) ?? []).length !== 1) return undefined
    const w = constant(m.inputs[1])
    if (w === undefined || w.dims.length !== 2 || b.data.length !== w.dims[1]) return undefined
    return right(denseFound(w.dims[0]!, w.dims[1]!, Float64Array.from(w.data), b.data, m.inputs[0]!, [mi!, i]))
  }
  return undefined
}

const transpose = (d: Float64Array, r: number, c: number): Float64Array => {
  const t = new Float64Array(r * c)
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = d[i * c + j]!
  return t
}

const denseFound = (nIn: number, nOut: number, w: Float64Array, b: Float64Array | undefined, input: string, nodes: number[]): Found => ({
  layer: b === undefined ? dense(nIn, nOut, { bias: false }) : dense(nIn, nOut),
  params: Object.freeze(b === undefined ? { w: wrap([nIn, nOut], w) } : { w: wrap([nIn, nOut], w), b: wrap([nOut], Float64Array.from(b)) }),
  input,
  nodes,
})

const act = (a: Act.Activation | Act.RowActivation, input: string, nodes: number[]): Found => ({ layer: activation(a), params: Object.freeze([]) as Tree, input, nodes })

/** ONNX's own activation operators, with their attributes. */
const nativeAt = (g: Index, i: number): E<Found> | undefined => {
  const n = g.graph.nodes[i]!
  const x = n.inputs[0]!
  const alpha = (d: number): E<number> => {
    const a = attrOf(n, 'alpha') ?? d
    return Number.isFinite(a) && a >= 0 ? right(a) : left(importError(where(g, i), n.op, 'alpha >= 0', String(a)))
  }
  switch (n.op) {
    case 'LeakyRelu':
    case 'Elu': {
      const a = alpha(n.op === 'Elu' ? 1 : 0.01)
      if (isLeft(a)) return a
      // attributes are float32: the parameter is the float32 value, read as written
      return right(act(n.op === 'Elu' ? Act.elu(a.right) : Act.leakyRelu(a.right), x, [i]))
    }
    case 'Softplus':
      return right(act(Act.softplus, x, [i]))
    case 'Sigmoid':
      return right(act(Act.sigmoid, x, [i]))
    case 'Clip': {
      const lo = scalarOf(g.constants.get(n.inputs[1] ?? ''))
      const hi = scalarOf(g.constants.get(n.inputs[2] ?? ''))
      return lo === -1 && hi === 1 ? right(act(Act.hardTanh, x, [i])) : left(importError(where(g, i), n.op, 'Clip to [-1, 1] (hardTanh)', `[${lo ?? '?'}, ${hi ?? '?'}]`))
    }
    case 'Softmax':
    case 'LogSoftmax': {
      const axis = attrOf(n, 'axis') ?? -1
      if (axis !== -1 && axis !== 1) return left(importError(where(g, i), n.op, 'axis -1 (the last of [batch, width])', `axis ${axis}`))
      return right(act(n.op === 'Softmax' ? Act.softmax : Act.logSoftmax, x, [i]))
    }
  }
  return undefined
}

const byName: { readonly [name: string]: (a: number) => Act.Activation | Act.RowActivation } = {
  ...Object.fromEntries([...Act.all, Act.softmax, Act.logSoftmax].map((a) => [a.name, () => a])),
  leakyRelu: (a) => Act.leakyRelu(a),
  elu: (a) => Act.elu(a),
}

/** The layers from value `v` back to value `stop`, in order from `stop`. */
const chain = (g: Index, v: string, stop: string, depth: number): E<readonly Found[]> => {
  const found: Found[] = []
  for (let at = v; at !== stop; ) {
    const i = g.producer.get(at)
    if (i === undefined || depth > 512)
      return left(importError(`value ${at}`, '', `a value computed from ${stop}`, i === undefined ? 'a value no node computes' : 'a model nested over 512 levels deep'))
    const f = layerAt(g, i, depth)
    if (isLeft(f)) return f
    found.unshift(f.right)
    at = f.right.input
  }
  return right(found)
}

const EXPECTED = 'a dense layer (Gemm, or MatMul then Add, with constant weights), an activation, or a residual Add'

/** The layer whose output is node `i`'s output. */
const layerAt = (g: Index, i: number, depth: number): E<Found> => {
  const n = g.graph.nodes[i]!
  const d = denseAt(g, i)
  if (d !== undefined) return d
  for (const [name, p] of patternsFor(g.graph.dtype)) {
    const m = matchAt(p, g, n.outputs[0]!)
    if (m === undefined) continue
    const a = m.wildcard ?? 0
    if (!(Number.isFinite(a) && a >= 0)) return left(importError(where(g, i), n.op, `${name}'s parameter >= 0`, String(a)))
    return right(act(byName[name]!(a), m.input, [...m.nodes]))
  }
  const nat = nativeAt(g, i)
  if (nat !== undefined) return nat
  if (n.op === 'Add' && n.inputs.length === 2) {
    for (const [x, y] of [[n.inputs[0]!, n.inputs[1]!], [n.inputs[1]!, n.inputs[0]!]] as const) {
      const inner = chain(g, y, x, depth + 1)
      if (isLeft(inner) || inner.right.length === 0) continue
      const ls = inner.right
      const l = ls.length === 1 ? ls[0]!.layer : sequential(...ls.map((f) => f.layer))
      const params = ls.length === 1 ? ls[0]!.params : byIndex(ls.map((f) => f.params))
      return right({ layer: residual(l), params, input: x, nodes: [i, ...ls.flatMap((f) => f.nodes)] })
    }
  }
  return left(importError(where(g, i), n.op, EXPECTED, `operator ${n.op} with inputs ${n.inputs.join(', ')}`))
}

/** Matches a foreign graph to layers. */
const fromNodes = (g: Graph): E<Imported> => {
  const ix = index(g)
  const found = chain(ix, g.output.name, g.input.name, 0)
  if (isLeft(found)) return found
  const used = new Set(found.right.flatMap((f) => f.nodes))
  const unused = g.nodes.findIndex((_, i) => !used.has(i))
  if (unused >= 0) return left(importError(where(ix, unused), g.nodes[unused]!.op, 'every node to be part of a layer on the path from input to output', 'a node outside it'))
  const ls = found.right
  let layer: AnyLayer
  try {
    layer = ls.length === 1 ? ls[0]!.layer : sequential(...ls.map((f) => f.layer))
  } catch (e) {
    return left(importError('graph', '', 'layers whose widths agree', (e as Error).message))
  }
  const params = ls.length === 1 ? ls[0]!.params : byIndex(ls.map((f) => f.params))
  if (layer.widths.in !== null && layer.widths.in !== g.input.width)
    return left(importError('graph.input[0]', '', `width ${layer.widths.in} (the first layer's)`, `width ${g.input.width}`))
  const out = layer.widths.out === 'same' ? g.input.width : layer.widths.out
  if (out !== null && out !== g.output.width) return left(importError('graph.output[0]', '', `width ${out} (the last layer's)`, `width ${g.output.width}`))
  return right({ layer, params })
}

/** Imports the bytes of an ONNX model as a layer and its parameters. */
export const importModel = (bytes: Uint8Array, limits: ImportLimits = {}): E<Imported> => {
  const d = decode(bytes, limits)
  if (isLeft(d)) return d
  const g = d.right.graph
  const exact = fromMetadata(g, d.right.metadata.get(SPEC_KEY))
  return exact !== undefined ? right(exact) : fromNodes(g)
}

