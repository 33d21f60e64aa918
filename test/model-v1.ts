/**
 * Version-1 model files made from today's models, for the tests of loading them: a sequential's
 * parameters as an array with one entry per layer, `[]` for a layer without parameters, as
 * version 1's `init` made them. Written from the spec, independently of the loader's
 * conversion (which follows the rebuilt layer's parameters).
 */
import * as Codec from '../src/Codec.js'
import type { Json, Layer, LayerSpec } from '../src/Layer.js'
import * as Model from '../src/Model.js'
import type { Tensor } from '../src/Tensor.js'
import type { Tree } from '../src/Tree.js'

/** Version 1's parameters of the layer of `spec`, from today's parameters `p`. */
export const toVersion1 = (spec: LayerSpec, p: Tree): Tree => {
  if (spec.kind !== 'sequential') return p
  const specs = spec['layers'] as readonly LayerSpec[]
  const rec = p as { readonly [k: string]: Tree }
  return specs.map((s, i) => (Object.hasOwn(rec, i) ? toVersion1(s, rec[i]!) : toVersion1(s, [])))
}

/** The version-1 file of a model and its parameters. */
export const version1File = (model: Layer<Tree, Tensor, Tensor>, params: Tree): string => {
  const file = JSON.parse(Model.save(model, params)) as { [k: string]: Json }
  return JSON.stringify({ ...file, version: 1, params: Codec.tree.encode(toVersion1(model.spec, params)) as Json })
}
