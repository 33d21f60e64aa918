/**
 * Part 2: the lecture's neuron y = f(w1 x1 + w2 x2 + b), traced by the library's `Graph` module
 * and drawn with the value and the gradient of every node; the add node passing its gradient
 * through and the multiply node swapping its inputs are spelled out below the picture, read off
 * the traced graph.
 */
import { Activation, Graph, type MultiFn } from 'autodiff-ts'
import { field, fmt, numberInput, onResize, select, showError } from './dom.js'

/** The inputs, in the order of the traced function's arguments, with the lecture's values (micrograd's neuron). */
export const NEURON_INPUTS = [
  ['x1', 'x₁', '2'],
  ['w1', 'w₁', '-3'],
  ['x2', 'x₂', '0'],
  ['w2', 'w₂', '1'],
  ['b', 'b', '6.8814'],
] as const

/** The neuron with activation `a`, as a generic function of (x1, w1, x2, w2, b). */
export const neuron =
  (a: Activation.Activation): MultiFn =>
  (F) =>
  ([x1 = F.zero, w1 = F.zero, x2 = F.zero, w2 = F.zero, b = F.zero]) =>
    a.scalar(F)(F.add(F.add(F.mul(x1, w1), F.mul(x2, w2)), b))

const byName = (name: string): Activation.Activation => Activation.all.find((a) => a.name === name) ?? Activation.tanh

export const mountNeuron = (root: HTMLElement): void => {
  const fields = root.querySelector<HTMLElement>('#neuron-fields')!
  const picture = root.querySelector<HTMLElement>('#neuron-graph')!
  const rules = root.querySelector<HTMLElement>('#neuron-rules')!
  const inputs = NEURON_INPUTS.map(([id, label, value]) => field(fields, `neuron-${id}`, label, numberInput(value)))
  const act = field(fields, 'neuron-activation', 'activation f', select(Activation.all.map((a) => [a.name, a.name] as const), 'tanh'))

  const draw = () => {
    const xs = inputs.map((f) => Number(f.control.value.trim() === '' ? NaN : f.control.value))
    inputs.forEach((f, i) => showError(f, Number.isFinite(xs[i]!) ? '' : `expected a number, found ${JSON.stringify(f.control.value)}`))
    if (!xs.every(Number.isFinite)) return
    const g = Graph.trace(neuron(byName(act.control.value)), { names: NEURON_INPUTS.map(([, l]) => l), output: 'y' })(xs)
    // left to right where it fits, else top to bottom (a phone)
    const wide = Graph.toSvg(g, { idPrefix: 'neuron-' })
    const fits = Number(/width="(\d+)"/.exec(wide)?.[1] ?? 0) <= picture.clientWidth
    picture.innerHTML = fits ? wide : Graph.toSvg(g, { idPrefix: 'neuron-', direction: 'down', legend: false })
    picture.dataset['gradients'] = JSON.stringify(Graph.gradient(g))
    rules.innerHTML = explain(g).map((li) => `<li>${li}</li>`).join('')
  }
  for (const f of [...inputs, act]) f.control.addEventListener('input', draw)
  onResize(picture, draw)
  draw()
}

/** What the add and multiply nodes of the graph do with the gradient, in words with the numbers. */
const explain = (g: Graph.Graph): string[] => {
  // a node as the expression it computes: x₁·w₁, x₁·w₁ + x₂·w₂
  const name = (id: number): string => {
    const n = g.nodes[id]!
    const [a, b] = n.inputs
    if (n.op === 'mul' && a !== undefined && b !== undefined) return `${name(a)}·${name(b)}`
    if (n.op === 'add' && a !== undefined && b !== undefined) return `${name(a)} + ${name(b)}`
    return n.kind === 'operation' ? `${n.label}(…)` : n.label
  }
  const out: string[] = []
  const add = g.nodes.find((n) => n.op === 'add' && n.inputs.every((i) => g.nodes[i]!.kind !== 'constant'))
  if (add !== undefined) {
    const [a, b] = add.inputs as [number, number]
    out.push(
      `The <b>+ node</b> passes its gradient through: it receives ${fmt(add.grad)} and sends ${fmt(add.grad)} unchanged to ${name(a)} and to ${name(b)}, since ∂(a + b)/∂a = ∂(a + b)/∂b = 1.`,
    )
  }
  const mul = g.nodes.find((n) => n.op === 'mul' && n.inputs.every((i) => g.nodes[i]!.kind === 'input'))
  if (mul !== undefined) {
    const [a, b] = mul.inputs as [number, number]
    const [na, nb] = [g.nodes[a]!, g.nodes[b]!]
    const ea = g.edges.find((e) => e.to === mul.id && e.slot === 0)!
    const eb = g.edges.find((e) => e.to === mul.id && e.slot === 1)!
    out.push(
      `The <b>× node</b> swaps its inputs: it receives ${fmt(mul.grad)} and sends ${na.label} the gradient times ${nb.label}, ${fmt(mul.grad)} × ${fmt(nb.value)} = ${fmt(ea.grad)}, and ${nb.label} the gradient times ${na.label}, ${fmt(mul.grad)} × ${fmt(na.value)} = ${fmt(eb.grad)}.`,
    )
  }
  out.push(`Gradients of y: ${g.inputs.map((i) => `∂y/∂${g.nodes[i]!.label} = <b class="grad" data-input="${g.nodes[i]!.label}">${fmt(g.nodes[i]!.grad)}</b>`).join(', ')}.`)
  return out
}
