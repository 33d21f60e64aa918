/**
 * autodiff-ts: automatic differentiation and small neural networks, functional and immutable.
 *
 * Scalar functions are written once against the {@link Floating} type class and evaluated in
 * every mode (`Dual` for forward, `Reverse` for reverse); tensors flow through differentiable
 * function values (`Diff`) built from primitives (`ops`) whose rules carry both modes; models
 * are compositions of layers (`Layer`) trained by pure functions (`Optimizer`, `Train`).
 *
 * This entry runs in any JS engine (it imports no Node built-in): data and models are decoded
 * from bytes and text. Reading and writing files is `autodiff-ts/node`; the law kit is
 * `autodiff-ts/laws`.
 *
 * @module autodiff-ts
 */
// scalars: the type class, its rules, and both modes
export * from './Floating.js'
export * from './Rule.js'
export * from './Special.js'
export * as Dual from './Dual.js'
export * as Reverse from './Reverse.js'
export * as Graph from './Graph.js'
// tensors and differentiable function values
export * from './ShapeError.js'
export * from './Tensor.js'
export { DEFAULT_MAX_DEPTH, MAX_RECURSIVE_DEPTH } from './limits.js'
export * as Tree from './Tree.js'
export * as Diff from './Diff.js'
export * as Program from './program/index.js'
export * as ops from './ops/index.js'
export * from './Grad.js'
export { kernelInfo, useKernels, type KernelInfo, type KernelOptions } from './kernels/backend.js'
// neural networks
export * as Activation from './Activation.js'
export * as Loss from './Loss.js'
export * as Layer from './Layer.js'
export * as Optimizer from './Optimizer.js'
export * as Schedule from './Schedule.js'
export * as Train from './Train.js'
export * as Random from './Random.js'
// boundaries
export * as Codec from './Codec.js'
export * as Data from './data/index.js'
export * as Model from './Model.js'
