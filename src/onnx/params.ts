/**
 * The parameters of a layer read from a graph's constants by the names an export gives them
 * (`/layers.0/w`), walking the layer's spec as the exporter does.
 *
 * @packageDocumentation
 */
import type { LayerSpec } from '../layer/model.js'
import { byIndex } from '../layer/sequential.js'
import { wrap } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { prefixOf, type Graph } from './graph.js'

const isSpec = (u: unknown): u is LayerSpec => typeof u === 'object' && u !== null && !Array.isArray(u) && typeof (u as { kind?: unknown }).kind === 'string'

/** The parameters of the layer of `spec` in graph `g`, or undefined if a constant is missing or misshapen. */
export const paramsFromGraph = (spec: LayerSpec, g: Graph, path = '$', depth = 0): Tree | undefined => {
  if (depth > 512) return undefined
  const get = (name: string, dims: readonly number[]) => {
    const c = g.inits.find((i) => i.name === name)
    return c !== undefined && c.dims.length === dims.length && c.dims.every((d, k) => d === dims[k]) ? wrap(dims, Float64Array.from(c.data)) : undefined
  }
  switch (spec.kind) {
    case 'dense':
    case 'perceptron': {
      const [nIn, nOut, prefix] = [spec['in'] as number, spec['out'] as number, prefixOf(path)]
      const w = get(`${prefix}/w`, [nIn, nOut])
      if (w === undefined) return undefined
      if (spec['bias'] === false) return Object.freeze({ w })
      const b = get(`${prefix}/b`, [nOut])
      return b === undefined ? undefined : Object.freeze({ w, b })
    }
    case 'activation':
      return Object.freeze([])
    case 'sequential': {
      const layers = spec['layers']
      if (!Array.isArray(layers)) return undefined
      const ps: Tree[] = []
      for (let i = 0; i < layers.length; i++) {
        const s = layers[i]
        const p = isSpec(s) ? paramsFromGraph(s, g, `${path}.layers[${i}]`, depth + 1) : undefined
        if (p === undefined) return undefined
        ps.push(p)
      }
      return byIndex(ps)
    }
    case 'residual': {
      const inner = spec['inner']
      return isSpec(inner) ? paramsFromGraph(inner, g, `${path}.inner`, depth + 1) : undefined
    }
    default:
      return undefined
  }
}
