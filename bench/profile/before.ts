/**
 * What the profiles that study the full bench run first, by name: `tfjs` loads tfjs with its wasm
 * backend as the activations suite does; `burn` keeps both cores busy for 40 s without allocating
 * (what heavy suites do to the clock, without a heap); any other name runs that bench suite, its
 * output discarded.
 */
export const runBefore = async (name: string): Promise<void> => {
  if (name === 'burn') {
    const { Worker } = await import('node:worker_threads')
    const code = 'const end = performance.now() + 40000; let x = 0; while (performance.now() < end) x += Math.sqrt(x + 1)'
    const w = new Worker(code, { eval: true })
    const end = performance.now() + 40000
    let x = 0
    while (performance.now() < end) x += Math.sqrt(x + 1)
    await new Promise((r) => w.on('exit', r))
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
