/**
 * The data of a traced computation graph: nodes, edges, and the graph that holds them.
 *
 * @packageDocumentation
 */
import type { BinaryName, UnaryName } from '../Floating.js'

/**
 * What a node of a computation graph is: an input variable, a constant (lifted with `of`, or the
 * instance's `zero` and `one`), or the application of a primitive of `Floating`.
 *
 * @category model
 */
export type NodeKind = 'input' | 'constant' | 'operation'

/**
 * One node of a traced computation graph.
 *
 * @category model
 */
export interface Node {
  /** Its index in `Graph.nodes`, in evaluation order: inputs before the nodes that use them. */
  readonly id: number
  /** Input, constant or operation. */
  readonly kind: NodeKind
  /** The primitive's name in `Floating` (`'add'`, `'mul'`, `'exp'`, ...), or `'input'` or `'constant'`. */
  readonly op: UnaryName | BinaryName | 'input' | 'constant'
  /** A short label: the input's name, the constant's value, or the operation's symbol (`+`, `×`, `exp`). */
  readonly label: string
  /** The ids of its arguments, in order (one for unary operations, two for binary ones). */
  readonly inputs: readonly number[]
  /** The local partial derivatives towards each argument, from `Rule`, in the order of `inputs`. */
  readonly partials: readonly number[]
  /** The forward value. */
  readonly value: number
  /** The gradient flowing back into it: the derivative of the output with respect to this node. */
  readonly grad: number
}

/**
 * One edge of a traced computation graph, from an argument to the operation that uses it. The
 * forward value flows along it from `from` to `to`; the gradient `grad` flows back from `to` to
 * `from`. A node used twice (as in `t * t`) has two edges.
 *
 * @category model
 */
export interface Edge {
  /** The argument's node id. */
  readonly from: number
  /** The operation's node id. */
  readonly to: number
  /** Which argument of `to` this is (0 or 1). */
  readonly slot: number
  /** The local partial derivative of `to` with respect to this argument. */
  readonly partial: number
  /** The gradient sent back along this edge: the gradient into `to` times `partial`. */
  readonly grad: number
}

/**
 * A traced computation graph: nodes in evaluation order, edges, the input nodes in argument
 * order, and the output node. Only nodes the output depends on are kept, and every input.
 *
 * @category model
 */
export interface Graph {
  /** All nodes, in evaluation order. */
  readonly nodes: readonly Node[]
  /** All edges, grouped by the node they enter. */
  readonly edges: readonly Edge[]
  /** The ids of the input nodes, in the order of the arguments. */
  readonly inputs: readonly number[]
  /** The id of the output node. */
  readonly output: number
  /** The name of the output, shown on its node. */
  readonly outputName: string
}
