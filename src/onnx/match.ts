/**
 * Finding the library's layers in a foreign graph: a pattern (the nodes an activation exports to,
 * built by the same code that exports it) is matched against the graph backwards from a value,
 * binding the pattern's input and any wildcard constant (an activation's parameter).
 *
 * @packageDocumentation
 */
import type { DType, Graph, Init, Node } from './graph.js'
import { Builder } from './graph.js'
import { ops } from './ops.js'
import type { ActivationGraph } from './activations.js'

/** The graph indexed for matching: producers, consumer counts and constants by value name. */
export interface Index {
  readonly graph: Graph
  readonly producer: ReadonlyMap<string, number>
  readonly consumers: ReadonlyMap<string, readonly number[]>
  readonly constants: ReadonlyMap<string, Init>
}

/** Indexes a graph. */
export const index = (graph: Graph): Index => {
  const producer = new Map<string, number>()
  const consumers = new Map<string, number[]>()
  graph.nodes.forEach((n, i) => {
    for (const o of n.outputs) producer.set(o, i)
    for (const v of n.inputs) consumers.set(v, [...(consumers.get(v) ?? []), i])
  })
  return { graph, producer, consumers, constants: new Map(graph.inits.map((c) => [c.name, c])) }
}

/** The value a parameterised activation's pattern uses for its parameter, matched as a wildcard. */
export const WILDCARD = 1.2345678901234567e-200

/** A pattern: an activation's nodes on the input `X`, indexed. */
export interface Pattern {
  readonly index: Index
  readonly output: string
}

/** The pattern of an activation in a given element type. */
export const pattern = (g: ActivationGraph, dtype: DType): Pattern => {
  const b = new Builder()
  const output = g(ops(b, 'p'), 'X', dtype)
  return { index: index({ dtype, input: { name: 'X', width: 1 }, output: { name: output, width: 1 }, nodes: b.nodes, inits: b.inits }), output }
}

/** A match: the real value bound to `X`, the real nodes covered, the wildcard's value if any. */
export interface Match {
  readonly input: string
  readonly nodes: ReadonlySet<number>
  readonly wildcard: number | undefined
}

const sameAttrs = (a: Node['attrs'], b: Node['attrs']): boolean =>
  a.length === b.length && a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]))

/** The single value of a constant of size 1, as the graph's element type holds it. */
export const scalarOf = (c: Init | undefined): number | undefined => (c !== undefined && c.data.length === 1 ? c.data[0] : undefined)

/**
 * Matches pattern `p` against `real` backwards from the real value `v`. Internal values of the
 * match must not be used outside it.
 */
export const matchAt = (p: Pattern, real: Index, v: string): Match | undefined => {
  const bound = new Map<string, string>()
  const nodes = new Set<number>()
  let input: string | undefined
  let wildcard: number | undefined
  const round = (x: number): number => (real.graph.dtype === 'float32' ? Math.fround(x) : x)
  const go = (pv: string, rv: string): boolean => {
    const seen = bound.get(pv)
    if (seen !== undefined) return seen === rv
    bound.set(pv, rv)
    if (pv === 'X') {
      if (real.constants.has(rv)) return false
      input = rv
      return true
    }
    const pc = p.index.constants.get(pv)
    if (pc !== undefined) {
      const rc = scalarOf(real.constants.get(rv))
      if (rc === undefined) return false
      if (pc.data[0] === WILDCARD) {
        wildcard = rc
        return true
      }
      return Object.is(round(pc.data[0]!), rc)
    }
    const pn = p.index.graph.nodes[p.index.producer.get(pv)!]!
    const ri = real.producer.get(rv)
    if (ri === undefined) return false
    const rn = real.graph.nodes[ri]!
    if (rn.op !== pn.op || rn.inputs.length !== pn.inputs.length || rn.outputs.length !== 1 || !sameAttrs(rn.attrs, pn.attrs)) return false
    nodes.add(ri)
    return pn.inputs.every((pi, k) => go(pi, rn.inputs[k]!))
  }
  if (!go(p.output, v) || input === undefined) return undefined
  for (const i of nodes)
    for (const o of real.graph.nodes[i]!.outputs)
      if (o !== v && (real.consumers.get(o) ?? []).some((c) => !nodes.has(c))) return undefined
  return { input, nodes, wildcard }
}
