/**
 * Saved models in files: `Model.save`'s JSON text written to a path, and read back with
 * `Model.load`'s checks.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import type { Layer, Registry } from '../Layer.js'
import { registry as builtins } from '../Layer.js'
import type { Loaded, LoadOptions, SaveOptions } from '../Model.js'
import { load, save } from '../Model.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { readRegularFile, writeFileAtomically } from './Files.js'

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * Writes `Model.save`'s text to a file, making its directory if needed: into a temporary file
 * beside it, then renamed over it, so the file is never left half-written. A path that is a
 * FIFO, a device or a directory, or where no file can be made (under `/proc`), is a `Left` at
 * once, naming the path and the reason.
 *
 * @throws ShapeError as `Model.save`.
 * @example
 * ```ts
 * import { Layer, Random } from 'autodiff-ts'
 * import { loadModel, saveModel } from 'autodiff-ts/node'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 *
 * const layer = Layer.dense(3, 2)
 * const path = join(tmpdir(), 'autodiff-ts-example', 'dense.json')
 * saveModel(path, layer, layer.init(Random.key(0)))._tag // 'Right'
 * loadModel(path)._tag // 'Right'
 * ```
 * @category files
 */
export const saveModel = <P extends Tree>(
  path: string,
  layer: Layer<P, Tensor, Tensor>,
  params: P,
  options: SaveOptions = {},
): Either<string, void> => {
  const text = save(layer, params, options)
  try {
    writeFileAtomically(path, text)
    return right(undefined)
  } catch (e) {
    return left(`${path}: cannot write the model (${reason(e)})`)
  }
}

/**
 * Reads a model from a file written by {@link saveModel} (or any file holding `Model.save`'s
 * text), as `Model.load`. A `Left` names the file and then the path in it; a FIFO or a device
 * is a `Left` at once, never a read that blocks.
 *
 * @example
 * ```ts
 * import { loadModel } from 'autodiff-ts/node'
 * import { isLeft } from 'fp-ts/lib/Either.js'
 *
 * const r = loadModel('no/such/model.json')
 * isLeft(r) && r.left.startsWith('no/such/model.json: cannot read the model (ENOENT') // true
 * ```
 * @category files
 */
export const loadModel = (path: string, registry: Registry = builtins, options: LoadOptions = {}): Either<string, Loaded> => {
  let text: string
  try {
    text = new TextDecoder().decode(readRegularFile(path))
  } catch (e) {
    return left(`${path}: cannot read the model (${reason(e)})`)
  }
  const r = load(text, registry, options)
  return isLeft(r) ? left(`${path}: ${r.left}`) : r
}
