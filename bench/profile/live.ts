/**
 * What the bench process keeps alive: `tsx bench/profile/live.ts [suite | tfjs | burn ...]` runs
 * what is named (see before.ts: bench suites, their output discarded; `tfjs` only loads tfjs and
 * its wasm backend as the activations suite does) and after each prints the live JS heap after
 * two forced collections, per V8 heap space, with external memory and ArrayBuffers.
 * `SNAPSHOT=file` writes a heap snapshot at the end (read it with `bench/profile/snapshot.ts`).
 *
 * What it showed (issue 16, `activations fit-async gunzip heap`, the suites before kernels in the
 * full bench): live 5.8 MB with the kernels loaded; 50.1 after activations (tfjs), 53.4 after
 * fit-async, 55.7 after gunzip, 56.0 after heap. Of the 56 MB (snapshot self sizes):
 * - 40.6 MB strings, nearly all tfjs's: the source of each of its seven CommonJS bundles twice
 *   (V8's script source, and the copy Node's loader keeps on the Module, `node:module_source`),
 *   about 21 MB; and tfjs's source maps, which Node parses and keeps because tsx turns source
 *   maps on (mappings strings and line-length arrays), 18 MB (`process.setSourceMapsEnabled(false)`
 *   before the import: 48.8 -> 31.0 MB with tfjs alone).
 * - 15.3 MB of everything else ("scannable": objects a full collection walks): 4.6 with the
 *   kernels alone, 9.8 after tfjs loads (its registries, closures, classes, bytecode), 15.3 after
 *   the four suites (the code V8 compiled for them: code objects, feedback, maps).
 * - No data a suite made: the largest ArrayBuffers are Wasm memories, outside the JS heap
 *   (tfjs-wasm's 40 MB, grown from 16 by the 1e6-element activations; the kernels' 8 MB; tsx's
 *   module lexer 5.6 MB). src/ keeps bounded pools only (the reverse tape's 16 chunks, the
 *   spares of one job).
 * Why the kernels suite's two threads lose there (any heap over 8 MB, not this content): `after.ts`.
 */
import { getHeapSnapshot, getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8'
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { runInNewContext } from 'node:vm'
import { runBefore } from './before.js'
setFlagsFromString('--experimental-wasm-relaxed-simd')
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const mb = (b: number): string => (b / 2 ** 20).toFixed(1)
const report = (label: string): void => {
  gc()
  gc()
  const h = getHeapStatistics()
  const m = process.memoryUsage()
  const spaces = getHeapSpaceStatistics()
    .filter((s) => s.space_used_size > 2 ** 18)
    .map((s) => `${s.space_name.replace('_space', '')} ${mb(s.space_used_size)}`)
    .join(', ')
  console.log(
    `${label}: live ${mb(h.used_heap_size)} MB (${spaces}); external ${mb(m.external)} MB, ` +
      `arrayBuffers ${mb(m.arrayBuffers)} MB, rss ${mb(m.rss)} MB, native contexts ${h.number_of_native_contexts}`,
  )
}

report('start')
await import('../../src/kernels/backend.js')
report('kernels loaded')
for (const name of process.argv.slice(2)) {
  await runBefore(name)
  report(`after ${name}`)
}
const file = process.env['SNAPSHOT']
if (file !== undefined) {
  gc()
  await pipeline(getHeapSnapshot(), createWriteStream(file))
  console.log(`wrote ${file}`)
}
