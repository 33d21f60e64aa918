/**
 * Layers and models: a layer is a parameterised differentiable map, a
 * `Diff<readonly [P, X], Y>` from its parameters and its input to its output, together with
 * `init(key)`, which draws its parameters, and a `spec`, plain JSON data that says what it is
 * (`{ kind: 'dense', in: 784, out: 128, ... }`), from which {@link fromSpec} rebuilds it.
 *
 * Parameters are plain readonly trees (see {@link Tree}): `{ w, b }` for a dense layer, `[]` for
 * a layer without parameters, and for {@link sequential} a record of its layers' parameters keyed
 * by layer index, with no entry for a layer without parameters (`{ 0: { w, b }, 2: { w, b } }`),
 * so that parameters and their gradients hold nothing but parameters. A
 * user's own layer is any value of the {@link Layer} interface; {@link make} fills in the parts
 * that can be derived.
 *
 * Widths: each layer says which width (size of the last axis) it takes and gives, where that is
 * known. {@link sequential} checks neighbouring widths when the model is built, and a width
 * that only shows up on application is reported naming the layer (its index and kind).
 *
 * @packageDocumentation
 */
export type { AnyLayer, Json, Layer, LayerParts, LayerSpec, NoParams, ParamsOf, Widths } from './layer/model.js'
export { describe, make } from './layer/model.js'
export type { DenseOptions, DenseParams, DenseParamsNoBias, Init } from './layer/dense.js'
export { dense } from './layer/dense.js'
export type { ActivationLike } from './layer/activation.js'
export { activation, perceptron } from './layer/activation.js'
export type { SequentialParams } from './layer/sequential.js'
export { sequential } from './layer/sequential.js'
export type { FunctionOptions } from './layer/function.js'
export { fromFunction } from './layer/function.js'
export type { LayerBuilder, Registry, SpecOptions } from './layer/registry.js'
export { fromSpec, fromSpecAt, register, registerActivation, registry } from './layer/registry.js'
