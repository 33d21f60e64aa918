/**
 * Issue 12's gzip choice for the core: the bounded, checked `Data.gunzip` (fflate, sync, pure JS)
 * against Node's zlib (native, the baseline), fflate's own unbounded `gunzipSync`, and the
 * engine's `DecompressionStream` (async: choosing it would make every byte decoder async), on the
 * embedded digits and on a 47 MB MNIST-like IDX payload. Interleaved rounds, medians, ratios to zlib.
 */
import { gunzipSync as fflateGunzip } from 'fflate'
import { gunzipSync, gzipSync } from 'node:zlib'
import { digitsCsvGz } from '../../src/data/digits.js'
import { gunzip } from '../../src/data/Gzip.js'
import { lcg, median, type Figure, type Suite } from '../harness.js'

const viaStream = async (b: Uint8Array): Promise<Uint8Array> =>
  new Uint8Array(await new Response(new Blob([b]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer())

/** 60,000 28x28 images: zero margins and a noisy blob in the middle, like MNIST's pixels. */
const mnistLike = (): Uint8Array => {
  const next = lcg(7, 0, 1)
  const img = new Uint8Array(60000 * 784)
  for (let i = 0; i < img.length; i++) {
    const px = i % 784
    const r = (px / 28) | 0
    const c = px % 28
    const u = next()
    img[i] = r > 5 && r < 22 && c > 7 && c < 20 && u > 0.3 ? (u * 255) | 0 : 0
  }
  return gzipSync(img)
}

const time = async (f: () => unknown): Promise<number> => {
  const t = performance.now()
  await f()
  return performance.now() - t
}

export const suite: Suite = {
  name: 'gunzip (issue 12: gzip in the core)',
  run: async () => {
    const figures: Figure[] = []
    for (const [name, gz, rounds] of [['digits 57 KB', digitsCsvGz(), 31], ['MNIST-like 47 MB', mnistLike(), 7]] as const) {
      const fns = {
        zlib: () => gunzipSync(gz),
        fflate: () => fflateGunzip(gz),
        bounded: () => gunzip(gz),
        stream: () => viaStream(gz),
      }
      const samples: Record<keyof typeof fns, number[]> = { zlib: [], fflate: [], bounded: [], stream: [] }
      for (const k of Object.keys(fns) as (keyof typeof fns)[]) await time(fns[k]) // warm-up
      for (let r = 0; r < rounds; r++) for (const k of Object.keys(fns) as (keyof typeof fns)[]) samples[k].push(await time(fns[k]))
      const zlib = median(samples.zlib)
      figures.push({ name: `${name}: node:zlib gunzipSync (baseline)`, value: zlib, unit: 'ms' })
      figures.push({ name: `${name}: Data.gunzip (fflate, bounded, CRC) / zlib`, value: median(samples.bounded) / zlib, unit: 'x' })
      figures.push({ name: `${name}: fflate gunzipSync (unbounded) / zlib`, value: median(samples.fflate) / zlib, unit: 'x' })
      figures.push({ name: `${name}: DecompressionStream (async) / zlib`, value: median(samples.stream) / zlib, unit: 'x' })
    }
    return figures
  },
}
