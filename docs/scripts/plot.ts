/**
 * A small SVG line-plot writer for the documentation's figures: axes, ticks, grid, labels, a
 * legend, curves made of segments (broken at jumps), and marked points. No dependencies.
 */

/** A curve: one or more polylines (broken where the function jumps) with one style and a legend entry. */
export interface Series {
  readonly label: string
  readonly segments: readonly (readonly (readonly [number, number])[])[]
  readonly color: string
  readonly dashed?: boolean
  readonly width?: number
}

/** A marked point: filled (the value taken there) or hollow (a limit not taken). */
export interface Mark {
  readonly x: number
  readonly y: number
  readonly color: string
  readonly filled: boolean
  readonly note?: string
  /** Put the note above the point rather than below it. */
  readonly noteAbove?: boolean
}

export interface PlotOptions {
  readonly title: string
  readonly subtitle?: string
  readonly xLabel: string
  readonly yLabel?: string
  readonly x: readonly [number, number]
  readonly y: readonly [number, number]
  readonly series: readonly Series[]
  readonly marks?: readonly Mark[]
  readonly width?: number
  readonly height?: number
  /** Tick positions; by default "nice" steps. */
  readonly xTicks?: readonly number[]
  readonly yTicks?: readonly number[]
  /** Where the legend goes. */
  readonly legend?: 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right'
}

const SANS = 'Helvetica, Arial, sans-serif'

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const r2 = (x: number): string => String(Math.round(x * 100) / 100)

/** Nice tick positions covering [lo, hi], about `target` of them. */
export const niceTicks = (lo: number, hi: number, target = 6): number[] => {
  const raw = (hi - lo) / target
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
  const ticks: number[] = []
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.round(t / step) * step)
  return ticks
}

const tickLabel = (t: number): string => {
  const s = String(Number(t.toPrecision(6)))
  return s.startsWith('-') ? `−${s.slice(1)}` : s
}

/** A plot as an SVG group of the given size, at the origin. */
export const plot = (o: PlotOptions): { readonly svg: string; readonly width: number; readonly height: number } => {
  const width = o.width ?? 640
  const height = o.height ?? 400
  const left = 58
  const right = 20
  const top = o.subtitle === undefined ? 44 : 62
  const bottom = 52
  const pw = width - left - right
  const ph = height - top - bottom
  const [x0, x1] = o.x
  const [y0, y1] = o.y
  const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * pw
  const sy = (y: number) => top + ph - ((y - y0) / (y1 - y0)) * ph
  const clampY = (y: number) => Math.max(y0 - (y1 - y0), Math.min(y1 + (y1 - y0), y))
  const xt = o.xTicks ?? niceTicks(x0, x1, 8)
  const yt = o.yTicks ?? niceTicks(y0, y1, 6)
  const parts: string[] = []
  const clip = `clip-${o.title.replace(/[^A-Za-z0-9]+/g, '-')}`
  parts.push(`<defs><clipPath id="${clip}"><rect x="${left}" y="${top}" width="${pw}" height="${ph}"/></clipPath></defs>`)
  parts.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="#ffffff" stroke="#c8ccd4"/>`)
  // grid and ticks
  for (const t of xt) {
    if (t < x0 || t > x1) continue
    parts.push(`<line x1="${r2(sx(t))}" y1="${top}" x2="${r2(sx(t))}" y2="${top + ph}" stroke="${t === 0 ? '#9aa1ad' : '#eceef2'}" stroke-width="1"/>`)
    parts.push(`<text x="${r2(sx(t))}" y="${top + ph + 18}" text-anchor="middle" font-family="${SANS}" font-size="12" fill="#444444">${tickLabel(t)}</text>`)
  }
  for (const t of yt) {
    if (t < y0 || t > y1) continue
    parts.push(`<line x1="${left}" y1="${r2(sy(t))}" x2="${left + pw}" y2="${r2(sy(t))}" stroke="${t === 0 ? '#9aa1ad' : '#eceef2'}" stroke-width="1"/>`)
    parts.push(`<text x="${left - 8}" y="${r2(sy(t) + 4)}" text-anchor="end" font-family="${SANS}" font-size="12" fill="#444444">${tickLabel(t)}</text>`)
  }
  // titles and axis labels
  parts.push(`<text x="${left}" y="24" font-family="${SANS}" font-size="17" font-weight="bold" fill="#222222">${escapeXml(o.title)}</text>`)
  if (o.subtitle !== undefined)
    parts.push(`<text x="${left}" y="44" font-family="${SANS}" font-size="12.5" fill="#555555">${escapeXml(o.subtitle)}</text>`)
  parts.push(`<text x="${left + pw / 2}" y="${height - 12}" text-anchor="middle" font-family="${SANS}" font-size="13" fill="#333333">${escapeXml(o.xLabel)}</text>`)
  if (o.yLabel !== undefined)
    parts.push(
      `<text x="16" y="${top + ph / 2}" text-anchor="middle" font-family="${SANS}" font-size="13" fill="#333333" transform="rotate(-90 16 ${top + ph / 2})">${escapeXml(o.yLabel)}</text>`,
    )
  // curves, clipped to the plot area
  const curves: string[] = []
  for (const s of o.series)
    for (const seg of s.segments) {
      if (seg.length === 0) continue
      const d = seg.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r2(sx(x))},${r2(sy(clampY(y)))}`).join(' ')
      curves.push(
        `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2.2}" stroke-linejoin="round" stroke-linecap="round"${s.dashed === true ? ' stroke-dasharray="7 5"' : ''}/>`,
      )
    }
  parts.push(`<g clip-path="url(#${clip})">`, ...curves, '</g>')
  for (const m of o.marks ?? []) {
    if (m.x < x0 || m.x > x1 || m.y < y0 || m.y > y1) continue
    parts.push(
      `<circle cx="${r2(sx(m.x))}" cy="${r2(sy(m.y))}" r="4.2" fill="${m.filled ? m.color : '#ffffff'}" stroke="${m.color}" stroke-width="1.8"/>`,
    )
    if (m.note !== undefined)
      parts.push(
        `<text x="${r2(sx(m.x) + 9)}" y="${r2(sy(m.y) + (m.noteAbove === true ? -9 : 17))}" font-family="${SANS}" font-size="12" fill="${m.color}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(m.note)}</text>`,
      )
  }
  // legend
  const entryW = Math.max(...o.series.map((s) => s.label.length)) * 6.6 + 44
  const lh = 20
  const lw = entryW + 12
  const lhTotal = o.series.length * lh + 8
  // the corner whose box covers the fewest drawn points, unless one is asked for
  const corners = {
    'top-left': [left + 10, top + 10],
    'top-right': [left + pw - lw - 10, top + 10],
    'bottom-left': [left + 10, top + ph - lhTotal - 10],
    'bottom-right': [left + pw - lw - 10, top + ph - lhTotal - 10],
  } as const
  const points = [
    ...o.series.flatMap((s) => s.segments.flatMap((seg) => seg.map(([x, y]) => [sx(x), sy(y)] as const))),
    ...(o.marks ?? []).flatMap((m) => [[sx(m.x), sy(m.y)] as const, [sx(m.x) + 120, sy(m.y) + 12] as const]),
  ]
  const covered = ([cx, cy]: readonly [number, number]) =>
    points.filter(([x, y]) => x >= cx - 6 && x <= cx + lw + 6 && y >= cy - 6 && y <= cy + lhTotal + 6).length
  const where =
    o.legend ??
    (['top-left', 'top-right', 'bottom-right', 'bottom-left'] as const).reduce((best, c) => (covered(corners[c]) < covered(corners[best]) ? c : best))
  const [lx, ly] = corners[where]
  parts.push(`<rect x="${lx}" y="${ly}" width="${lw}" height="${lhTotal}" rx="4" fill="#ffffff" fill-opacity="0.92" stroke="#d5d9e0"/>`)
  o.series.forEach((s, i) => {
    const y = ly + 14 + i * lh
    parts.push(
      `<line x1="${lx + 8}" y1="${y}" x2="${lx + 36}" y2="${y}" stroke="${s.color}" stroke-width="${s.width ?? 2.2}"${s.dashed === true ? ' stroke-dasharray="7 5"' : ''}/>`,
      `<text x="${lx + 44}" y="${y + 4}" font-family="${SANS}" font-size="12.5" fill="#222222">${escapeXml(s.label)}</text>`,
    )
  })
  return { svg: parts.join('\n'), width, height }
}

/** A standalone SVG document from groups placed at offsets. */
export const document = (
  width: number,
  height: number,
  groups: readonly { readonly svg: string; readonly dx: number; readonly dy: number }[],
  title: string,
): string =>
  [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...groups.map((g) => `<g transform="translate(${g.dx} ${g.dy})">\n${g.svg}\n</g>`),
    '</svg>',
    '',
  ].join('\n')
