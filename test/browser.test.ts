/**
 * The core entry runs in browsers: it bundles for `--platform=browser` with no Node built-in,
 * tree-shakes, and the node entry fails at build time naming the Node module it needs; the
 * bundle, loaded in headless Chromium (Debian's, driven by playwright-core; `.ci/run` installs
 * it), takes a derivative, trains XOR and loads the embedded digits, giving what Node gives, and
 * splits a large matrix product with a Web Worker, giving the bits of one thread.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import * as lib from '../src/index.js'
import { experiment, type PageResult, type ThreadsResult } from './browser-page.js'
import { bundle } from './bundle.js'

const CHROMIUM = '/usr/bin/chromium'

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

/** Serves `files` (path to content) on a free localhost port, cross-origin isolated (COOP/COEP). */
const serve = async (files: Readonly<Record<string, { readonly type: string; readonly body: string }>>): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    const f = files[req.url ?? '']
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp')
    if (f === undefined) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'Content-Type': f.type }).end(f.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

describe('in headless Chromium', () => {
  it('the root bundle takes a derivative, trains XOR and loads the digits, as Node does', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium (.ci/run does)`).toBe(true)
    const page = await bundle(
      "import * as lib from './src/index.ts'\nimport { experiment, threads } from './test/browser-page.ts'\n" +
        'const g = globalThis as unknown as { result?: unknown; threads?: unknown; failed?: boolean; isolated?: boolean; crossOriginIsolated?: boolean }\n' +
        'g.isolated = g.crossOriginIsolated === true && typeof SharedArrayBuffer === "function"\n' +
        'try { g.result = experiment(lib) } catch (e) { g.failed = true; throw e }\n' +
        'threads(lib).then((t) => { g.threads = t }, (e) => { g.failed = true; throw e })\n',
    )
    if (!page.ok) throw new Error(page.errors.map((e) => e.text).join('\n'))
    const { server, url } = await serve({
      '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>' },
      '/page.js': { type: 'text/javascript', body: page.code },
    })
    const profile = mkdtempSync(join(tmpdir(), 'autodiff-chromium-'))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    try {
      const tab = await context.newPage()
      const errors: string[] = []
      tab.on('pageerror', (e) => errors.push(e.message))
      await tab.goto(url)
      await tab.waitForFunction(() => (globalThis as { threads?: unknown }).threads !== undefined || (globalThis as { failed?: boolean }).failed === true, undefined, { timeout: 60_000 })
      expect(errors).toEqual([])
      const got = (await tab.evaluate(() => (globalThis as { result?: unknown }).result)) as PageResult
      expect(await tab.evaluate(() => (globalThis as { isolated?: boolean }).isolated)).toBe(true)
      // a large product on two threads: a Web Worker started from a Blob URL on the shared memory
      // takes chunks of it (the caller only spins there: no Atomics.wait on a page's main thread),
      // with the same bits as one thread
      const threads = (await tab.evaluate(() => (globalThis as { threads?: unknown }).threads)) as ThreadsResult
      expect(threads.info).toMatchObject({ backend: 'wasm', threads: 2, workersReady: 1 })
      expect(threads.same).toBe(true)
      expect(threads.workerChunks).toBeGreaterThan(0)
      // the closed forms
      expect(got.derivative).toBeCloseTo(4 * Math.sin(2) + 4 * Math.cos(2), 12)
      expect(got.gradient).toEqual([6, 6])
      expect(got.xor.accuracy).toBe(1)
      expect(got.xor.loss).toBeLessThan(0.05)
      expect(got.digits.shape).toEqual([1797, 64])
      // and what Node computes with the same code: exactly, except after 500 Adam steps through
      // exp and tanh, whose last bits differ between this Node's V8 and Chromium's (measured:
      // relative differences of about 2e-15)
      const node = experiment(lib)
      expect({ ...got, xor: undefined }).toEqual({ ...node, xor: undefined })
      expect(got.xor.accuracy).toBe(node.xor.accuracy)
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b)
      expect([got.xor.loss, ...got.xor.probabilities].every((v, i) => close(v, [node.xor.loss, ...node.xor.probabilities][i]!)), JSON.stringify([got.xor, node.xor])).toBe(true)
    } finally {
      await context.close()
      server.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }, 120_000)
})
