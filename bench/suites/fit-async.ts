/**
 * Issue 12 item 4's figures: what yielding to the event loop costs. The demo's digits net
 * (64-64-64-10 ReLU MLP, Adam, batch 32, the 1797 embedded digits) trains two epochs with the
 * synchronous `Train.fit` and with the asynchronous driver, yielding after every step through each
 * mechanism Node has (setImmediate, MessageChannel, setTimeout 0), and in slices of 4 and 10 ms
 * through the default mechanism; a second synchronous run gives the noise floor. Rounds interleave
 * the subjects, in an order that alternates from round to round; figures are medians of samples/s and of their ratio to the synchronous run of the
 * same round (wall clock, and the process's CPU clock, which a busy machine disturbs less), and the
 * cost of one idle yield per mechanism (what yielding after every step adds). Run with
 * `NODE_OPTIONS=--expose-gc`: each subject then starts on a collected heap and its time includes
 * the collection of what it left (a synchronous run defers all of its collection work; an
 * asynchronous one lets the engine do part of it while yielding, and would otherwise be charged
 * for work the synchronous one leaves to whoever runs next).
 *
 * Caveat: under tsx (`npm run bench`) the module loader's hooks thread adds a cost to every turn
 * of the event loop (`waitForWorker` in a CPU profile), which overstates the asynchronous
 * subjects' cost. The same runs bundled with esbuild and run by plain node, one process per run,
 * gave the figures quoted in docs/training.md.
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

const ROUNDS = 21
const EPOCHS = 2

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

    const collect = (globalThis as { gc?: () => void }).gc
    const cpuMs = (): number => {
      const c = process.cpuUsage()
      return (c.user + c.system) / 1000
    }
    /** Samples per second of one run, on the wall clock and on the process's CPU clock. */
    const timed = async (run: () => Promise<unknown> | unknown): Promise<readonly [number, number]> => {
      const t0 = performance.now()
      const c0 = cpuMs()
      const r = (await run()) as { _tag: string }
      if (r._tag !== 'Right') throw new Error('fit-async bench: a run failed')
      // the collection a run leaves pending is part of its cost: a synchronous run defers all of
      // it, an asynchronous one lets the engine do some of it while yielding
      collect?.()
      return [((EPOCHS * n) / (performance.now() - t0)) * 1000, ((EPOCHS * n) / (cpuMs() - c0)) * 1000]
    }
    const subjects: { name: string; run: () => Promise<unknown> | unknown }[] = [{ name: 'sync', run: () => Train.fit(model, params, data, options) }]
    for (const [name, p] of Object.entries(pauses))
      if (p !== undefined) subjects.push({ name: `${name}, every step`, run: () => drive(p)(model, params, data, { ...options, yieldEveryMs: 0 }) })
    subjects.push({ name: 'sync again (noise floor)', run: () => Train.fit(model, params, data, options) })
    for (const ms of [4, 10])
      subjects.push({ name: `default, every ${ms} ms`, run: () => drive(pause)(model, params, data, { ...options, yieldEveryMs: ms }) })

    const samples: Record<string, number[]> = Object.fromEntries(subjects.map((s) => [s.name, []]))
    const ratios: Record<string, number[]> = Object.fromEntries(subjects.map((s) => [s.name, []]))
    const cpuRatios: Record<string, number[]> = Object.fromEntries(subjects.map((s) => [s.name, []]))
    for (let r = -1; r < ROUNDS; r++) {
      const round = new Map<string, readonly [number, number]>()
      // the order alternates between rounds, so that no subject always runs first or last
      for (const s of r % 2 === 0 ? subjects : [...subjects].reverse()) {
        // start every subject on a settled heap: the work a run leaves behind (a pending GC) is
        // not charged to the next one
        collect?.()
        await new Promise((resolve) => setTimeout(resolve, 20))
        round.set(s.name, await timed(s.run))
      }
      if (r < 0) continue
      const [syncRate, syncCpuRate] = round.get('sync')!
      for (const [name, [sps, cpu]] of round) {
        samples[name]!.push(sps)
        ratios[name]!.push(sps / syncRate)
        cpuRatios[name]!.push(cpu / syncCpuRate)
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
      if (s.name === 'sync') continue
      figures.push({ name: `${s.name}: / sync (same round)`, value: median(ratios[s.name]!), unit: 'x' })
      figures.push({ name: `${s.name}: / sync, CPU clock`, value: median(cpuRatios[s.name]!), unit: 'x' })
    }
    return figures
  },
}
