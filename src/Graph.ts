/**
 * Pictures of computation graphs, for learning and for debugging.
 *
 * {@link trace} evaluates a generic scalar function once with a recording `Floating` instance:
 * every primitive becomes a node holding its operation, its inputs and its forward value. It then
 * runs the backward pass over the recorded graph with the local partials of `Rule` (the same rules
 * `Dual` and `Reverse` use), so every node also holds the gradient of the output with respect to
 * it, and every edge the part of that gradient that flows along it. {@link toDot} renders the
 * graph as Graphviz DOT, {@link toSvg} as a self-contained SVG picture (no Graphviz needed).
 *
 * On the lecture's example `z = t * t` with `t = x + y`, the multiply node sends each input the
 * gradient times the other input, and the add node passes the gradient through to both inputs.
 *
 * @packageDocumentation
 */
import { floatingNumber as N, type BinaryName, type Floating, type MultiFn, type UnaryName } from './Floating.js'
import { binaryRules, elementaryOps, unaryRules } from './Rule.js'
import { formatNumber, nodeTitle } from './graph/format.js'
import type { Edge, Graph, Node, NodeKind } from './graph/types.js'

export { toSvg, type SvgOptions } from './graph/svg.js'
export { formatNumber } from './graph/format.js'
export type { Edge, Graph, Node, NodeKind } from './graph/types.js'

/**
 * Options of {@link trace}.
 *
 * @category model
 */
export interface TraceOptions {
  /** Names of the inputs, one per argument; by default `x0`, `x1`, ... */
  readonly names?: readonly string[]
  /** The name of the output; by default `f`. */
  readonly output?: string
  /**
   * The gradient fed into the output (the cotangent of a vector-Jacobian product); by default 1.
   * Set it to show a node inside a bigger graph, receiving a gradient from upstream.
   */
  readonly seed?: number
}

/** Display symbols of the primitives; the others show their name. */
const symbols: Partial<Record<UnaryName | BinaryName, string>> = {
  add: '+',
  sub: '−',
  mul: '×',
  div: '÷',
  pow: '^',
  neg: '−x',
  recip: '1/x',
}

/** A recorded node before the backward pass. */
interface Raw {
  readonly kind: NodeKind
  readonly op: Node['op']
  readonly label: string
  readonly inputs: readonly number[]
  readonly partials: readonly number[]
  readonly value: number
}

/** A handle of the recording instance: an index into the list of recorded nodes. */
type Handle = number & { readonly Handle: unique symbol }

/** A recording `Floating`: every operation appends a node to `raws` and returns its index. */
const recorder = (raws: Raw[]): Floating<Handle> => {
  const push = (raw: Raw): Handle => (raws.push(raw) - 1) as Handle
  const value = (h: Handle): number => raws[h]!.value
  const of = (n: number): Handle =>
    push({ kind: 'constant', op: 'constant', label: formatNumber(n), inputs: [], partials: [], value: n })
  const unary = (name: UnaryName) => (x: Handle) => {
    const xv = value(x)
    const y = N[name](xv)
    const label = symbols[name] ?? name
    return push({ kind: 'operation', op: name, label, inputs: [x], partials: [unaryRules[name].d(N, xv, y)], value: y })
  }
  const binary = (name: BinaryName) => (x: Handle, y: Handle) => {
    const xv = value(x)
    const yv = value(y)
    const z = N[name](xv, yv)
    const { dx, dy } = binaryRules[name]
    const label = symbols[name] ?? name
    const partials = [dx(N, xv, yv, z), dy(N, xv, yv, z)]
    return push({ kind: 'operation', op: name, label, inputs: [x, y], partials, value: z })
  }
  return {
    zero: of(0),
    one: of(1),
    degree: () => 1,
    of,
    primal: value,
    add: binary('add'),
    sub: binary('sub'),
    mul: binary('mul'),
    neg: unary('neg'),
    ...elementaryOps(unary, binary),
  }
}

/**
 * Trace `f` at the point `xs`: record its computation graph with the forward value of every
 * node, then run the backward pass over it with the partials of `Rule`, so every node carries the
 * gradient of the output with respect to it and every edge the gradient it carries back. The
 * gradients of the input nodes are `Reverse.grad(f)(xs)` (scaled by `seed`). Nodes the output
 * does not depend on are dropped, except inputs.
 *
 * Throws a `RangeError` if `names` is given and its length differs from that of `xs`.
 *
 * @example
 * ```ts
 * import { Graph, type MultiFn } from 'autodiff-ts'
 *
 * // the lecture's example: z = t^2 with t = x + y
 * const z: MultiFn = (F) => ([x = F.zero, y = F.zero]) => {
 *   const t = F.add(x, y)
 *   return F.mul(t, t)
 * }
 * const g = Graph.trace(z, { names: ['x', 'y'], output: 'z' })([1, 2])
 * g.nodes[g.output]?.value // 9
 * Graph.gradient(g) // [6, 6]: dz/dx = dz/dy = 2 (x + y)
 * ```
 *
 * @category tracing
 */
export const trace =
  (f: MultiFn, options: TraceOptions = {}) =>
  (xs: readonly number[]): Graph => {
    const { names, output = 'f', seed = 1 } = options
    if (names !== undefined && names.length !== xs.length)
      throw new RangeError(`Graph.trace: expected one name per input (${xs.length}), got ${names.length} names`)
    const raws: Raw[] = []
    const F = recorder(raws)
    const vars = xs.map((x, i) =>
      (raws.push({ kind: 'input', op: 'input', label: names?.[i] ?? `x${i}`, inputs: [], partials: [], value: x }) -
        1) as Handle,
    )
    const out: number = f(F)(vars)
    return backward(raws, vars, out, output, seed)
  }

/** Keep the nodes `out` depends on and the inputs, renumber them, and run the backward pass. */
const backward = (raws: readonly Raw[], vars: readonly number[], out: number, name: string, seed: number): Graph => {
  const keep = new Uint8Array(raws.length)
  keep[out] = 1
  for (let i = out; i >= 0; i--) if (keep[i] === 1) for (const j of raws[i]!.inputs) keep[j] = 1
  for (const v of vars) keep[v] = 1
  const id = new Int32Array(raws.length).fill(-1)
  const kept: number[] = []
  for (let i = 0; i < raws.length; i++) if (keep[i] === 1) id[i] = kept.push(i) - 1
  // the backward sweep, in the order and with the zero-skipping of Reverse's sweep
  const grad = new Float64Array(kept.length)
  const edgeGrad = kept.map((i) => raws[i]!.inputs.map(() => 0))
  grad[id[out]!] = seed
  for (let k = kept.length - 1; k >= 0; k--) {
    const g = grad[k]!
    const raw = raws[kept[k]!]!
    if (g === 0) continue
    raw.inputs.forEach((j, s) => {
      const c = g * raw.partials[s]!
      edgeGrad[k]![s] = c
      grad[id[j]!]! += c
    })
  }
  const nodes: Node[] = kept.map((i, k) => {
    const raw = raws[i]!
    return Object.freeze({ id: k, ...raw, inputs: Object.freeze(raw.inputs.map((j) => id[j]!)), grad: grad[k]! })
  })
  const edges: Edge[] = nodes.flatMap((n) =>
    n.inputs.map((from, slot) =>
      Object.freeze({ from, to: n.id, slot, partial: n.partials[slot]!, grad: edgeGrad[n.id]![slot]! }),
    ),
  )
  return Object.freeze({
    nodes: Object.freeze(nodes),
    edges: Object.freeze(edges),
    inputs: Object.freeze(vars.map((v) => id[v]!)),
    output: id[out]!,
    outputName: name,
  })
}

/**
 * The gradients of the input nodes of a traced graph, in argument order: the gradient of the
 * output with respect to each input.
 *
 * @example
 * ```ts
 * import { Graph, type MultiFn } from 'autodiff-ts'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(x, y)
 * Graph.gradient(Graph.trace(f)([2, 3])) // [3, 2]: each input gets the other one
 * ```
 *
 * @category tracing
 */
export const gradient = (g: Graph): number[] => g.inputs.map((i) => g.nodes[i]!.grad)

/**
 * Options of {@link toDot}.
 *
 * @category rendering
 */
export interface DotOptions {
  /** Significant digits of the numbers shown; by default 4. */
  readonly digits?: number
  /** Show the gradient flowing along each edge; by default true. */
  readonly edgeGradients?: boolean
}

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`

/**
 * The graph as Graphviz DOT text, laid out left to right. Each node shows its operation, its
 * forward value and the gradient flowing back into it (constants show their value only); each
 * edge is labelled with the gradient it carries back. Render it with `dot -Tsvg`.
 *
 * @example
 * ```ts
 * import { Graph, type MultiFn } from 'autodiff-ts'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.add(x, y)
 * const dot = Graph.toDot(Graph.trace(f, { names: ['x', 'y'] })([1, 2]))
 * dot.startsWith('digraph') // true
 * ```
 *
 * @category rendering
 */
export const toDot = (g: Graph, options: DotOptions = {}): string => {
  const { digits = 4, edgeGradients = true } = options
  const fmt = (x: number) => formatNumber(x, digits)
  const lines = [
    'digraph "computation graph" {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fillcolor="#f8f9fb", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontcolor="#c0392b", arrowsize=0.7];',
  ]
  for (const n of g.nodes) {
    const title = nodeTitle(g, n)
    const label = n.kind === 'constant' ? title : `${title}\nvalue ${fmt(n.value)}\ngrad ${fmt(n.grad)}`
    const style = n.kind === 'constant' ? ', fillcolor="#eeeeee", fontcolor="#555555"' : n.kind === 'input' ? ', fillcolor="#e8f1fb"' : ''
    lines.push(`  n${n.id} [label=${quote(label)}${style}];`)
  }
  for (const e of g.edges) {
    const constant = g.nodes[e.from]!.kind === 'constant'
    const label = edgeGradients && !constant ? ` [label=${quote(fmt(e.grad))}]` : ''
    lines.push(`  n${e.from} -> n${e.to}${label};`)
  }
  lines.push('}')
  return lines.join('\n') + '\n'
}
