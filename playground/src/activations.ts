/**
 * Part 1: every activation of the library with its first and second derivatives, taken by the
 * library's forward mode (`Dual.derivative`, `Dual.nthDerivative`), a slider for x, the bound
 * sigmoid' <= 1/4 and the identity tanh(x) = 2 sigmoid(2x) - 1.
 */
import { Activation, Dual } from 'autodiff-ts'
import { chart } from './plot.js'
import { fmt, onResize, widthOf } from './dom.js'

const COLORS = { f: '#1f6fb2', d1: '#c0392b', d2: '#27864a', overlay: '#e08a00' } as const
const X0 = -5
const X1 = 5
/** Sample points, 0 among them (a step of 1/40). */
const XS = Array.from({ length: 401 }, (_, i) => X0 + i / 40)

/** An activation with its value and derivatives as functions of x, by forward mode. */
const curvesOf = (a: Activation.Activation) => {
  const f = a.scalar
  return { f: Dual.nthDerivative(0)(f), d1: Dual.derivative(f), d2: Dual.nthDerivative(2)(f) }
}

/** The y range covering the three curves on the plot, padded, at least [-1.2, 1.2]. */
const yRange = (ys: readonly number[]): [number, number] => {
  const finite = ys.filter(Number.isFinite)
  const lo = Math.max(-3, Math.min(-1.2, ...finite))
  const hi = Math.min(5.2, Math.max(1.2, ...finite))
  const pad = 0.05 * (hi - lo)
  return [lo - pad, hi + pad]
}

export const mountActivations = (root: HTMLElement): void => {
  const picker = root.querySelector<HTMLElement>('#act-picker')!
  const plot = root.querySelector<HTMLElement>('#act-plot')!
  const slider = root.querySelector<HTMLInputElement>('#act-x')!
  const out = (id: string) => root.querySelector<HTMLElement>(`#${id}`)!
  const facts = out('act-facts')
  let current: Activation.Activation = Activation.sigmoid

  const draw = () => {
    const c = curvesOf(current)
    const f = XS.map(c.f)
    const d1 = XS.map(c.d1)
    const d2 = XS.map(c.d2)
    const x = Number(slider.value)
    const at = { f: c.f(x), d1: c.d1(x), d2: c.d2(x) }
    const isSigmoid = current.name === 'sigmoid'
    const isTanh = current.name === 'tanh'
    const sigma = curvesOf(Activation.sigmoid).f
    const overlay = isTanh ? XS.map((u) => 2 * sigma(2 * u) - 1) : []
    const width = widthOf(plot, 300, 1080)
    const svg = chart({
      id: 'act-chart',
      width,
      height: Math.round(Math.min(380, Math.max(260, width * 0.5))),
      x: [X0, X1],
      y: yRange([...f, ...d1, ...d2]),
      xLabel: 'x',
      series: [
        { xs: XS, ys: f, color: COLORS.f, label: `f(x) = ${current.name}(x)`, width: 2.5 },
        { xs: XS, ys: d1, color: COLORS.d1, label: 'f′(x)' },
        { xs: XS, ys: d2, color: COLORS.d2, label: 'f″(x)', dash: '5 3' },
        ...(isTanh ? [{ xs: XS, ys: overlay, color: COLORS.overlay, label: '2σ(2x) − 1', dash: '2 4', width: 4 }] : []),
      ],
      hlines: isSigmoid ? [{ y: 0.25, label: 'σ′ ≤ 1/4', color: COLORS.d1 }] : [],
      marker: x,
      dots: [
        { x, y: at.f, color: COLORS.f },
        { x, y: at.d1, color: COLORS.d1 },
        { x, y: at.d2, color: COLORS.d2 },
      ],
    })
    plot.innerHTML = svg
    out('act-x-value').textContent = fmt(x)
    out('act-f').textContent = fmt(at.f)
    out('act-d1').textContent = fmt(at.d1)
    out('act-d2').textContent = fmt(at.d2)
    // the largest f' over the samples, and where
    let k = 0
    d1.forEach((v, i) => (v > d1[k]! ? (k = i) : undefined))
    const max = `<span>max f′ on [−5, 5] = <b id="act-d1-max">${fmt(d1[k]!)}</b> at x = ${fmt(XS[k]!)}</span>`
    const extra = isSigmoid
      ? ' · the bound σ′(x) = σ(x)(1 − σ(x)) ≤ 1/4 holds with equality at 0: each sigmoid layer shrinks a gradient by 4 at least.'
      : isTanh
        ? ` · tanh(x) = 2σ(2x) − 1: the largest gap on the plot is <b id="act-tanh-gap">${fmt(Math.max(...XS.map((u, i) => Math.abs(f[i]! - overlay[i]!))))}</b>.`
        : ''
    facts.innerHTML = max + extra
  }

  for (const a of Activation.all) {
    const b = document.createElement('button')
    b.type = 'button'
    b.textContent = a.name
    b.dataset['name'] = a.name
    b.setAttribute('role', 'radio')
    b.setAttribute('aria-checked', String(a === current))
    b.addEventListener('click', () => {
      current = a
      for (const o of picker.querySelectorAll('button')) o.setAttribute('aria-checked', String(o === b))
      draw()
    })
    picker.append(b)
  }
  slider.addEventListener('input', draw)
  onResize(plot, draw)
  draw()
}
