/**
 * The module graph of `src/` and `laws/` has no circle, type-only imports included: a circle
 * through a type still ties two modules' meanings together and lets a later value import close
 * it at run time. The graph is read from the sources (every static `import`/`export ... from`),
 * and Tarjan's algorithm finds the strongly connected components.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })

const specifier = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g

/** The relative imports of one file, resolved to the files they name. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(specifier)]
    .map((m) => m[1] ?? '')
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')))

/** The strongly connected components with more than one module, or a module importing itself. */
const circles = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  let next = 0
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next)
    next += 1
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}

describe('module graph', () => {
  it('finds a circle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ])
    expect(circles(graph)).toEqual([['a', 'b', 'c']])
    expect(circles(new Map([['a', ['a']]]))).toEqual([['a']])
    expect(circles(new Map([['a', ['b']], ['b', []]]))).toEqual([])
  })

  it('has no import circle in src/ or laws/, type imports included', () => {
    const files = [...sources(join(root, 'src')), ...sources(join(root, 'laws'))]
    const graph = new Map(files.map((f) => [f, importsOf(f)]))
    const named = circles(graph).map((c) => c.map((f) => relative(root, f)))
    expect(named).toEqual([])
  })
})
