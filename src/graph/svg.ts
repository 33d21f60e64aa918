/**
 * A self-contained SVG picture of a traced computation graph, with its own small layered layout:
 * nodes in columns by depth from left to right, edges as curves with arrowheads.
 *
 * @packageDocumentation
 */
import type { Graph, Node } from './types.js'
import { formatNumber, nodeTitle } from './format.js'

/**
 * Options of {@link toSvg}.
 *
 * @category rendering
 */
export interface SvgOptions {
  /** Significant digits of the numbers shown; by default 4. */
  readonly digits?: number
  /** Label each edge with the gradient it carries back; by default true. */
  readonly edgeGradients?: boolean
  /** A title drawn above the graph; none by default. */
  readonly title?: string
  /** Draw the legend (value in blue, gradient in red) below the graph; by default true. */
  readonly legend?: boolean
  /** A prefix for the ids inside the SVG, so that several pictures can share one HTML page. */
  readonly idPrefix?: string
  /**
   * Which way the values flow: `'right'` (columns by depth, left to right; the default) or
   * `'down'` (rows by depth, top to bottom: narrower, for a phone's screen).
   */
  readonly direction?: 'right' | 'down'
}

const VALUE = '#1f6fb2'
const GRAD = '#c0392b'
const SANS = 'Helvetica, Arial, sans-serif'
const MONO = 'DejaVu Sans Mono, Menlo, Consolas, monospace'
const TITLE_SIZE = 15
const TEXT_SIZE = 13
const LINE = 18
const PAD = 10
const COL_GAP = 96
const ROW_GAP = 28
const MARGIN = 16

/** A line of text inside a node box. */
interface Line {
  readonly text: string
  readonly color: string
  readonly bold: boolean
  readonly mono: boolean
}

/** A node placed on the page: centre `(x, y)`, width `w`, height `h`. */
interface Box {
  readonly node: Node
  readonly lines: readonly Line[]
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** An estimate of the width of a line of text, without font metrics. */
const textWidth = (l: Line): number => [...l.text].length * (l.mono ? 0.61 * TEXT_SIZE : 0.64 * TITLE_SIZE)

const r1 = (x: number): string => String(Math.round(x * 10) / 10)

/**
 * The column of every node: an operation one right of its deepest operation argument (column 1
 * if it has none), a leaf (input or constant) just left of its first user, so that it sits next
 * to where it is used.
 */
const columns = (g: Graph): Int32Array => {
  const col = new Int32Array(g.nodes.length)
  const leaf = (i: number) => g.nodes[i]!.kind !== 'operation'
  for (const n of g.nodes)
    if (!leaf(n.id)) col[n.id] = 1 + Math.max(0, ...n.inputs.filter((i) => !leaf(i)).map((i) => col[i]!))
  const users: number[][] = g.nodes.map(() => [])
  for (const e of g.edges) users[e.from]!.push(e.to)
  for (const n of g.nodes)
    if (leaf(n.id)) {
      const us = users[n.id]!
      col[n.id] = us.length === 0 ? 0 : Math.min(...us.map((u) => col[u]!)) - 1
    }
  return col
}

/** Order the nodes within each column by the barycentre of their neighbours, a few sweeps each way. */
const order = (g: Graph, col: Int32Array): number[][] => {
  const ncols = Math.max(0, ...col) + 1
  const cols: number[][] = Array.from({ length: ncols }, () => [])
  for (const n of g.nodes) cols[col[n.id]!]!.push(n.id)
  const pos = new Float64Array(g.nodes.length)
  const place = () => cols.forEach((c) => c.forEach((id, k) => (pos[id] = k - (c.length - 1) / 2)))
  // a user's argument slots spread a little around its position, so the first argument of a
  // binary operation sits above the second and its edges do not cross
  const uses: { readonly to: number; readonly offset: number }[][] = g.nodes.map(() => [])
  for (const e of g.edges) uses[e.from]!.push({ to: e.to, offset: (e.slot - (g.nodes[e.to]!.inputs.length - 1) / 2) * 0.25 })
  const mean = (xs: readonly number[], fallback: number) => (xs.length === 0 ? fallback : xs.reduce((s, x) => s + x, 0) / xs.length)
  const sortBy = (c: number[], key: (id: number) => number) => {
    const keys = new Map(c.map((id) => [id, key(id)] as const))
    c.sort((a, b) => keys.get(a)! - keys.get(b)!)
  }
  place()
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let c = 1; c < ncols; c++) {
      sortBy(cols[c]!, (id) => mean(g.nodes[id]!.inputs.map((i) => pos[i]!), pos[id]!))
      place()
    }
    for (let c = ncols - 2; c >= 0; c--) {
      sortBy(cols[c]!, (id) => mean(uses[id]!.map((u) => pos[u.to]! + u.offset), pos[id]!))
      place()
    }
  }
  return cols
}

const linesOf = (g: Graph, n: Node, digits: number): Line[] => {
  const title: Line = { text: nodeTitle(g, n), color: n.kind === 'constant' ? '#555555' : '#222222', bold: true, mono: false }
  if (n.kind === 'constant') return [title]
  return [
    title,
    { text: `value ${formatNumber(n.value, digits)}`, color: VALUE, bold: false, mono: true },
    { text: `grad ${formatNumber(n.grad, digits)}`, color: GRAD, bold: false, mono: true },
  ]
}

/** The gap between rows of a top-down layout: room for the edges and their labels. */
const LAYER_GAP = 46

/**
 * Place every node: columns left to right, each column centred vertically; or, `down`, rows top
 * to bottom, each row centred horizontally.
 */
const layout = (g: Graph, digits: number, top: number, down: boolean): { boxes: Box[]; width: number; height: number } => {
  const cols = order(g, columns(g))
  const lines = g.nodes.map((n) => linesOf(g, n, digits))
  const size = g.nodes.map((n, i) => ({
    w: Math.ceil(Math.max(44, ...lines[i]!.map(textWidth)) + 2 * PAD),
    h: lines[i]!.length * LINE + PAD + (n.kind === 'constant' ? 2 : 6),
  }))
  if (down) {
    const rowW = cols.map((c) => c.reduce((s, id) => s + size[id]!.w, 0) + ROW_GAP * Math.max(0, c.length - 1))
    const rowH = cols.map((c) => Math.max(0, ...c.map((id) => size[id]!.h)))
    const inner = Math.max(...rowW)
    const boxes: Box[] = []
    let y = top
    cols.forEach((c, k) => {
      let x = MARGIN + (inner - rowW[k]!) / 2
      for (const id of c) {
        const { w, h } = size[id]!
        boxes[id] = { node: g.nodes[id]!, lines: lines[id]!, x: x + w / 2, y: y + rowH[k]! / 2, w, h }
        x += w + ROW_GAP
      }
      y += rowH[k]! + LAYER_GAP
    })
    return { boxes, width: inner + 2 * MARGIN, height: y - LAYER_GAP - top }
  }
  const colW = cols.map((c) => Math.max(0, ...c.map((id) => size[id]!.w)))
  const colH = cols.map((c) => c.reduce((s, id) => s + size[id]!.h, 0) + ROW_GAP * Math.max(0, c.length - 1))
  const height = Math.max(...colH)
  const boxes: Box[] = []
  let x = MARGIN
  cols.forEach((c, k) => {
    let y = top + (height - colH[k]!) / 2
    for (const id of c) {
      const { w, h } = size[id]!
      boxes[id] = { node: g.nodes[id]!, lines: lines[id]!, x: x + colW[k]! / 2, y: y + h / 2, w, h }
      y += h + ROW_GAP
    }
    x += colW[k]! + COL_GAP
  })
  return { boxes, width: x - COL_GAP + MARGIN, height }
}

const drawBox = (b: Box, isOutput: boolean): string => {
  const fill = b.node.kind === 'constant' ? '#eeeeee' : b.node.kind === 'input' ? '#e8f1fb' : '#f8f9fb'
  const stroke = isOutput ? '#222222' : '#8a94a6'
  const parts = [
    `<rect x="${r1(b.x - b.w / 2)}" y="${r1(b.y - b.h / 2)}" width="${b.w}" height="${b.h}" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="${isOutput ? 2 : 1.2}"/>`,
  ]
  const y0 = b.y - ((b.lines.length - 1) * LINE) / 2
  b.lines.forEach((l, i) => {
    const font = l.mono ? MONO : SANS
    const size = l.mono ? TEXT_SIZE : TITLE_SIZE
    parts.push(
      `<text x="${r1(b.x)}" y="${r1(y0 + i * LINE)}" text-anchor="middle" dominant-baseline="central" font-family="${font}" font-size="${size}"${l.bold ? ' font-weight="bold"' : ''} fill="${l.color}">${escape(l.text)}</text>`,
    )
  })
  return parts.join('\n')
}

/** The offsets of `k` ports spread along a side of length `h`. */
const spread = (k: number, index: number, h: number): number => {
  if (k <= 1) return 0
  const step = Math.min(18, (h - 12) / (k - 1))
  return (index - (k - 1) / 2) * step
}

const drawEdges = (g: Graph, boxes: readonly Box[], digits: number, labels: boolean, arrow: string, down: boolean): string[] => {
  const outgoing: number[][] = g.nodes.map(() => [])
  g.edges.forEach((e, k) => outgoing[e.from]!.push(k))
  for (const ks of outgoing)
    ks.sort((a, b) => {
      const ea = g.edges[a]!
      const eb = g.edges[b]!
      const across = down ? boxes[ea.to]!.x - boxes[eb.to]!.x : boxes[ea.to]!.y - boxes[eb.to]!.y
      return across || ea.to - eb.to || ea.slot - eb.slot
    })
  const paths: string[] = []
  const texts: string[] = []
  g.edges.forEach((e, k) => {
    const s = boxes[e.from]!
    const t = boxes[e.to]!
    const outs = outgoing[e.from]!
    // out of the source's right (bottom) side, into the target's left (top) side
    const [sx, sy, tx, ty] = down
      ? [s.x + spread(outs.length, outs.indexOf(k), s.w), s.y + s.h / 2, t.x + spread(t.node.inputs.length, e.slot, t.w), t.y - t.h / 2]
      : [s.x + s.w / 2, s.y + spread(outs.length, outs.indexOf(k), s.h), t.x - t.w / 2, t.y + spread(t.node.inputs.length, e.slot, t.h)]
    const d = Math.max(down ? 16 : 30, (down ? ty - sy : tx - sx) / 2)
    const c1 = down ? ([sx, sy + d] as const) : ([sx + d, sy] as const)
    const c2 = down ? ([tx, ty - d] as const) : ([tx - d, ty] as const)
    paths.push(
      `<path d="M${r1(sx)},${r1(sy)} C${r1(c1[0])},${r1(c1[1])} ${r1(c2[0])},${r1(c2[1])} ${r1(tx)},${r1(ty)}" fill="none" stroke="#5b6577" stroke-width="1.4" marker-end="url(#${arrow})"/>`,
    )
    if (labels && g.nodes[e.from]!.kind !== 'constant') {
      // the point of the curve at t = 1/2, and the label just above it
      const mx = (sx + 3 * c1[0] + 3 * c2[0] + tx) / 8
      const my = (sy + 3 * c1[1] + 3 * c2[1] + ty) / 8
      texts.push(
        `<text x="${r1(down ? mx + 5 : mx)}" y="${r1(down ? my + 4 : my - 5)}" text-anchor="${down ? 'start' : 'middle'}" font-family="${MONO}" font-size="12" fill="${GRAD}" stroke="#ffffff" stroke-width="4" paint-order="stroke">${escape(formatNumber(e.grad, digits))}</text>`,
      )
    }
  })
  return [...paths, ...texts]
}

/** The legend's lines and colours; the edge line only when edges are labelled. */
const legendLines = (edgeGradients: boolean): readonly (readonly [string, string])[] => [
  ['arrows: values flow forward, gradients flow back', '#444444'],
  ['value: the forward value of the node', VALUE],
  ['grad: d output / d node, the gradient flowing back into it', GRAD],
  ...(edgeGradients ? [['on an edge: the part of the gradient it carries back', GRAD] as const] : []),
]
const LEGEND_LINE = 17
/** An estimate of the legend's width: 12px sans text. */
const legendWidth = (lines: readonly (readonly [string, string])[]): number => Math.max(...lines.map(([t]) => t.length)) * 6.3

const drawLegend = (x: number, y: number, lines: readonly (readonly [string, string])[]): string =>
  lines
    .map(([text, color], i) => `<text x="${x}" y="${y + i * LEGEND_LINE}" font-family="${SANS}" font-size="12" fill="${color}">${escape(text)}</text>`)
    .join('\n')

/**
 * The graph as a self-contained SVG document (no scripts, no external fonts or files), laid out
 * left to right by depth (top to bottom with `direction: 'down'`). Each node shows its operation, its forward value (blue) and the gradient
 * flowing back into it (red); each edge is labelled with the part of the gradient it carries back.
 * Constants (grey) show their value only.
 *
 * @example
 * ```ts
 * import { Graph, type MultiFn } from 'autodiff-ts'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(x, y)
 * const svg = Graph.toSvg(Graph.trace(f, { names: ['x', 'y'] })([2, 3]), { title: 'the multiply node' })
 * svg.startsWith('<svg') // true
 * const tall = Graph.toSvg(Graph.trace(f, { names: ['x', 'y'] })([2, 3]), { direction: 'down', legend: false })
 * ```
 *
 * @category rendering
 */
export const toSvg = (g: Graph, options: SvgOptions = {}): string => {
  const { digits = 4, edgeGradients = true, title, legend = true, idPrefix = 'cg', direction = 'right' } = options
  const down = direction === 'down'
  const top = MARGIN + (title === undefined ? 0 : 26)
  const { boxes, width: w0, height: h0 } = layout(g, digits, top, down)
  const legendTop = top + h0 + 28
  const lines = legendLines(edgeGradients)
  const width = Math.ceil(
    Math.max(w0, legend ? legendWidth(lines) + 2 * MARGIN : 0, title === undefined ? 0 : title.length * 8.6 + 2 * MARGIN),
  )
  const height = Math.ceil(legend ? legendTop + (lines.length - 1) * LEGEND_LINE + 6 + MARGIN : top + h0 + MARGIN)
  const arrow = `${idPrefix}-arrow`
  const body = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<title>${escape(title ?? 'computation graph')}</title>`,
    `<defs><marker id="${arrow}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6577"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...(title === undefined
      ? []
      : [`<text x="${MARGIN}" y="${MARGIN + 14}" font-family="${SANS}" font-size="16" font-weight="bold" fill="#222222">${escape(title)}</text>`]),
    ...drawEdges(g, boxes, digits, edgeGradients, arrow, down),
    ...boxes.map((b) => drawBox(b, b.node.id === g.output)),
    ...(legend ? [drawLegend(MARGIN, legendTop, lines)] : []),
    '</svg>',
  ]
  return body.join('\n') + '\n'
}
