/**
 * What the profiles that study the full bench run first, by name: `tfjs` loads tfjs with its wasm
 * backend as the activations suite does; `burn` keeps both cores busy for 40 s without allocating
 * (what heavy suites do to the clock, without a heap); `ballast` keeps 10 MB of plain objects
 * alive to the end (a heap over V8's 8 MB threshold, without tfjs or a suite); `gc` runs two
 * forced full collections, as the heap suite does at its end; `products` runs 512 by 512
 * products on one thread for 10 s (as the kernels suite's first figures do, before its threads);
 * any other name runs that bench suite, its output discarded.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** What `ballast` keeps alive. */
const kept: unknown[] = []
export const runBefore = async (name: string): Promise<void> => {
  if (name === 'burn') {
    const { Worker } = await import('node:worker_threads')
    const code = 'const end = performance.now() + 40000; let x = 0; while (performance.now() < end) x += Math.sqrt(x + 1)'
    const w = new Worker(code, { eval: true })
    const end = performance.now() + 40000
    let x = 0
    while (performance.now() < end) x += Math.sqrt(x + 1)
    await new Promise((r) => w.on('exit', r))
  } else if (name === 'ballast') {
    for (let i = 0; i < 200_000; i++) kept.push({ i, next: kept[i - 1] })
  } else if (name === 'gc') {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    gc()
    gc()
  } else if (name === 'products') {
    const { useKernels } = await import('../../src/kernels/backend.js')
    const { matmulNN } = await import('../../src/kernels/matmul.js')
    const a = new Float64Array(512 * 512).fill(0.5)
    useKernels({ threads: 1 })
    for (const end = performance.now() + 10000; performance.now() < end; ) matmulNN(a, a, 512, 512, 512)
  } else if (name === 'tfjs') {
    const { useBackend } = await import('../train/tfjs.js')
    await useBackend('wasm')
  } else {
    const { suite } = (await import(`../suites/${name}.ts`)) as { suite: { run: () => unknown } }
    const log = console.log
    console.log = () => {}
    try {
      await suite.run()
    } finally {
      console.log = log
    }
  }
}
