/**
 * The core entry runs in browsers: it bundles for `--platform=browser` with no Node built-in,
 * tree-shakes, and the node entry fails at build time naming the Node module it needs.
 */
import { describe, expect, it } from 'vitest'
import { bundle } from './bundle.js'

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`

describe('browser bundles (esbuild --platform=browser)', () => {
  it('the root entry bundles with no Node built-in, and an import of Dual alone is tree-shaken', async () => {
    const all = await bundle("export * from './src/index.ts'")
    const dual = await bundle("export { Dual } from './src/index.ts'")
    if (!all.ok) throw new Error(all.errors.map((e) => e.text).join('\n'))
    if (!dual.ok) throw new Error(dual.errors.map((e) => e.text).join('\n'))
    expect(all.inputs.filter((i) => i.startsWith('node:') || i.includes('src/node/'))).toEqual([])
    expect(all.inputs.some((i) => i.endsWith('src/data/digitsGz.ts'))).toBe(true)
    expect(dual.inputs.some((i) => i.endsWith('src/data/digitsGz.ts'))).toBe(false)
    expect(dual.bytes).toBeLessThan(all.bytes / 4)
    console.log(`root: ${kb(all.bytes)} minified, ${kb(all.gzipBytes)} gzip; Dual only: ${kb(dual.bytes)} minified, ${kb(dual.gzipBytes)} gzip`)
  })

  it('importing autodiff-ts/node in a browser bundle fails at build time, naming the Node module', async () => {
    const r = await bundle("export { loadCsv } from './src/node/index.ts'")
    expect(r.ok).toBe(false)
    if (!r.ok) {
      const texts = r.errors.map((e) => e.text)
      expect(texts.some((t) => /Could not resolve "node:fs"/.test(t))).toBe(true)
      // esbuild says why: the module is built into Node
      expect(r.errors.some((e) => e.notes.some((n) => /built into node/i.test(n.text)))).toBe(true)
    }
  })
})
