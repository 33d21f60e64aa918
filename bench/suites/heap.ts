/**
 * Issue 16's memory figure: heap growth over 10,000 W1 training steps (784-128-10 ReLU MLP,
 * batch 128, SGD, softmax cross-entropy) on the active kernels. Memory is measured after a forced
 * garbage collection, once after 500 warm-up steps and again at the end: the JS heap plus the
 * memory of ArrayBuffers (Float64Array data lives there), and the Wasm kernel memory, which grows
 * to the largest product once and then stays. `AUTODIFF_HEAP_STEPS` shortens the run.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { activeWasm, kernelInfo } from '../../src/kernels/backend.js'
import { ratio, type Figure, type Suite } from '../harness.js'
import { W1_BATCH, w1Trainer } from '../train/w1.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const measure = (): number => {
  gc()
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

export const suite: Suite = {
  name: 'heap over 10k W1 training steps (issue 16)',
  run: (): readonly Figure[] => {
    const steps = Number(process.env['AUTODIFF_HEAP_STEPS'] ?? 10000)
    const { run } = w1Trainer()
    const warm = Math.min(500, steps)
    run(warm)
    const before = measure()
    const wasmBefore = activeWasm()?.heap.memory.buffer.byteLength ?? 0
    const t0 = performance.now()
    run(steps - warm)
    const ms = performance.now() - t0
    const after = measure()
    const wasmAfter = activeWasm()?.heap.memory.buffer.byteLength ?? 0
    return [
      { name: `kernels: ${kernelInfo().backend}, ${kernelInfo().threads} thread(s); steps after warm-up`, value: steps - warm, unit: 'steps' },
      { name: 'samples/s over the run', value: ((steps - warm) * W1_BATCH) / ms * 1000, unit: 'samples/s' },
      { name: 'JS heap + ArrayBuffers after warm-up', value: before / 2 ** 20, unit: 'MiB' },
      { name: 'JS heap + ArrayBuffers at the end', value: after / 2 ** 20, unit: 'MiB' },
      { name: 'Wasm kernel memory after warm-up / at the end', value: wasmBefore / 2 ** 20, unit: `MiB / ${(wasmAfter / 2 ** 20).toFixed(1)} MiB` },
      ratio('growth of JS heap + ArrayBuffers + Wasm memory (fraction)', (after + wasmAfter) / (before + wasmBefore) - 1, '<=', 0.05),
    ]
  },
}
