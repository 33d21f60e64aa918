/**
 * Line charts as SVG text, sized to the width of their container so that labels keep their size
 * on a phone.
 */

/** One line of a chart. */
export interface Series {
  readonly xs: readonly number[]
  readonly ys: readonly number[]
  readonly color: string
  readonly label: string
  readonly dash?: string
  readonly width?: number
}

/** What to draw. */
export interface Chart {
  readonly width: number
  readonly height: number
  readonly x: readonly [number, number]
  readonly y: readonly [number, number]
  readonly series: readonly Series[]
  /** Horizontal reference lines, labelled. */
  readonly hlines?: readonly { readonly y: number; readonly label: string; readonly color: string }[]
  /** A vertical dashed marker at this x. */
  readonly marker?: number
  /** Dots to draw on top (those outside the y range are left out). */
  readonly dots?: readonly { readonly x: number; readonly y: number; readonly color: string }[]
  readonly xLabel?: string
  readonly yLabel?: string
  readonly logY?: boolean
  readonly id?: string
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const r = (v: number): string => (Math.round(v * 10) / 10).toString()

/** Round tick values covering `[lo, hi]`, about `n` of them. */
export const ticks = (lo: number, hi: number, n: number): number[] => {
  const span = hi - lo
  if (!(span > 0)) return [lo]
  const raw = span / n
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v)
  return out
}

const fmtTick = (v: number): string =>
  Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(0).replace('e+', 'e') : String(Number(v.toPrecision(4)))

/** The y label and the legend above the frame, wrapped to the chart's width; and the frame's top. */
const legend = (c: Chart): [string[], number] => {
  const parts: string[] = []
  let x = 4
  let y = 15
  const room = (width: number) => {
    if (x > 4 && x + width > c.width) [x, y] = [4, y + 18]
  }
  if (c.yLabel !== undefined) {
    parts.push(`<text x="${x}" y="${y}" fill="#333" font-weight="600">${esc(c.yLabel)}</text>`)
    x += c.yLabel.length * 7 + 16
  }
  for (const s of c.series) {
    const width = 28 + s.label.length * 6.6
    room(width)
    parts.push(
      `<line x1="${x}" x2="${x + 22}" y1="${y - 4}" y2="${y - 4}" stroke="${s.color}" stroke-width="${s.width ?? 2}"${s.dash !== undefined ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
      `<text x="${x + 28}" y="${y}" fill="#222">${esc(s.label)}</text>`,
    )
    x += width + 16
  }
  return [parts, y + 11]
}

/** The chart as an SVG element's text. */
export const chart = (c: Chart): string => {
  const left = 46
  const right = 12
  const [header, top] = legend(c)
  const bottom = c.xLabel !== undefined ? 40 : 26
  const w = c.width - left - right
  const h = c.height - top - bottom
  const ty = (v: number) => (c.logY === true ? Math.log10(Math.max(v, 1e-300)) : v)
  const [y0, y1] = [ty(c.y[0]), ty(c.y[1])]
  const sx = (v: number) => left + ((v - c.x[0]) / (c.x[1] - c.x[0])) * w
  const sy = (v: number) => top + (1 - (ty(v) - y0) / (y1 - y0)) * h
  const clipId = `${c.id ?? 'chart'}-clip`
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${c.width} ${c.height}" width="${c.width}" height="${c.height}" font-family="system-ui, Helvetica, Arial, sans-serif" font-size="12"${c.id !== undefined ? ` id="${c.id}"` : ''}>`,
    `<defs><clipPath id="${clipId}"><rect x="${left}" y="${top}" width="${w}" height="${h}"/></clipPath></defs>`,
    `<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="#fff" stroke="#c9d0d8"/>`,
  ]
  const xt = ticks(c.x[0], c.x[1], Math.max(2, Math.floor(w / 70)))
  for (const v of xt)
    parts.push(
      `<line x1="${r(sx(v))}" x2="${r(sx(v))}" y1="${top}" y2="${top + h}" stroke="#eef1f4"/>`,
      `<text x="${r(sx(v))}" y="${top + h + 15}" text-anchor="middle" fill="#444">${fmtTick(v)}</text>`,
    )
  const yt = c.logY === true ? ticks(y0, y1, 4).filter((v) => Number.isInteger(v)).map((v) => 10 ** v) : ticks(c.y[0], c.y[1], Math.max(2, Math.floor(h / 40)))
  for (const v of yt)
    parts.push(
      `<line x1="${left}" x2="${left + w}" y1="${r(sy(v))}" y2="${r(sy(v))}" stroke="${v === 0 ? '#9aa3ad' : '#eef1f4'}"/>`,
      `<text x="${left - 5}" y="${r(sy(v) + 4)}" text-anchor="end" fill="#444">${fmtTick(v)}</text>`,
    )
  if (c.xLabel !== undefined) parts.push(`<text x="${left + w / 2}" y="${c.height - 6}" text-anchor="middle" fill="#333">${esc(c.xLabel)}</text>`)
  parts.push(`<g clip-path="url(#${clipId})">`)
  for (const l of c.hlines ?? [])
    parts.push(
      `<line x1="${left}" x2="${left + w}" y1="${r(sy(l.y))}" y2="${r(sy(l.y))}" stroke="${l.color}" stroke-dasharray="6 4"/>`,
      `<text x="${left + w - 6}" y="${r(sy(l.y) - 5)}" text-anchor="end" fill="${l.color}" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(l.label)}</text>`,
    )
  for (const s of c.series) {
    let d = ''
    let pen = false
    s.xs.forEach((x, i) => {
      const y = s.ys[i]!
      if (!Number.isFinite(y)) return void (pen = false)
      d += `${pen ? 'L' : 'M'}${r(sx(x))} ${r(sy(y))}`
      pen = true
    })
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}"${s.dash !== undefined ? ` stroke-dasharray="${s.dash}"` : ''} data-label="${esc(s.label)}"/>`)
  }
  if (c.marker !== undefined) {
    const mx = sx(c.marker)
    parts.push(`<line x1="${r(mx)}" x2="${r(mx)}" y1="${top}" y2="${top + h}" stroke="#888" stroke-dasharray="2 3"/>`)
  }
  parts.push('</g>')
  for (const d of c.dots ?? [])
    if (Number.isFinite(d.y) && d.y >= c.y[0] && d.y <= c.y[1])
      parts.push(`<circle cx="${r(sx(d.x))}" cy="${r(sy(d.y))}" r="4" fill="${d.color}" stroke="#fff" stroke-width="1.5"/>`)
  parts.push(...header)
  parts.push('</svg>')
  return parts.join('')
}
