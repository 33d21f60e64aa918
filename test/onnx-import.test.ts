/**
 * Onnx.import: our own models come back exactly (export, import, export gives the same bytes);
 * without their metadata they are read from their nodes and compute the same; PyTorch's MLP
 * (test/fixtures/onnx_torch_mlp.py) imports, matches PyTorch's outputs, and after one SGD step
 * here matches PyTorch's parameters after the same step; bad files are a Left naming where, the
 * operator, what was expected and what was found.
 */
import { create, toBinary } from '@bufbuild/protobuf'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Act from '../src/Activation.js'
import * as Layer from '../src/Layer.js'
import { mse } from '../src/Loss.js'
import { sgd } from '../src/Optimizer.js'
import { encode } from '../src/onnx/encode.js'
import { toGraph } from '../src/onnx/export.js'
import type { Graph, Node } from '../src/onnx/graph.js'
import { Onnx } from '../src/onnx/index.js'
import { AttributeProtoSchema, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema, OperatorSetIdProtoSchema } from '../src/onnx/proto/onnx_pb.js'
import { key } from '../src/Random.js'
import { tensor, type Tensor } from '../src/Tensor.js'
import { trainStep } from '../src/Train.js'
import type { Tree } from '../src/Tree.js'
import { inputs, maxRelative, normwise, randomModel } from './onnx-kit.js'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')

const right = <A>(e: { _tag: 'Left'; left: { message: string } } | { _tag: 'Right'; right: A }): A => {
  if (e._tag === 'Left') throw new Error(e.left.message)
  return e.right
}
const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i])

/** The bytes of a graph without the spec metadata (as another tool would write it). */
const bare = (g: Graph): Uint8Array => encode(g, 'bare', [])

describe('round trip', () => {
  it('export, import, export gives the same bytes, float64 and float32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom('float64' as const, 'float32' as const), (seed, dtype) => {
        const { layer, params, width } = randomModel(seed)
        const bytes = right(Onnx.export(layer, params, { dtype, inputWidth: width }))
        const back = right(Onnx.import(bytes))
        const again = right(Onnx.export(back.layer, back.params, { dtype, inputWidth: width }))
        expect(back.layer.spec).toEqual(layer.spec)
        return same(again, bytes)
      }),
      { numRuns: 100 },
    )
  })

  it('without the spec in its metadata, a model is read from its nodes and computes the same', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { layer, params, width } = randomModel(seed)
        const back = right(Onnx.import(bare(right(toGraph(layer, params, { inputWidth: width })))))
        const x = inputs(seed, 8, width)
        const e = maxRelative(back.layer.apply([back.params, x]).data, layer.apply([params, x]).data)
        return e === 0
      }),
      { numRuns: 100 },
    )
  })
})

describe('a PyTorch MLP (torch.onnx.export, opset 17, float64)', () => {
  const fx = JSON.parse(readFileSync(join(fixtures, 'onnx_torch_mlp.json'), 'utf8')) as {
    x: number[][]
    y: number[][]
    target: number[][]
    lr: number
    loss: number
    before: { w: number[][]; b: number[] }[]
    after: { w: number[][]; b: number[] }[]
  }
  const imported = right(Onnx.import(readFileSync(join(fixtures, 'onnx_torch_mlp.onnx'))))
  const model = imported.layer as Layer.Layer<Tree>

  it('imports as dense layers and activations with PyTorch parameters', () => {
    expect((model.spec['layers'] as { kind: string; name?: string }[]).map((s) => s.name ?? s.kind)).toEqual(
      ['dense', 'relu', 'dense', 'tanh', 'dense', 'gelu', 'dense', 'leakyRelu(0.125)', 'dense'],
    )
    // keyed by layer index, entries for the dense layers only (the even ones)
    expect(Object.keys(imported.params)).toEqual(['0', '2', '4', '6', '8'])
    const dense = Object.values(imported.params) as { w: Tensor; b: Tensor }[]
    dense.forEach((p, i) => {
      expect(Array.from(p.w.data)).toEqual(fx.before[i]!.w.flat())
      expect(Array.from(p.b.data)).toEqual(fx.before[i]!.b)
    })
  })

  it("matches PyTorch's outputs to 1e-12 elementwise", () => {
    const y = model.apply([imported.params, tensor(fx.x)])
    expect(y.shape).toEqual([fx.x.length, 3])
    expect(maxRelative(y.data, fx.y.flat())).toBeLessThanOrEqual(1e-12)
  })

  it("after one SGD step on the mean squared error, matches PyTorch's parameters to 1e-12", () => {
    const opt = sgd({ lr: fx.lr })
    const r = right(trainStep(model, mse, opt)(opt.init(imported.params), imported.params, tensor(fx.x), tensor(fx.target)) as never) as { loss: number; params: Tree }
    expect(Math.abs(r.loss - fx.loss) / fx.loss).toBeLessThanOrEqual(1e-12)
    expect(Object.keys(r.params)).toEqual(['0', '2', '4', '6', '8'])
    const dense = Object.values(r.params) as { w: Tensor; b: Tensor }[]
    dense.forEach((p, i) => {
      expect(normwise(p.w.data, fx.after[i]!.w.flat())).toBeLessThanOrEqual(1e-12)
      expect(normwise(p.b.data, fx.after[i]!.b)).toBeLessThanOrEqual(1e-12)
    })
  })
})

// ---------------------------------------------------------------------------------------------
// bad files

const mlp = Layer.sequential(Layer.dense(3, 4), Layer.activation(Act.relu), Layer.dense(4, 2))
const mlpGraph = right(toGraph(mlp, mlp.init(key(0))))
const withNodes = (f: (nodes: readonly Node[]) => readonly Node[]): Uint8Array => bare({ ...mlpGraph, nodes: f(mlpGraph.nodes) })
const leftOf = (bytes: Uint8Array, limits = {}) => {
  const r = Onnx.import(bytes, limits)
  expect(r._tag).toBe('Left')
  return r._tag === 'Left' ? r.left : undefined!
}

describe('bad files are a Left naming where, the operator, what was expected and what was found', () => {
  it('malformed bytes', () => {
    const bytes = bare(mlpGraph)
    const e = leftOf(bytes.subarray(0, bytes.length - 3))
    expect(e.where).toBe('model')
    expect(e.expected).toBe('an ONNX ModelProto (protobuf)')
    expect(e.message).toMatch(/^model: expected an ONNX ModelProto \(protobuf\), found bytes that do not decode/)
  })

  it('an unknown operator', () => {
    const e = leftOf(withNodes((ns) => ns.map((n) => (n.op === 'Relu' ? { ...n, op: 'Cos' } : n))))
    expect(e.opType).toBe('Cos')
    expect(e.where).toBe('node 1 (/layers.1/Relu)')
    expect(e.message).toContain('expected a dense layer (Gemm, or MatMul then Add, with constant weights), an activation, or a residual Add, found operator Cos')
  })

  it('an unsupported attribute', () => {
    const e = leftOf(withNodes((ns) => ns.map((n) => (n.op === 'Gemm' && n.name === '/layers.2/Gemm' ? { ...n, attrs: [{ name: 'transA', kind: 'int', value: 1 }] } : n))))
    expect([e.where, e.opType, e.expected, e.found]).toEqual(['node 2 (/layers.2/Gemm)', 'Gemm', 'transA = 0', 'transA = 1'])
  })

  it('shapes that do not fit: a weight for another width', () => {
    const bad = { ...mlpGraph, inits: mlpGraph.inits.map((c) => (c.name === '/layers.2/w' ? { ...c, dims: [5, 2], data: new Float64Array(10) } : c)) }
    const e = leftOf(bare(bad))
    expect(e.where).toBe('graph')
    expect(e.expected).toBe('layers whose widths agree')
    expect(e.found).toContain('layer 2 (dense(5 → 2)): an input of width 5, but layer 0 (dense(3 → 4)) gives width 4')
    const bias = { ...mlpGraph, inits: mlpGraph.inits.map((c) => (c.name === '/layers.2/b' ? { ...c, dims: [3], data: new Float64Array(3) } : c)) }
    expect(leftOf(bare(bias)).message).toBe('node 2 (/layers.2/Gemm) (Gemm): expected a constant bias C of shape [2], found shape [3]')
  })

  it('a graph input of another type or shape, another opset, a node outside the path', () => {
    expect(leftOf(bare({ ...mlpGraph, output: { ...mlpGraph.output, width: 7 } })).message).toBe('graph.output[0]: expected width 2 (the last layer\'s), found width 7')
    const dangling = withNodes((ns) => [...ns, { op: 'Relu', name: 'extra', inputs: ['x'], outputs: ['unused'], attrs: [] }])
    expect(leftOf(dangling).message).toBe('node 3 (extra) (Relu): expected every node to be part of a layer on the path from input to output, found a node outside it')
    const m = create(ModelProtoSchema, { irVersion: 8n, opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 18n })], graph: create(GraphProtoSchema, {}) })
    expect(leftOf(toBinary(ModelProtoSchema, m)).message).toBe('model.opset_import: expected the default ONNX domain alone, at opset 13 to 17, found ai.onnx 18')
  })

  it('an input shape it cannot map to [batch, width]', () => {
    const three = { ...mlpGraph, input: { ...mlpGraph.input, dims: [null, 2, 3] } }
    expect(leftOf(bare(three)).message).toBe('graph.input[0]: expected shape [batch, width] with a fixed width, found rank 3')
    const symbolic = encode({ ...mlpGraph, output: { ...mlpGraph.output, dims: [null, null] } }, 'g', [])
    expect(leftOf(symbolic).message).toBe('graph.output[0]: expected shape [batch, width] with a fixed width, found rank 2 with a symbolic or invalid width')
  })

  it('size and depth limits', () => {
    const bytes = bare(mlpGraph)
    expect(leftOf(bytes, { maxBytes: 100 }).message).toBe(`model: expected at most 100 bytes, found ${bytes.length} bytes`)
    expect(leftOf(bytes, { maxNodes: 2 }).message).toBe('graph: expected at most 2 nodes, found 3')
    // graphs nested in attributes 40 deep
    let g = create(GraphProtoSchema, {})
    for (let i = 0; i < 40; i++)
      g = create(GraphProtoSchema, { node: [create(NodeProtoSchema, { opType: 'If', attribute: [create(AttributeProtoSchema, { name: 'then_branch', g })] })] })
    const deep = toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, graph: g }))
    expect(leftOf(deep).message).toMatch(/^model: expected an ONNX ModelProto \(protobuf\), found bytes that do not decode: .*maximum recursion depth of 32/)
  })
})
