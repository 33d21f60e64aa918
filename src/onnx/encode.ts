/**
 * A {@link Graph} as ONNX ModelProto bytes (opset 17, IR version 8), through the protobuf-es
 * runtime and the module generated from the official `onnx.proto`.
 *
 * @packageDocumentation
 */
import { create, toBinary } from '@bufbuild/protobuf'
import type { Graph, Init, Port } from './graph.js'
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type TensorProto,
  type ValueInfoProto,
} from './proto/onnx_pb.js'
import { VERSION } from './version.js'

/** The opset this entry writes and reads. */
export const OPSET = 17
/** The IR version this entry writes. */
export const IR_VERSION = 8
/** The producer name written into every model. */
export const PRODUCER = 'autodiff-ts'
/** The name of the symbolic batch dimension. */
export const BATCH = 'batch'

const elemType = (g: Graph): number => (g.dtype === 'float64' ? TensorProto_DataType.DOUBLE : TensorProto_DataType.FLOAT)

/** Little-endian bytes of the values in the graph's element type. */
const rawData = (data: Float64Array, dtype: Graph['dtype']): Uint8Array => {
  const n = data.length
  const width = dtype === 'float64' ? 8 : 4
  const bytes = new Uint8Array(n * width)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < n; i++)
    if (dtype === 'float64') view.setFloat64(8 * i, data[i]!, true)
    else view.setFloat32(4 * i, data[i]!, true)
  return bytes
}

/** Little-endian int64 bytes of integer values. */
const int64Data = (data: Float64Array): Uint8Array => {
  const bytes = new Uint8Array(8 * data.length)
  const view = new DataView(bytes.buffer)
  data.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true))
  return bytes
}

const tensorProto = (init: Init, g: Graph): TensorProto =>
  create(TensorProtoSchema, {
    name: init.name,
    dims: init.dims.map(BigInt),
    dataType: init.int64 === true ? TensorProto_DataType.INT64 : elemType(g),
    rawData: init.int64 === true ? int64Data(init.data) : rawData(init.data, g.dtype),
  })

const valueInfo = (port: Port, g: Graph): ValueInfoProto =>
  create(ValueInfoProtoSchema, {
    name: port.name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: elemType(g),
          shape: create(TensorShapeProtoSchema, {
            dim: (port.dims ?? [null, port.width]).map((d) =>
              create(TensorShapeProto_DimensionSchema, { value: d === null ? { case: 'dimParam', value: BATCH } : { case: 'dimValue', value: BigInt(d) } }),
            ),
          }),
        }),
      },
    }),
  })

const attribute = (a: Graph['nodes'][number]['attrs'][number]): AttributeProto =>
  a.kind === 'int'
    ? create(AttributeProtoSchema, { name: a.name, type: AttributeProto_AttributeType.INT, i: BigInt(a.value) })
    : a.kind === 'float'
      ? create(AttributeProtoSchema, { name: a.name, type: AttributeProto_AttributeType.FLOAT, f: a.value })
      : create(AttributeProtoSchema, { name: a.name, type: AttributeProto_AttributeType.INTS, ints: a.value.map(BigInt) })

/** The metadata key under which an export records its layer's spec (JSON), for an exact round trip. */
export const SPEC_KEY = 'autodiff-ts.spec'

/** The ModelProto bytes of a graph: deterministic, so equal graphs give equal bytes. */
export const encode = (g: Graph, graphName: string, metadata: readonly (readonly [string, string])[]): Uint8Array =>
  toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: BigInt(IR_VERSION),
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(OPSET) })],
      producerName: PRODUCER,
      producerVersion: VERSION,
      metadataProps: metadata.map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
      graph: create(GraphProtoSchema, {
        name: graphName,
        node: g.nodes.map((n) =>
          create(NodeProtoSchema, { name: n.name, opType: n.op, input: [...n.inputs], output: [...n.outputs], attribute: n.attrs.map(attribute) }),
        ),
        initializer: g.inits.map((i) => tensorProto(i, g)),
        input: [valueInfo(g.input, g)],
        output: [valueInfo(g.output, g)],
      }),
    }),
  )
