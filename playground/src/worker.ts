/**
 * The training worker: builds the network from its spec with `Layer.fromSpec`, trains it with
 * `Train.fit` one epoch at a time (carrying the optimizer state), and reports after every slice
 * of about 40 ms, yielding in between so that a stop request is heard. The page's thread only
 * draws, so it never freezes. The parameters after the last good epoch are always kept here: a
 * stop keeps them, and a non-finite loss keeps those before the failing step (the library's
 * `NonFinite.params`).
 */
import { Data, Layer, Loss, Optimizer, Random, Train, fromData, kernelInfo, ops, useKernels, type Schedule, type Tensor, type Tree } from 'autodiff-ts'
import { isLeft, type Either } from 'fp-ts/lib/Either.js'
import { load, type Classification, type DatasetName } from './datasets.js'
import { GRID, type Config, type EpochFigures, type FromWorker, type ToWorker } from './protocol.js'

const port = self as unknown as { postMessage(m: FromWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null }
const post = (m: FromWorker, transfer: Transferable[] = []) => port.postMessage(m, transfer)

const SLICE_MS = 40
const cache = new Map<DatasetName, Classification>()

/** Which field of the page a message of the library is about. */
const fieldOf = (option: string): string =>
  ({ learningRate: 'lr', batchSize: 'batch', optimizer: 'lr' })[option] ?? 'general'

/** The kernels the library picked at load time, in words. */
const kernelsOf = (k: ReturnType<typeof kernelInfo>): string =>
  k.backend === 'wasm' ? `WebAssembly ${k.simd === 'none' ? '' : `SIMD (${k.simd}) `}kernels, ${k.threads} thread${k.threads === 1 ? '' : 's'}` : 'JavaScript kernels'

/**
 * The kernels to train on: the library's choice at load time, unless its WebAssembly kernels
 * disagree with its JavaScript ones on a product of the sizes training makes (then the
 * JavaScript kernels, and the reason, shown in the status line).
 */
const chooseKernels = (): string => {
  const a = Random.normal(Random.key(1), [32, 64])
  const b = Random.normal(Random.key(2), [64, 64])
  const chosen = kernelInfo()
  if (chosen.backend !== 'wasm') return kernelsOf(chosen)
  const fast = ops.matmul.apply([a, b])
  useKernels({ backend: 'js' })
  const plain = ops.matmul.apply([a, b])
  let worst = 0
  for (let i = 0; i < plain.data.length; i++) worst = Math.max(worst, Math.abs(fast.data[i]! - plain.data[i]!) / Math.max(1, Math.abs(plain.data[i]!)))
  if (worst > 1e-9) return `JavaScript kernels (the WebAssembly kernels, ${chosen.simd} SIMD, disagreed with them by ${worst.toPrecision(2)} on this engine)`
  return kernelsOf(useKernels({ backend: 'auto', threads: chosen.threads }))
}
let kernels: string | undefined

/** The labels of one-hot rows. */
const argmaxRows = (t: Tensor): Int32Array => {
  const [n = 0, k = 1] = t.shape
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let j = 1; j < k; j++) if (t.data[i * k + j]! > t.data[i * k + best]!) best = j
    out[i] = best
  }
  return out
}

const optimizers = {
  sgd: (lr: Schedule.LearningRate) => Optimizer.sgd({ lr }),
  momentum: (lr: Schedule.LearningRate) => Optimizer.momentum({ lr, momentum: 0.9 }),
  adam: (lr: Schedule.LearningRate) => Optimizer.adam({ lr }),
} as const

/** The cells' centres of the decision grid over the square `view`, as a [GRID^2, 2] tensor. */
const gridOf = ([lo, hi]: readonly [number, number]): Tensor => {
  const xs = new Float64Array(2 * GRID * GRID)
  for (let r = 0; r < GRID; r++)
    for (let c = 0; c < GRID; c++) {
      const i = r * GRID + c
      xs[2 * i] = lo + ((c + 0.5) / GRID) * (hi - lo)
      xs[2 * i + 1] = hi - ((r + 0.5) / GRID) * (hi - lo)
    }
  return fromData([GRID * GRID, 2], xs)
}

/** A training session: one network on one data set, with its parameters and optimizer state. */
interface Session {
  readonly config: Config
  readonly model: Layer.AnyLayer
  readonly data: Classification
  readonly grid: Tensor | undefined
  /** One epoch more of training from the current parameters; a Left stops training. */
  readonly epoch: (config: Config) => Either<Train.FitError<Tree.Tree>, Train.FitResult<Tree.Tree>>
  params: Tree.Tree
  state: Optimizer.OptimizerState<Tree.Tree> | undefined
  epochs: number
}

let session: Session | undefined
let running = false

const start = (config: Config): void => {
  running = false
  let data = cache.get(config.dataset)
  if (data === undefined) {
    const loaded = load(config.dataset)
    if (isLeft(loaded)) return post({ type: 'refused', field: 'dataset', message: loaded.left })
    data = loaded.right
    cache.set(config.dataset, data)
  }
  post({
    type: 'data',
    points: data.view !== undefined ? Float64Array.from(data.x.data) : undefined,
    labels: data.y,
    view: data.view,
    size: data.y.length,
    kernels: (kernels ??= chooseKernels()),
  })
  // the network, from its spec: the library judges the widths and the activation's name
  const layers: { kind: string; [k: string]: number | string }[] = []
  let width: number | string = data.x.shape[1]!
  for (const h of config.hidden) {
    layers.push({ kind: 'dense', in: width, out: h }, { kind: 'activation', name: config.activation })
    width = h
  }
  layers.push({ kind: 'dense', in: width, out: data.classes })
  const built = Layer.fromSpec({ kind: 'sequential', layers })
  if (isLeft(built)) return post({ type: 'refused', field: /\.name:/.test(built.left) ? 'activation' : 'hidden', message: built.left })
  const model = built.right
  const targets = config.loss === 'mse' ? Data.oneHot(data.y, data.classes) : data.y
  const loss = (config.loss === 'mse' ? Loss.mse : Loss.softmaxCrossEntropy) as Train.LossFn<Tensor | Int32Array>
  const accuracy: Train.Metric<Tensor | Int32Array> = (t) => Loss.accuracy(t instanceof Int32Array ? t : argmaxRows(t))
  const key = Random.key(1)
  const s: Session = {
    config,
    model,
    data,
    grid: data.view !== undefined ? gridOf(data.view) : undefined,
    params: model.init(Random.key(0)),
    state: undefined,
    epochs: 0,
    epoch: (c) =>
      Train.fit(model, s.params, { x: data.x, y: targets }, {
        loss,
        metrics: { accuracy },
        epochs: 1,
        batchSize: c.batchSize as number,
        learningRate: c.learningRate as number,
        optimizer: optimizers[c.optimizer],
        key: Random.foldIn(key, s.epochs),
        ...(s.state !== undefined ? { state: s.state } : {}),
      }),
  }
  session = s
  void run(config)
}

/** Trains until stopped or failed, reporting after every slice. */
const run = async (config: Config): Promise<void> => {
  const s = session
  if (s === undefined) return
  running = true
  let lastRate = 0
  while (running && session === s) {
    const t0 = performance.now()
    const figures: EpochFigures[] = []
    let examples = 0
    let failure: string | undefined
    while (performance.now() - t0 < SLICE_MS) {
      const r = s.epoch(config)
      if (isLeft(r)) {
        if (r.left._tag === 'InvalidOption') {
          running = false
          return post({ type: 'refused', field: fieldOf(r.left.option), message: r.left.message })
        }
        // the library kept the last good parameters and state: those before the failing step
        s.params = r.left.params
        s.state = r.left.state
        failure = r.left.message
        break
      }
      s.params = r.right.params
      s.state = r.right.state
      const h = r.right.history[0]!
      figures.push({ epoch: s.epochs, loss: h.loss, accuracy: h.metrics['accuracy'] ?? NaN })
      s.epochs++
      examples += s.data.y.length
    }
    const dt = performance.now() - t0
    if (examples > 0) lastRate = (examples / dt) * 1000
    const grid = s.grid !== undefined ? decision(s.model, s.params, s.grid) : undefined
    post({ type: 'progress', epochs: figures, grid, samplesPerSecond: lastRate }, grid !== undefined ? [grid.buffer] : [])
    if (failure !== undefined) {
      running = false
      return post({ type: 'stopped', reason: 'nonFinite', message: failure, epoch: s.epochs })
    }
    await new Promise((ok) => setTimeout(ok, 0))
  }
  if (session === s) post({ type: 'stopped', reason: 'user', message: '', epoch: s.epochs })
}

/** The margin of class 1 over class 0 at every grid cell. */
const decision = (model: Layer.AnyLayer, params: Tree.Tree, grid: Tensor): Float64Array => {
  const out = model.apply([params, grid]) as Tensor
  const k = out.shape[1]!
  const d = new Float64Array(GRID * GRID)
  for (let i = 0; i < d.length; i++) d[i] = out.data[i * k + 1]! - out.data[i * k]!
  return d
}

port.onmessage = (e) => {
  const m = e.data
  if (m.type === 'start') start(m.config)
  else if (m.type === 'stop') running = false
  else if (m.type === 'resume' && session !== undefined && !running) void run(session.config)
}
