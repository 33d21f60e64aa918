/**
 * Number and label formatting for graph pictures.
 *
 * @packageDocumentation
 */
import type { Graph, Node } from './types.js'

/**
 * A number for a picture: at most `digits` significant digits, no trailing zeros, `−` for minus,
 * `∞` for infinity.
 *
 * @example
 * ```ts
 * import { Graph } from 'autodiff-ts'
 *
 * Graph.formatNumber(Math.PI) // '3.142'
 * Graph.formatNumber(-0.5) // '−0.5'
 * ```
 *
 * @category rendering
 */
export const formatNumber = (x: number, digits = 4): string => {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return '∞'
  if (x === -Infinity) return '−∞'
  const s = String(Number(x.toPrecision(digits)))
  return s === '-0' ? '0' : s.replace('-', '−')
}

/** The title of a node: its label, and for the output operation its name as well. */
export const nodeTitle = (g: Graph, n: Node): string =>
  n.id === g.output && n.kind !== 'input' ? `${g.outputName} = ${n.label}` : n.label
