/**
 * Generate the documentation's figures with the library itself (run by `npm run docs`):
 *
 * - docs/figures/activation-<name>.svg: every activation and its derivative, the derivative
 *   computed by forward-mode AD (dual numbers through the activation's generic definition) and
 *   checked against the closed form; kinks marked with the library's convention;
 * - docs/figures/backprop-*.svg: computation graphs traced by `Graph` (the lecture's example, the
 *   add and multiply nodes, a neuron);
 * - docs/figures/training-digits.svg: loss and accuracy per epoch of the digits demo, if its
 *   history file exists (out/digits-history.json, written by `npm run demo`, or the path in
 *   DIGITS_HISTORY); otherwise the committed figure is kept.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as Activation from '../../src/Activation.js'
import * as Dual from '../../src/Dual.js'
import * as Graph from '../../src/Graph.js'
import type { MultiFn } from '../../src/Floating.js'
import { document, niceTicks, plot, type Mark, type Series } from './plot.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const out = join(root, 'docs', 'figures')
mkdirSync(out, { recursive: true })

const written: string[] = []
const write = (name: string, svg: string): void => {
  writeFileSync(join(out, name), svg)
  written.push(name)
}

const VALUE = '#1f6fb2'
const DERIV = '#c0392b'

// ---------------------------------------------------------------------------------------------
// activations

const X0 = -4
const X1 = 4
const N = 800
const grid = Array.from({ length: N + 1 }, (_, i) => X0 + ((X1 - X0) * i) / N)

/** Split the samples at the given points (which are left out), so a jump is not drawn as a line. */
const pieces = (xs: readonly number[], at: readonly number[], f: (x: number) => number): [number, number][][] => {
  const cuts = [...at].sort((a, b) => a - b)
  const segs: [number, number][][] = [[]]
  let k = 0
  for (const x of xs) {
    if (cuts.includes(x)) continue
    while (k < cuts.length && x > cuts[k]!) {
      k++
      segs.push([])
    }
    segs[segs.length - 1]!.push([x, f(x)])
  }
  return segs.filter((s) => s.length > 0)
}

const fmt = (x: number): string => Graph.formatNumber(x, 4)
const interval = ([a, b]: readonly [number, number]): string =>
  `${Number.isFinite(a) ? '[' : '('}${fmt(a)}, ${fmt(b)}${Number.isFinite(b) ? ']' : ')'}`

/** The file name of an activation: parameters dropped (`leakyRelu(0.01)` is `leakyRelu`), variants kept (`gelu(tanh)` is `gelu-tanh`). */
const slug = (name: string): string => {
  const open = name.indexOf('(')
  if (open < 0) return name
  const inner = name.slice(open + 1, -1)
  return Number.isFinite(Number(inner)) ? name.slice(0, open) : `${name.slice(0, open)}-${inner}`
}
/** The name in a formula: `leakyRelu(0.01)` reads `leakyRelu`, `gelu(tanh)` reads `gelu_tanh`. */
const symbol = (name: string): string => slug(name).replace('-', '_')

for (const a of Activation.all) {
  const ad = Dual.derivative(a.scalar)
  // the AD derivative agrees with the closed form away from kinks (the laws test this too)
  const kinkAt = a.kinks.map((k) => k.at)
  for (const x of grid) {
    if (kinkAt.includes(x)) continue
    const e = ad(x)
    const c = a.derivative(x)
    if (!(Math.abs(e - c) <= 1e-9 * (1 + Math.abs(c))))
      throw new Error(`figures: ${a.name}: the AD derivative ${e} and the closed form ${c} differ at x = ${x}`)
  }
  const jumps = a.kinks.filter((k) => k.rule === 'jump').map((k) => k.at)
  const breaks = a.kinks.filter((k) => k.left !== k.right || k.rule === 'jump').map((k) => k.at)
  const series: Series[] = [
    { label: `${symbol(a.name)}(x)`, segments: pieces(grid, jumps, a.value), color: VALUE },
    { label: `${symbol(a.name)}′(x), by dual numbers`, segments: pieces(grid, breaks, ad), color: DERIV, dashed: true },
  ]
  const marks: Mark[] = []
  for (const k of a.kinks) {
    if (k.rule === 'jump') {
      const v = a.value(k.at)
      const below = a.value(k.at - 1e-12)
      const above = a.value(k.at + 1e-12)
      marks.push({ x: k.at, y: v, color: VALUE, filled: true, note: `${symbol(a.name)}(${fmt(k.at)}) = ${fmt(v)}`, noteAbove: true })
      for (const l of [below, above]) if (l !== v) marks.push({ x: k.at, y: l, color: VALUE, filled: false })
    }
    for (const l of [k.left, k.right]) if (l !== k.derivative) marks.push({ x: k.at, y: l, color: DERIV, filled: false })
    marks.push({ x: k.at, y: k.derivative, color: DERIV, filled: true, note: `${symbol(a.name)}′(${fmt(k.at)}) = ${fmt(k.derivative)}` })
  }
  const ys = [...grid.map(a.value), ...grid.filter((x) => !kinkAt.includes(x)).map(ad)].filter(Number.isFinite)
  const lo = Math.min(-0.25, ...ys)
  const hi = Math.max(1.1, ...ys)
  const pad = 0.08 * (hi - lo)
  // the largest slope, over a wider range than drawn
  const wide = Array.from({ length: 4001 }, (_, i) => -20 + i / 100).filter((x) => !kinkAt.includes(x))
  const dmax = Math.max(...wide.map((x) => Math.abs(a.derivative(x))))
  const p = plot({
    title: a.name,
    subtitle: `range ${interval(a.range)}; largest |f′| ${String(dmax) === fmt(dmax) ? '=' : '≈'} ${fmt(dmax)}${a.kinks.length === 0 ? '; smooth' : `; at the kink${a.kinks.length > 1 ? 's' : ''}: ${a.kinks.map((k) => `f′(${fmt(k.at)}) = ${fmt(k.derivative)} (${k.rule})`).join(', ')}`}`,
    xLabel: 'x',
    x: [X0, X1],
    y: [lo - pad, hi + pad],
    series,
    marks,
  })
  write(`activation-${slug(a.name)}.svg`, document(p.width, p.height, [{ svg: p.svg, dx: 0, dy: 0 }], `${a.name} and its derivative`))
}

// softmax and log-softmax on the two-class row [x, 0]: softmax([x, 0])_0 is sigmoid(x)
for (const r of [Activation.softmax, Activation.logSoftmax]) {
  const value = (x: number) => r.value([x, 0])[0]!
  const d = (x: number) => Dual.pushforward(r.vector)([x, 0], [1, 0])[1][0]!
  const ys = [...grid.map(value), ...grid.map(d)]
  const lo = Math.min(-0.25, ...ys)
  const hi = Math.max(1.1, ...ys)
  const pad = 0.08 * (hi - lo)
  const p = plot({
    title: `${r.name} on the row [x, 0], first entry`,
    subtitle:
      r.name === 'softmax'
        ? 'softmax([x, 0])₀ = sigmoid(x); rows sum to 1; derivative by dual numbers through the row'
        : 'logSoftmax([x, 0])₀ = −softplus(−x); derivative by dual numbers through the row',
    xLabel: 'x',
    x: [X0, X1],
    y: [lo - pad, hi + pad],
    series: [
      { label: `${r.name}([x, 0])₀`, segments: [grid.map((x) => [x, value(x)] as [number, number])], color: VALUE },
      { label: `∂/∂x, by dual numbers`, segments: [grid.map((x) => [x, d(x)] as [number, number])], color: DERIV, dashed: true },
    ],
    legend: 'top-left',
  })
  write(`activation-${r.name}.svg`, document(p.width, p.height, [{ svg: p.svg, dx: 0, dy: 0 }], `${r.name} on a two-class row`))
}

// ---------------------------------------------------------------------------------------------
// computation graphs

const lecture: MultiFn = (F) => ([x = F.zero, y = F.zero]) => {
  const t = F.add(x, y)
  return F.mul(t, t)
}
write(
  'backprop-example.svg',
  Graph.toSvg(Graph.trace(lecture, { names: ['x', 'y'], output: 'z' })([1, 2]), {
    title: 'z = t · t with t = x + y, at x = 1, y = 2',
    idPrefix: 'example',
  }),
)
write(
  'backprop-add-node.svg',
  Graph.toSvg(Graph.trace((F) => ([x = F.zero, y = F.zero]) => F.add(x, y), { names: ['x', 'y'], output: 'z', seed: 5 })([2, 3]), {
    title: 'the add node passes the gradient (5, from upstream) through',
    idPrefix: 'add',
  }),
)
write(
  'backprop-mul-node.svg',
  Graph.toSvg(Graph.trace((F) => ([x = F.zero, y = F.zero]) => F.mul(x, y), { names: ['x', 'y'], output: 'z', seed: 5 })([2, 3]), {
    title: 'the multiply node sends each input the gradient times the other input',
    idPrefix: 'mul',
  }),
)
const neuron: MultiFn = (F) => ([x1 = F.zero, x2 = F.zero, w1 = F.zero, w2 = F.zero, b = F.zero]) =>
  F.tanh(F.add(F.add(F.mul(w1, x1), F.mul(w2, x2)), b))
write(
  'backprop-neuron.svg',
  Graph.toSvg(Graph.trace(neuron, { names: ['x1', 'x2', 'w1', 'w2', 'b'], output: 'y' })([2, 0, -3, 1, 6.8813735870195432]), {
    title: 'a neuron: y = tanh(w1 x1 + w2 x2 + b)',
    idPrefix: 'neuron',
  }),
)

// ---------------------------------------------------------------------------------------------
// the digits demo's training curve

interface EpochLine {
  readonly epoch: number
  readonly loss: number
  readonly accuracy?: number
  readonly testLoss?: number
  readonly testAccuracy?: number
}
interface History {
  readonly epochs: readonly EpochLine[]
  readonly model?: string
  readonly testAccuracy?: number
  readonly options?: { readonly batchSize?: number; readonly lr?: number; readonly optimizer?: string }
}

const historyPath = process.env['DIGITS_HISTORY'] ?? join(root, 'out', 'digits-history.json')
if (existsSync(historyPath)) {
  const h = JSON.parse(readFileSync(historyPath, 'utf8')) as History
  const epochs = h.epochs
  if (!Array.isArray(epochs) || epochs.length === 0) throw new Error(`figures: ${historyPath}: expected { epochs: [...] } with at least one epoch`)
  const line = (f: (e: EpochLine) => number | undefined): [number, number][] =>
    epochs.flatMap((e) => {
      const v = f(e)
      return v === undefined ? [] : [[e.epoch, v] as [number, number]]
    })
  const first = Math.min(...epochs.map((e) => e.epoch))
  const last = Math.max(first + 1, ...epochs.map((e) => e.epoch))
  const losses = epochs.flatMap((e) => [e.loss, e.testLoss ?? e.loss])
  // whole epochs only
  const epochTicks = niceTicks(first, last, 8).filter(Number.isInteger)
  const o = h.options ?? {}
  const about = [h.model, o.optimizer === undefined ? undefined : `${o.optimizer} (lr ${o.lr})`, o.batchSize === undefined ? undefined : `batch ${o.batchSize}`]
    .filter((s) => s !== undefined)
    .join(', ')
  const lossPlot = plot({
    title: 'digits demo: loss per epoch',
    subtitle: about,
    xLabel: 'epoch',
    yLabel: 'softmax cross-entropy',
    x: [first, last],
    xTicks: epochTicks,
    y: [0, Math.max(...losses) * 1.08],
    series: [
      { label: 'training loss', segments: [line((e) => e.loss)], color: VALUE },
      { label: 'test loss', segments: [line((e) => e.testLoss)], color: DERIV, dashed: true },
    ].filter((s) => s.segments[0]!.length > 0),
    width: 600,
    height: 380,
  })
  const accs = epochs.flatMap((e) => [e.accuracy ?? 1, e.testAccuracy ?? 1])
  const accPlot = plot({
    title: 'digits demo: accuracy per epoch',
    subtitle: h.testAccuracy === undefined ? '' : `final test accuracy ${h.testAccuracy.toFixed(4)}`,
    xLabel: 'epoch',
    yLabel: 'accuracy',
    x: [first, last],
    xTicks: epochTicks,
    y: [Math.max(0, Math.floor(Math.min(...accs) * 10) / 10 - 0.05), 1.005],
    series: [
      { label: 'training accuracy', segments: [line((e) => e.accuracy)], color: VALUE },
      { label: 'test accuracy', segments: [line((e) => e.testAccuracy)], color: DERIV, dashed: true },
    ].filter((s) => s.segments[0]!.length > 0),
    width: 600,
    height: 380,
  })
  write(
    'training-digits.svg',
    // one above the other, so that the figure keeps its size in a column of text
    document(600, 760, [{ svg: lossPlot.svg, dx: 0, dy: 0 }, { svg: accPlot.svg, dx: 0, dy: 380 }], 'digits demo: loss and accuracy per epoch'),
  )
} else {
  console.warn(`figures: no digits history at ${historyPath}; run the demo first to draw the training curve`)
}

console.log(`figures: wrote ${written.length} files to docs/figures: ${written.join(', ')}`)
