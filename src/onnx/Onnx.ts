/**
 * ONNX export and import: a layer and its parameters as an ONNX model (opset 17, IR version 8)
 * that ONNX Runtime and other engines run, and ONNX models (such as an MLP exported by
 * `torch.onnx.export`) as a layer and parameters this library evaluates and trains.
 *
 * Exported models have one input and one output of shape `[batch, width]` (a symbolic batch
 * dimension named `batch`), float64 by default or float32 on request, and name autodiff-ts and
 * its version as their producer. Activations whose float64 kernels ONNX Runtime's CPU provider
 * lacks (Softplus, Elu, LeakyRelu, Erf for the exact gelu) are written out of basic operators with
 * the library's own stable formulas, so that ONNX Runtime agrees with the library to rounding.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { AnyLayer } from '../layer/model.js'
import type { ImportError, ImportLimits } from './decode.js'
import { exportLayer, type ExportError, type ExportOptions } from './export.js'
import { importModel, type Imported } from './import.js'
import { exportProgram as traceExport, type Program, type ProgramOptions } from './trace.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'

export type { DType } from './graph.js'
export type { ExportError, ExportOptions } from './export.js'
export type { ImportError, ImportLimits } from './decode.js'
export type { Imported } from './import.js'
export type { Program, ProgramOptions } from './trace.js'

/**
 * A layer and its parameters as the bytes of an ONNX model, or a `Left` naming the path and kind
 * of the first layer that cannot be exported (or whose parameters do not fit it).
 *
 * @example
 * ```ts
 * import { Activation, Layer, Random } from 'autodiff-ts'
 * import { Onnx } from 'autodiff-ts/onnx'
 *
 * const model = Layer.sequential(Layer.dense(4, 8), Layer.activation(Activation.gelu), Layer.dense(8, 2))
 * const bytes = Onnx.export(model, model.init(Random.key(0))) // Right(Uint8Array)
 * const small = Onnx.export(model, model.init(Random.key(0)), { dtype: 'float32' })
 * bytes._tag // 'Right'
 * ```
 *
 * @category export
 */
const exportModel = (layer: Pick<AnyLayer, 'spec' | 'widths'>, params: unknown, options: ExportOptions = {}): Either<ExportError, Uint8Array> =>
  exportLayer(layer, params, options)

/**
 * The layer and parameters of an ONNX model's bytes, or a `Left` naming the node, its operator,
 * what was expected and what was found. Nothing half-built is returned.
 *
 * @example
 * ```ts
 * import { Activation, Layer, Random, tensor } from 'autodiff-ts'
 * import { Onnx } from 'autodiff-ts/onnx'
 *
 * const model = Layer.sequential(Layer.dense(2, 3), Layer.activation(Activation.tanh), Layer.dense(3, 1))
 * const params = model.init(Random.key(0))
 * const bytes = Onnx.export(model, params)
 * const back = bytes._tag === 'Right' ? Onnx.import(bytes.right) : bytes
 * back._tag === 'Right' && back.right.layer.spec.kind // 'sequential'
 * const bad = Onnx.import(Uint8Array.of(1, 2, 3))
 * bad._tag === 'Left' && bad.left.where // 'model'
 * ```
 *
 * @category import
 */
const importBytes = (bytes: Uint8Array, limits: ImportLimits = {}): Either<ImportError, Imported> => importModel(bytes, limits)

/**
 * A model written as a program over the tensor algebra, `(A) => (params, x) => y`, as the bytes
 * of an ONNX model: the program runs once on the example input `x` against a tracing instance of
 * the algebra that records ONNX nodes (as jax2onnx does from jaxprs). Axis 0 of `x` is the batch
 * and stays symbolic; a primitive the export cannot write, or one that would fix the batch
 * (moving, slicing or concatenating along it), is a `Left` naming it.
 *
 * @example
 * ```ts
 * import { Random, tensor, type Tensor } from 'autodiff-ts'
 * import { Onnx } from 'autodiff-ts/onnx'
 *
 * // x + W2 relu(W1 x + b1) + b2
 * const block: Onnx.Program<{ w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor }> = (A) => (p, x) =>
 *   A.add(x, A.add(A.matmul(A.relu(A.add(A.matmul(x, p.w1), p.b1)), p.w2), p.b2))
 * const [k1, k2] = Random.split(Random.key(0))
 * const params = { w1: Random.normal(k1!, [3, 8]), b1: tensor([0, 0, 0, 0, 0, 0, 0, 0]), w2: Random.normal(k2!, [8, 3]), b2: tensor([0, 0, 0]) }
 * const bytes = Onnx.exportProgram(block, params, tensor([[1, 2, 3]]))
 * bytes._tag // 'Right'
 * ```
 *
 * @category export
 */
const exportProgram = <P extends Tree>(program: Program<P>, params: P, x: Tensor, options: ProgramOptions = {}): Either<ExportError, Uint8Array> =>
  traceExport(program, params, x, options)

export { exportModel as export, exportProgram, importBytes as import }
