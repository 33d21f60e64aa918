/**
 * One run of the demo: load and prepare the data, train an MLP with Adam without blocking the
 * event loop (reporting progress per step and per epoch), print the test accuracy, save the model
 * and the history, load the model back from its file and check that it scores the same, with
 * bit-identical outputs.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import * as t from 'io-ts/lib/index.js'
import * as Act from '../src/Activation.js'
import * as Codec from '../src/Codec.js'
import { kernelInfo } from '../src/kernels/backend.js'
import type { Dataset } from '../src/data/Dataset.js'
import type { AnyLayer, Layer } from '../src/Layer.js'
import * as L from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import { loadModel, saveModel, writeFileAtomically } from '../src/node/index.js'
import { adam } from '../src/Optimizer.js'
import type { Key } from '../src/Random.js'
import { key, split } from '../src/Random.js'
import type { Tensor } from '../src/Tensor.js'
import * as Train from '../src/Train.js'
import type { Tree } from '../src/Tree.js'
import { size } from '../src/Tree.js'
import type { Preprocess } from './data.js'
import { loadData, prepare } from './data.js'
import type { Options } from './options.js'
import { historyPath, onnxPath } from './options.js'
import { onnxAccuracy } from './onnx.js'
import type { EpochLine, Terminal } from './progress.js'
import { reporter } from './progress.js'

/** What a successful run found and wrote. */
export interface RunResult {
  readonly testAccuracy: number
  /** The accuracy of the model loaded back from its file. */
  readonly reloadedAccuracy: number
  readonly history: readonly EpochLine[]
  readonly modelPath: string
  readonly historyPath: string
  /** The test accuracy ONNX Runtime gets from the exported ONNX model. */
  readonly onnxAccuracy: number
  readonly onnxPath: string
  /** Wall-clock seconds of training (all epochs, evaluation included). */
  readonly trainSeconds: number
}

type Mlp = Layer<Tree, Tensor, Tensor>

/** The MLP `in -> hidden... -> classes`: He-initialised ReLU layers, a Glorot output layer of logits. */
export const mlp = (nIn: number, hidden: readonly number[], classes: number): Mlp => {
  const layers: AnyLayer[] = []
  let width = nIn
  for (const h of hidden) {
    layers.push(L.dense(width, h, { init: 'he' }), L.activation(Act.relu))
    width = h
  }
  layers.push(L.dense(width, classes))
  return L.sequential(...layers) as unknown as Mlp
}

const describeModel = (spec: L.LayerSpec): string =>
  Array.isArray(spec['layers']) ? (spec['layers'] as L.LayerSpec[]).map(L.describe).join(' → ') : L.describe(spec)

const count = (n: number): string => n.toLocaleString('en-US')

/** What the model file keeps beside the model, so that it can be used on new raw images. */
const metaCodec = t.type({ preprocess: t.type({ kind: t.literal('rescale'), high: t.number }), classes: t.number })

const sameBits = (a: Tensor, b: Tensor): boolean => {
  if (a.data.length !== b.data.length) return false
  const x = new Uint8Array(Float64Array.from(a.data as ArrayLike<number>).buffer)
  const y = new Uint8Array(Float64Array.from(b.data as ArrayLike<number>).buffer)
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

const writeText = (path: string, text: string): Either<string, void> => {
  try {
    writeFileAtomically(path, text)
    return right(undefined)
  } catch (e) {
    return left(`${path}: cannot write (${e instanceof Error ? e.message : String(e)})`)
  }
}

/**
 * Runs the demo with `options`, writing progress and results to `term`; `now` is the clock in
 * milliseconds. A `Left` is a message for the user (missing data, a training failure, a file
 * that cannot be written, a reloaded model that differs).
 */
export const run = async (options: Options, term: Terminal, now: () => number): Promise<Either<string, RunResult>> => {
  const [splitKey, initKey, shuffleKey] = split(key(options.seed), 3) as [Key, Key, Key]
  const loaded = loadData(options.data, options.dataDir, splitKey)
  if (isLeft(loaded)) return loaded
  const { preprocess, credit } = loaded.right
  const train = prepare(preprocess, loaded.right.train)
  const test = prepare(preprocess, loaded.right.test)
  const nIn = train.x.shape[1]!
  const model = mlp(nIn, options.hidden, train.classes)
  const init: Tree = model.init(initKey)
  const say = (line: string): void => term.write(`${line}\n`)
  const k = kernelInfo()
  say(`kernels: ${k.backend}${k.backend === 'wasm' ? ` (${k.simd})` : ''}, ${k.threads} thread${k.threads === 1 ? '' : 's'}${k.note === undefined ? '' : ` (${k.note})`}`)
  say(`${options.data}: ${count(train.x.shape[0]!)} training and ${count(test.x.shape[0]!)} test examples of ${nIn} features, ${train.classes} classes`)
  say(`  ${credit}`)
  say(`model: ${describeModel(model.spec)}, ${count(size(init))} parameters`)
  say(`training: Adam (lr ${options.lr}), softmax cross-entropy, batch ${options.batchSize}, ${options.epochs} epoch${options.epochs === 1 ? '' : 's'}, seed ${options.seed}`)

  const rep = reporter(term, options.epochs, now)
  const history: EpochLine[] = []
  const t0 = now()
  rep.begin(0)
  // fitAsync yields to the event loop every few milliseconds, so the terminal's progress bar is
  // drawn as it goes; each epoch is reported as it ends
  const r = await Train.fitAsync<Tree, Dataset['y']>(model, init, train, {
    loss: Loss.softmaxCrossEntropy,
    metrics: { accuracy: Loss.accuracy },
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.lr,
    optimizer: (lr) => adam({ lr }),
    key: shuffleKey,
    validation: test,
    onStep: rep.step,
    onEpoch: (e) => {
      history.push(rep.epoch(e))
      rep.begin(e.epoch + 1)
    },
  })
  if (isLeft(r)) {
    if (term.isTTY) term.write('\n')
    return left(`${r.left.message}${r.left._tag === 'NonFinite' ? ' (try a smaller --lr)' : ''}`)
  }
  const params = r.right.params
  const trainSeconds = (now() - t0) / 1000
  const logits = model.apply([params, test.x])
  const testAccuracy = Loss.accuracy(test.y)(logits)
  say(`trained in ${trainSeconds.toFixed(1)} s (${(trainSeconds / options.epochs).toFixed(2)} s per epoch, test evaluation included)`)
  say(`test accuracy: ${testAccuracy.toFixed(4)}`)

  // save the model with what it takes to use it on raw images, and the history for figures
  const meta = { data: options.data, credit, classes: train.classes, preprocess: { ...preprocess }, testAccuracy }
  const saved = saveModel(options.out, model, params, { meta })
  if (isLeft(saved)) return saved
  const hPath = historyPath(options.out)
  const historyJson = {
    data: options.data,
    credit,
    model: describeModel(model.spec),
    parameters: size(params),
    trainExamples: train.x.shape[0]!,
    testExamples: test.x.shape[0]!,
    options: { epochs: options.epochs, batchSize: options.batchSize, lr: options.lr, seed: options.seed, hidden: options.hidden, optimizer: 'adam' },
    epochs: history,
    testAccuracy,
    trainSeconds,
  }
  const wrote = writeText(hPath, `${JSON.stringify(historyJson, null, 2)}\n`)
  if (isLeft(wrote)) return wrote
  say(`saved the model to ${options.out} and the per-epoch history to ${hPath}`)

  // load it back from the file alone: layer, parameters and how to prepare raw images
  const back = loadModel(options.out)
  if (isLeft(back)) return back
  const m = Codec.decode(metaCodec, `${options.out}: meta`)(back.right.meta)
  if (isLeft(m)) return m
  const p: Preprocess = m.right.preprocess
  const rawTest = prepare(p, loaded.right.test)
  const logits2 = back.right.layer.apply([back.right.params, rawTest.x])
  const reloadedAccuracy = Loss.accuracy(rawTest.y)(logits2)
  const identical = sameBits(logits, logits2)
  if (reloadedAccuracy !== testAccuracy || !identical)
    return left(`${options.out}: the loaded model scores ${reloadedAccuracy.toFixed(4)}, expected ${testAccuracy.toFixed(4)} as before saving${identical ? '' : ' (its outputs differ)'}`)
  say(`loaded ${options.out} back: it scores the same, ${reloadedAccuracy.toFixed(4)}, with bit-identical outputs on all ${count(rawTest.x.shape[0]!)} test examples`)

  // the same model as ONNX, scored by ONNX Runtime
  const oPath = onnxPath(options.out)
  const ortAccuracy = await onnxAccuracy(model, params, test.x, test.y, oPath)
  if (isLeft(ortAccuracy)) return ortAccuracy
  if (ortAccuracy.right !== testAccuracy) return left(`${oPath}: ONNX Runtime scores ${ortAccuracy.right.toFixed(4)}, expected ${testAccuracy.toFixed(4)} as ours`)
  say(`exported ${oPath}: ONNX Runtime's test accuracy ${ortAccuracy.right.toFixed(4)}, ours ${testAccuracy.toFixed(4)}`)
  return right({ testAccuracy, reloadedAccuracy, onnxAccuracy: ortAccuracy.right, onnxPath: oPath, history, modelPath: options.out, historyPath: hPath, trainSeconds })
}
