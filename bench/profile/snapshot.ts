/**
 * Reads V8 heap snapshots (written by `SNAPSHOT=file tsx bench/profile/live.ts ...`) and tells
 * where the live heap is. `tsx bench/profile/snapshot.ts a.heapsnapshot`: self sizes summed by
 * node type and by constructor (or string, array, code kind), then the largest single objects,
 * each with a path of retainers toward a root. `tsx bench/profile/snapshot.ts a b`: what b holds
 * more than a, by the same groups, and the "scannable" part of each (what is neither a string nor
 * native memory: the objects a full collection's marking has to walk; strings and ArrayBuffer
 * contents it marks without reading). Run with `node --max-old-space-size=6000 --import tsx`.
 */
import { readFileSync } from 'node:fs'

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number }
  nodes: number[]
  edges: number[]
  strings: string[]
}
const field = (fs: string[], names: string[]): number[] => names.map((f) => fs.indexOf(f))
const mb = (b: number): string => (b / 2 ** 20).toFixed(2)
const leaf = new Set(['string', 'native', 'concatenated string', 'sliced string'])
const grouped = new Set(['object', 'closure', 'native', 'hidden', 'code', 'array'])

/** Self sizes and counts by group, and the scannable total. */
const groups = (snap: Snapshot): { byName: Map<string, [number, number]>; byType: Map<string, number>; total: number; scan: number } => {
  const { meta } = snap.snapshot
  const nf = meta.node_fields.length
  const [fType, fName, fSelf] = field(meta.node_fields, ['type', 'name', 'self_size']) as [number, number, number]
  const byName = new Map<string, [number, number]>()
  const byType = new Map<string, number>()
  let total = 0
  let scan = 0
  for (let i = 0; i < snap.nodes.length; i += nf) {
    const t = meta.node_types[0][snap.nodes[i + fType]!]!
    const s = snap.nodes[i + fSelf]!
    total += s
    if (!leaf.has(t)) scan += s
    byType.set(t, (byType.get(t) ?? 0) + s)
    const name = snap.strings[snap.nodes[i + fName]!]!
    const key = grouped.has(t) ? `${t} ${name.slice(0, 60).replace(/\s+/g, ' ')}` : t === 'string' && s > 100_000 ? 'string > 100 kB' : t
    const e = byName.get(key) ?? [0, 0]
    byName.set(key, [e[0] + s, e[1] + 1])
  }
  return { byName, byType, total, scan }
}

const load = (file: string): Snapshot => JSON.parse(readFileSync(file, 'utf8')) as Snapshot
if (process.argv[3] !== undefined) {
  const a = groups(load(process.argv[2]!))
  const b = groups(load(process.argv[3]!))
  console.log(`self sizes ${mb(a.total)} -> ${mb(b.total)} MB; scannable ${mb(a.scan)} -> ${mb(b.scan)} MB`)
  const keys = new Set([...a.byName.keys(), ...b.byName.keys()])
  const of = (g: typeof a, k: string): [number, number] => g.byName.get(k) ?? [0, 0]
  const d = [...keys].map((k) => [k, of(b, k)[0] - of(a, k)[0], of(b, k)[1] - of(a, k)[1]] as const)
  for (const [k, s, c] of d.sort((x, y) => Math.abs(y[1]) - Math.abs(x[1])).slice(0, Number(process.env['TOP'] ?? 30)))
    console.log(`  ${mb(s).padStart(8)} MB ${String(c).padStart(7)}  ${k}`)
  process.exit(0)
}

const snap = load(process.argv[2]!)
const { meta } = snap.snapshot
const nf = meta.node_fields.length
const ef = meta.edge_fields.length
const [fType, fName, fSelf, fEdges] = field(meta.node_fields, ['type', 'name', 'self_size', 'edge_count']) as [number, number, number, number]
const [eType, eName, eTo] = field(meta.edge_fields, ['type', 'name_or_index', 'to_node']) as [number, number, number]
const types = meta.node_types[0]
const etypes = meta.edge_types[0]
const { nodes, edges, strings } = snap
const n = nodes.length / nf
// edges of node i start at firstEdge[i]
const firstEdge = new Uint32Array(n + 1)
for (let i = 0; i < n; i++) firstEdge[i + 1] = firstEdge[i]! + nodes[i * nf + fEdges]! * ef
const typeOf = (i: number): string => types[nodes[i * nf + fType]!]!
const nameOf = (i: number): string => strings[nodes[i * nf + fName]!]!
const selfOf = (i: number): number => nodes[i * nf + fSelf]!

const { byName, byType, total, scan } = groups(snap)
console.log(`nodes ${n}, self sizes ${mb(total)} MB, scannable ${mb(scan)} MB`)
console.log('by type:', [...byType].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${mb(v)}`).join(', '))
console.log('largest groups:')
for (const [k, [s, c]] of [...byName].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25))
  console.log(`  ${mb(s).padStart(7)} MB  ${String(c).padStart(7)}  ${k}`)

// retainers
const retainers: number[][] = Array.from({ length: n }, () => [])
const retEdge: number[][] = Array.from({ length: n }, () => [])
for (let i = 0; i < n; i++)
  for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += ef) {
    if (etypes[edges[e + eType]!] === 'weak') continue
    const to = edges[e + eTo]! / nf
    retainers[to]!.push(i)
    retEdge[to]!.push(e)
  }
const edgeName = (e: number): string => {
  const t = etypes[edges[e + eType]!]!
  return t === 'element' || t === 'hidden' ? `[${edges[e + eName]}]` : strings[edges[e + eName]!]!
}
const path = (i: number): string => {
  const seen = new Set<number>([i])
  const parts: string[] = []
  let cur = i
  for (let d = 0; d < 12; d++) {
    const rs = retainers[cur]!
    let k = rs.findIndex((r) => !seen.has(r) && typeOf(r) !== 'hidden')
    if (k < 0) k = rs.findIndex((r) => !seen.has(r))
    if (k < 0) break
    const r = rs[k]!
    parts.push(`${edgeName(retEdge[cur]![k]!)} <- ${typeOf(r)} ${nameOf(r).slice(0, 50).replace(/\s+/g, ' ')}`)
    seen.add(r)
    cur = r
    if (r === 0) break
  }
  return parts.join(' | ')
}
console.log('largest objects:')
const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => selfOf(b) - selfOf(a))
for (const i of order.slice(0, Number(process.env['TOP'] ?? 25)))
  console.log(`  ${mb(selfOf(i)).padStart(6)} MB ${typeOf(i)} ${JSON.stringify(nameOf(i).slice(0, 60))}\n      ${path(i)}`)
