/**
 * Where the time goes in a V8 CPU profile: `tsx bench/profile/summary.ts <file.cpuprofile> [top]`
 * prints the functions with the most self time (samples where they were on top of the stack),
 * as a share of all samples, with their file and line, so that a profile taken by
 * `node --cpu-prof` reads as a table.
 */
import { readFileSync } from 'node:fs'

interface Node {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number }
}
interface Profile {
  readonly nodes: readonly Node[]
  readonly samples: readonly number[]
}

const args = process.argv.slice(2)
const top = Number(args.find((a) => /^\d+$/.test(a)) ?? 25)
const files = args.filter((a) => !/^\d+$/.test(a))
if (files.length === 0) throw new Error('usage: tsx bench/profile/summary.ts <file.cpuprofile ...> [top]')
// node --cpu-prof writes one profile per thread (tsx's loader runs in its own): keep the busiest
const busy = (p: Profile): number => {
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
  return p.samples.filter((s) => !idle.has(s)).length
}
const profile = files
  .map((f) => JSON.parse(readFileSync(f, 'utf8')) as Profile)
  .reduce((a, b) => (busy(b) > busy(a) ? b : a))
const where = new Map(profile.nodes.map((n) => {
  const { functionName, url, lineNumber, columnNumber } = n.callFrame
  const short = url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')
  return [n.id, `${functionName || '(anonymous)'} ${short}${url === '' ? '' : `:${lineNumber + 1}:${columnNumber + 1}`}`] as const
}))
const counts = new Map<string, number>()
for (const id of profile.samples) {
  const k = where.get(id) ?? '?'
  counts.set(k, (counts.get(k) ?? 0) + 1)
}
const total = profile.samples.length
for (const [k, c] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${((100 * c) / total).toFixed(1).padStart(5)}%  ${k}`)
