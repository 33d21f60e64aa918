/**
 * Issue 12 item 4's figures: what yielding to the event loop costs. The demo's digits net
 * (64-64-64-10 ReLU MLP, Adam, batch 32, the 1797 embedded digits) trains four epochs with the
 * synchronous `Train.fit` and with the asynchronous driver, yielding after every step through each
 * mechanism Node has (setImmediate, MessageChannel, setTimeout 0), and in slices of 4 and 10 ms
 * through the default mechanism; a second synchronous run gives the noise floor. Rounds interleave
 * the subjects; figures are medians of samples/s and of their ratio to the synchronous run of the
 * same round, and the cost of one idle yield per mechanism (what yielding after every step adds).
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import * as Act from '../../src/Activation.js'
import * as Data from '../../src/data/index.js'
import * as Layer from '../../src/Layer.js'
import * as Loss from '../../src/Loss.js'
import { adam } from '../../src/Optimizer.js'
import { key } from '../../src/Random.js'
import * as Train from '../../src/Train.js'
import { drive } from '../../src/train/fit.js'
import { pause, pauses } from '../../src/train/pause.js'
import type { Tree } from '../../src/Tree.js'
import { median, type Figure, type Suite } from '../harness.js'

const ROUNDS = 11
const EPOCHS = 4

export const suite: Suite = {
  name: 'non-blocking training: fitAsync against fit, digits 64-64-64-10 MLP, batch 32, Adam (issue 12 item 4)',
  run: async (): Promise<readonly Figure[]> => {
    const loaded = Data.loadDigits()
    if (isLeft(loaded)) throw new Error(loaded.left)
    const data = Data.mapX(Data.rescale(16))(loaded.right)
    const n = data.x.shape[0]!
    const model = Layer.sequential(
      Layer.dense(64, 64, { init: 'he' }),
      Layer.activation(Act.relu),
      Layer.dense(64, 64, { init: 'he' }),
      Layer.activation(Act.relu),
      Layer.dense(64, 10),
    ) as unknown as Layer.Layer<Tree>
    const params = model.init(key(0))
    const options = { loss: Loss.softmaxCrossEntropy, epochs: EPOCHS, batchSize: 32, learningRate: 1e-3, optimizer: (lr: number | ((s: number) => number)) => adam({ lr }), key: key(1) }

    const timed = async (run: () => Promise<unknown> | unknown): Promise<number> => {
      const t0 = performance.now()
      const r = (await run()) as { _tag: string }
      if (r._tag !== 'Right') throw new Error('fit-async bench: a run failed')
      return ((EPOCHS * n) / (performance.now() - t0)) * 1000
    }
    const subjects: { name: string; run: () => Promise<unknown> | unknown }[] = [{ name: 'sync', run: () => Train.fit(model, params, data, options) }]
    for (const [name, p] of Object.entries(pauses))
      if (p !== undefined) subjects.push({ name: `${name}, every step`, run: () => drive(p)(model, params, data, { ...options, yieldEveryMs: 0 }) })
    subjects.push({ name: 'sync again (noise floor)', run: () => Train.fit(model, params, data, options) })
    for (const ms of [4, 10])
      subjects.push({ name: `default, every ${ms} ms`, run: () => drive(pause)(model, params, data, { ...options, yieldEveryMs: ms }) })

    const samples: Record<string, number[]> = Object.fromEntries(subjects.map((s) => [s.name, []]))
    const ratios: Record<string, number[]> = Object.fromEntries(subjects.map((s) => [s.name, []]))
    for (let r = -1; r < ROUNDS; r++) {
      let syncRate = NaN
      for (const s of subjects) {
        const sps = await timed(s.run)
        if (s.name === 'sync') syncRate = sps
        if (r < 0) continue
        samples[s.name]!.push(sps)
        ratios[s.name]!.push(sps / syncRate)
      }
    }
    const figures: Figure[] = []
    // the cost of one yield with nothing else to run, per mechanism (setTimeout: fewer, it is slow)
    for (const [name, p] of Object.entries(pauses)) {
      if (p === undefined) continue
      const count = name === 'setTimeout' ? 50 : 2000
      const us: number[] = []
      for (let r = 0; r < ROUNDS; r++) {
        const t0 = performance.now()
        for (let i = 0; i < count; i++) await p()
        us.push(((performance.now() - t0) / count) * 1000)
      }
      figures.push({ name: `${name}: one yield, idle`, value: median(us), unit: 'us' })
    }
    for (const s of subjects) {
      figures.push({ name: `${s.name}: samples/s`, value: median(samples[s.name]!), unit: 'samples/s' })
      if (s.name !== 'sync') figures.push({ name: `${s.name}: / sync (same round)`, value: median(ratios[s.name]!), unit: 'x' })
    }
    return figures
  },
}
