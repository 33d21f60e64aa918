/**
 * The ONNX graph this entry writes and reads, as plain data (nodes, attributes, initializers),
 * and a builder that records nodes with deterministic names. {@link encode} and {@link decode}
 * turn it into and out of ModelProto bytes; nothing else here knows about protobuf.
 *
 * @packageDocumentation
 */

/**
 * The element type of an exported model: ONNX `DOUBLE` or `FLOAT`.
 *
 * @category model
 */
export type DType = 'float64' | 'float32'

/** An attribute of a node: an integer, a float, or a list of integers. */
export type Attr =
  | { readonly name: string; readonly kind: 'int'; readonly value: number }
  | { readonly name: string; readonly kind: 'float'; readonly value: number }
  | { readonly name: string; readonly kind: 'ints'; readonly value: readonly number[] }

/** A node: its operator, input and output value names, its name and its attributes. */
export interface Node {
  readonly op: string
  readonly name: string
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  readonly attrs: readonly Attr[]
}

/**
 * A constant tensor of the graph (a weight, or a scalar of an activation's formula), in the
 * graph's element type; or, with `int64`, integers an operator takes as an input (a shape, axes).
 */
export interface Init {
  readonly name: string
  readonly dims: readonly number[]
  readonly data: Float64Array
  readonly int64?: true
}

/**
 * A graph input or output: a `[batch, width]` tensor with a symbolic batch dimension, or, with
 * `dims`, any shape (`null` for the symbolic batch dimension).
 */
export interface Port {
  readonly name: string
  readonly width: number
  readonly dims?: readonly (number | null)[]
}

/** A whole model: one input, one output, its element type, nodes in topological order, constants. */
export interface Graph {
  readonly dtype: DType
  readonly input: Port
  readonly output: Port
  readonly nodes: readonly Node[]
  readonly inits: readonly Init[]
}

/** A path in a model as a node-name prefix: `$.layers[2].inner` as `/layers.2/inner`, `$` as ''. */
export const prefixOf = (path: string): string =>
  path
    .slice(1)
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\./g, '/')
    .replace(/\/(\d+)/g, '.$1')

/** Formats a number for a constant's name: `0.5`, `-1`, `1e-300`. */
const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v))

/**
 * Records nodes and constants for one export. Node names are `prefix/Op` (with a counter when
 * the prefix already has that op), each node's one output is named as the node, and scalar
 * constants are shared by value (`c/0.5`). Local to one export, so nothing outside sees it change.
 */
export class Builder {
  readonly nodes: Node[] = []
  readonly inits: Init[] = []
  private readonly names = new Set<string>()
  private readonly scalars = new Map<string, string>()

  private unused(base: string): string {
    let name = base
    for (let k = 1; this.names.has(name); k++) name = `${base}_${k}`
    return name
  }

  /** Adds a node with one output; returns the output's name. */
  node(prefix: string, op: string, inputs: readonly string[], attrs: readonly Attr[] = []): string {
    const name = this.unused(`${prefix}/${op}`)
    this.names.add(name)
    this.nodes.push({ op, name, inputs, outputs: [name], attrs })
    return name
  }

  /** Adds a constant tensor (named exactly `name`, which must be new); returns its name. */
  constant(name: string, dims: readonly number[], data: Float64Array): string {
    if (this.names.has(name)) throw new Error(`onnx builder: the name ${name} is taken`)
    this.names.add(name)
    this.inits.push({ name, dims, data })
    return name
  }

  /** A 1-d int64 constant (a shape, axes, starts), shared by value across the graph. */
  ints(values: readonly number[]): string {
    const key = `[${values.join(',')}]`
    const known = this.scalars.get(key)
    if (known !== undefined) return known
    const name = this.unused(`c/${key}`)
    this.names.add(name)
    this.inits.push({ name, dims: [values.length], data: Float64Array.from(values), int64: true })
    this.scalars.set(key, name)
    return name
  }

  /** A rank-0 constant, shared by value across the graph. */
  scalar(v: number): string {
    const key = show(v)
    const known = this.scalars.get(key)
    if (known !== undefined) return known
    const name = this.constant(this.unused(`c/${key}`), [], Float64Array.of(v))
    this.scalars.set(key, name)
    return name
  }
}
