/**
 * `autodiff-ts/onnx`: the boundary to other engines. `Onnx.export` writes a layer and its
 * parameters as an ONNX model, `Onnx.import` reads one back. The protobuf runtime
 * (`@bufbuild/protobuf`) is loaded only through this entry, so the core `autodiff-ts` carries no
 * protobuf code.
 *
 * @module autodiff-ts/onnx
 */
export * as Onnx from './Onnx.js'
