/**
 * ModelProto bytes back into a {@link Graph}: the checks of the file as a whole (size, protobuf
 * well-formedness and nesting, IR version, opset, one float input and output of shape
 * `[batch, width]`, float constants) before any layer is matched. Every refusal is an
 * {@link ImportError} naming where, what was expected and what was found.
 *
 * @packageDocumentation
 */
import { fromBinary } from '@bufbuild/protobuf'
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import type { Attr, DType, Graph, Init, Node, Port } from './graph.js'
import {
  AttributeProto_AttributeType,
  ModelProtoSchema,
  TensorProto_DataType,
  type AttributeProto,
  type ModelProto,
  type TensorProto,
  type ValueInfoProto,
} from './proto/onnx_pb.js'

/**
 * Why a model could not be imported: where (`model`, `graph.input[0]`, or a node as
 * `node 3 (/layers.0/Gemm)`), the operator involved if any, what was expected and what was found.
 *
 * @example
 * ```ts
 * import { Onnx } from 'autodiff-ts/onnx'
 *
 * const r = Onnx.import(Uint8Array.of(0xff, 0xff))
 * r._tag === 'Left' && r.left.where // 'model'
 * ```
 *
 * @category model
 */
export interface ImportError {
  /** Where in the model: `model`, `graph.output[0]`, `initializer /w`, `node 3 (/layers.0/Gemm)`. */
  readonly where: string
  /** The operator type of the node concerned, or '' for the model as a whole. */
  readonly opType: string
  /** What was expected. */
  readonly expected: string
  /** What was found. */
  readonly found: string
  /** All of it as one sentence. */
  readonly message: string
}

/**
 * Limits of `Onnx.import`: a file past them is refused before anything is built from it.
 *
 * @category model
 */
export interface ImportLimits {
  /** The largest file accepted, in bytes; default 256 MiB. */
  readonly maxBytes?: number
  /** The most nodes accepted; default 100000. */
  readonly maxNodes?: number
  /** The deepest nesting of protobuf messages accepted; default 32 (a model of this subset needs 7). */
  readonly maxDepth?: number
}

/** An ImportError from its parts. */
export const importError = (where: string, opType: string, expected: string, found: string): ImportError => ({
  where,
  opType,
  expected,
  found,
  message: `${where}${opType === '' ? '' : ` (${opType})`}: expected ${expected}, found ${found}`,
})

/** A decoded model: the graph, and the model's metadata. */
export interface Decoded {
  readonly graph: Graph
  readonly metadata: ReadonlyMap<string, string>
}

type E<A> = Either<ImportError, A>

const DTYPES: { readonly [t: number]: DType } = { [TensorProto_DataType.DOUBLE]: 'float64', [TensorProto_DataType.FLOAT]: 'float32' }
const typeName = (t: number): string => TensorProto_DataType[t] ?? `data type ${t}`

const port = (v: ValueInfoProto | undefined, where: string): E<readonly [Port, DType]> => {
  const t = v?.type?.value
  if (v === undefined || t === undefined || t.case !== 'tensorType') return left(importError(where, '', 'a tensor', v === undefined ? 'nothing' : 'another type'))
  const dtype = DTYPES[t.value.elemType]
  if (dtype === undefined) return left(importError(where, '', 'a DOUBLE or FLOAT tensor', `a ${typeName(t.value.elemType)} tensor`))
  const dims = t.value.shape?.dim ?? []
  const w = dims[1]?.value
  if (dims.length !== 2 || w?.case !== 'dimValue' || w.value <= 0n || w.value > BigInt(2 ** 31))
    return left(importError(where, '', 'shape [batch, width] with a fixed width', `rank ${dims.length}${dims.length === 2 ? ' with a symbolic or invalid width' : ''}`))
  return right([{ name: v.name, width: Number(w.value) }, dtype])
}

const MAX_ELEMENTS = 2 ** 28

/** A float tensor's values as float64, from raw_data or the typed fields. */
export const tensorValues = (t: TensorProto, where: string): E<Init> => {
  const dtype = DTYPES[t.dataType]
  if (dtype === undefined) return left(importError(where, '', 'a DOUBLE or FLOAT tensor', `a ${typeName(t.dataType)} tensor`))
  if (t.dataLocation !== 0 || t.externalData.length > 0) return left(importError(where, '', 'data inside the file', 'external data'))
  let n = 1
  for (const d of t.dims) {
    if (d < 0n || d > BigInt(MAX_ELEMENTS)) return left(importError(where, '', `dimensions from 0 to ${MAX_ELEMENTS}`, String(d)))
    n *= Number(d)
  }
  if (n > MAX_ELEMENTS) return left(importError(where, '', `at most ${MAX_ELEMENTS} elements`, String(n)))
  const width = dtype === 'float64' ? 8 : 4
  const data = new Float64Array(n)
  if (t.rawData.length > 0) {
    if (t.rawData.length !== n * width) return left(importError(where, '', `${n * width} bytes of raw data`, `${t.rawData.length}`))
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength)
    for (let i = 0; i < n; i++) data[i] = dtype === 'float64' ? view.getFloat64(8 * i, true) : view.getFloat32(4 * i, true)
  } else {
    const typed = dtype === 'float64' ? t.doubleData : t.floatData
    if (typed.length !== n) return left(importError(where, '', `${n} values`, `${typed.length}`))
    for (let i = 0; i < n; i++) data[i] = typed[i]!
  }
  return right({ name: t.name, dims: t.dims.map(Number), data })
}

const attr = (a: AttributeProto, where: string, op: string): E<Attr> => {
  switch (a.type) {
    case AttributeProto_AttributeType.INT:
      return right({ name: a.name, kind: 'int', value: Number(a.i) })
    case AttributeProto_AttributeType.FLOAT:
      return right({ name: a.name, kind: 'float', value: a.f })
    case AttributeProto_AttributeType.INTS:
      return right({ name: a.name, kind: 'ints', value: a.ints.map(Number) })
    default:
      return left(importError(where, op, `attribute ${a.name} to be an int, a float or ints`, `type ${AttributeProto_AttributeType[a.type] ?? a.type}`))
  }
}

/** Decodes and checks the bytes of a model. */
export const decode = (bytes: Uint8Array, limits: ImportLimits = {}): E<Decoded> => {
  const maxBytes = limits.maxBytes ?? 256 * 2 ** 20
  if (!(bytes instanceof Uint8Array)) return left(importError('model', '', 'a Uint8Array', typeof bytes))
  if (bytes.length > maxBytes) return left(importError('model', '', `at most ${maxBytes} bytes`, `${bytes.length} bytes`))
  let m: ModelProto
  try {
    m = fromBinary(ModelProtoSchema, bytes, { readUnknownFields: false, recursionLimit: limits.maxDepth ?? 32 })
  } catch (e) {
    return left(importError('model', '', 'an ONNX ModelProto (protobuf)', `bytes that do not decode: ${(e as Error).message}`))
  }
  const g = m.graph
  if (g === undefined) return left(importError('model', '', 'a graph', 'none'))
  if (m.irVersion < 3n || m.irVersion > 10n) return left(importError('model.ir_version', '', 'an IR version from 3 to 10', String(m.irVersion)))
  const opsets = m.opsetImport.filter((o) => o.domain === '' || o.domain === 'ai.onnx')
  if (opsets.length !== 1 || m.opsetImport.length !== 1 || opsets[0]!.version < 13n || opsets[0]!.version > 17n)
    return left(importError('model.opset_import', '', 'the default ONNX domain alone, at opset 13 to 17', m.opsetImport.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ') || 'none'))
  if (g.node.length > (limits.maxNodes ?? 100000)) return left(importError('graph', '', `at most ${limits.maxNodes ?? 100000} nodes`, `${g.node.length}`))
  const inits: Init[] = []
  for (let i = 0; i < g.initializer.length; i++) {
    const r = tensorValues(g.initializer[i]!, `initializer ${g.initializer[i]!.name}`)
    if (r._tag === 'Left') return r
    inits.push(r.right)
  }
  if (g.sparseInitializer.length > 0) return left(importError('graph.sparse_initializer', '', 'none', `${g.sparseInitializer.length}`))
  const known = new Set(inits.map((i) => i.name))
  const inputs = g.input.filter((v) => !known.has(v.name))
  if (inputs.length !== 1 || g.output.length !== 1)
    return left(importError('graph', '', 'one input and one output', `${inputs.length} inputs and ${g.output.length} outputs`))
  const input = port(inputs[0], 'graph.input[0]')
  if (input._tag === 'Left') return input
  const output = port(g.output[0], 'graph.output[0]')
  if (output._tag === 'Left') return output
  const dtype = input.right[1]
  if (output.right[1] !== dtype) return left(importError('graph.output[0]', '', `the input's element type ${dtype}`, output.right[1]))
  const nodes: Node[] = []
  for (let i = 0; i < g.node.length; i++) {
    const n = g.node[i]!
    const where = `node ${i} (${n.name || 'unnamed'})`
    if (n.domain !== '' && n.domain !== 'ai.onnx') return left(importError(where, n.opType, 'an operator of the default ONNX domain', `domain ${n.domain}`))
    const attrs: Attr[] = []
    for (const a of n.attribute) {
      if (a.name === 'value' && n.opType === 'Constant' && a.t !== undefined) {
        const c = tensorValues(a.t, where)
        if (c._tag === 'Left') return c
        if (n.output.length !== 1) return left(importError(where, n.opType, 'one output', `${n.output.length}`))
        inits.push({ ...c.right, name: n.output[0]! })
        continue
      }
      const r = attr(a, where, n.opType)
      if (r._tag === 'Left') return r
      attrs.push(r.right)
    }
    if (n.opType === 'Constant') {
      if (!inits.some((c) => c.name === n.output[0])) return left(importError(where, n.opType, 'a tensor value', 'another kind of constant'))
      continue
    }
    nodes.push({ op: n.opType, name: n.name, inputs: [...n.input], outputs: [...n.output], attrs })
  }
  return right({
    graph: { dtype, input: input.right[0], output: output.right[0], nodes, inits },
    metadata: new Map(m.metadataProps.map((p) => [p.key, p.value])),
  })
}
