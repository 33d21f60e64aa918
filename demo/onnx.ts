/**
 * The demo's model in ONNX Runtime: export it with `autodiff-ts/onnx`, write the file, run it in
 * onnxruntime-node (a devDependency: the library itself never loads ONNX Runtime) on the test
 * set and score it as the library scores its own outputs.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import * as ort from 'onnxruntime-node'
import type { Labels } from '../src/Loss.js'
import { accuracy } from '../src/Loss.js'
import { Onnx } from '../src/onnx/index.js'
import type { Layer } from '../src/Layer.js'
import type { Tensor } from '../src/Tensor.js'
import { wrap } from '../src/Tensor.js'
import type { Tree } from '../src/Tree.js'

/** Exports the model to `path` and returns the test accuracy ONNX Runtime gets from that file. */
export const onnxAccuracy = async (model: Layer<Tree, Tensor, Tensor>, params: Tree, x: Tensor, y: Labels, path: string): Promise<Either<string, number>> => {
  const bytes = Onnx.export(model, params)
  if (bytes._tag === 'Left') return left(`ONNX export: ${bytes.left.message}`)
  try {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, bytes.right)
    const session = await ort.InferenceSession.create(path)
    const out = await session.run({ x: new ort.Tensor('float64', Float64Array.from(x.data), [...x.shape]) })
    await session.release()
    const logits = out['y']!
    return right(accuracy(y)(wrap([...logits.dims], Float64Array.from(logits.data as Float64Array))))
  } catch (e) {
    return left(`${path}: ONNX Runtime could not run the model (${e instanceof Error ? e.message : String(e)})`)
  }
}
