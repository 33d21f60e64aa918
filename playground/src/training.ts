/**
 * Part 3, the page's side: the fields (their raw text goes to the worker, where the library
 * judges it; its messages come back and are shown beside the field), the buttons, the loss and
 * accuracy curves and the decision boundary.
 */
import { Activation } from 'autodiff-ts'
import { DATASETS, type DatasetName } from './datasets.js'
import { field, numberInput, onResize, parseNumber, select, showError, widthOf } from './dom.js'
import { chart } from './plot.js'
import { GRID, type Config, type EpochFigures, type FromWorker, type ToWorker } from './protocol.js'

const CLASS_RGB = [
  [31, 111, 178],
  [224, 138, 0],
] as const

export const mountTraining = (root: HTMLElement): void => {
  const fields = root.querySelector<HTMLElement>('#train-fields')!
  const f = {
    dataset: field(fields, 'train-dataset', 'data set', select(DATASETS, 'xor')),
    hidden: field(fields, 'train-hidden', 'hidden layer widths', numberInput('8')),
    activation: field(fields, 'train-activation', 'activation', select(Activation.all.map((a) => [a.name, a.name] as const), 'tanh')),
    loss: field(fields, 'train-loss-fn', 'loss', select([['mse', 'squared error'], ['crossEntropy', 'cross-entropy']], 'mse')),
    optimizer: field(fields, 'train-optimizer', 'optimizer', select([['momentum', 'momentum 0.9'], ['sgd', 'SGD'], ['adam', 'Adam']], 'momentum')),
    lr: field(fields, 'train-lr', 'learning rate', numberInput('0.3')),
    batch: field(fields, 'train-batch', 'batch size', numberInput('32')),
  }
  f.hidden.control.title = 'widths of the hidden layers, separated by commas, e.g. 16, 8'
  const start = root.querySelector<HTMLButtonElement>('#train-start')!
  const stop = root.querySelector<HTMLButtonElement>('#train-stop')!
  const resume = root.querySelector<HTMLButtonElement>('#train-resume')!
  const status = root.querySelector<HTMLElement>('#train-status')!
  const canvas = root.querySelector<HTMLCanvasElement>('#train-boundary')!
  const caption = root.querySelector<HTMLElement>('#train-boundary-caption')!
  const lossPlot = root.querySelector<HTMLElement>('#train-loss')!
  const accPlot = root.querySelector<HTMLElement>('#train-accuracy')!

  const worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' })
  let history: EpochFigures[] = []
  let points: { xy: Float64Array; labels: Int32Array; view: readonly [number, number] } | undefined
  let grid: Float64Array | undefined
  let rate = 0
  let kernels = ''

  const clearErrors = () => Object.values(f).forEach((x) => showError(x, ''))
  const setRunning = (on: boolean, canResume: boolean) => {
    start.disabled = false
    stop.disabled = !on
    resume.disabled = on || !canResume
    root.dataset['running'] = String(on)
  }
  const send = (m: ToWorker) => worker.postMessage(m)

  const config = (): Config => ({
    dataset: f.dataset.control.value as DatasetName,
    hidden: f.hidden.control.value.trim() === '' ? [] : f.hidden.control.value.split(',').map(parseNumber),
    activation: f.activation.control.value,
    loss: f.loss.control.value as Config['loss'],
    optimizer: f.optimizer.control.value as Config['optimizer'],
    learningRate: parseNumber(f.lr.control.value),
    batchSize: parseNumber(f.batch.control.value),
  })

  const drawCurves = () => {
    const width = widthOf(lossPlot, 280, 760)
    // at most about 600 points: every k-th epoch, and the last one
    const k = Math.max(1, Math.ceil(history.length / 600))
    const shown = history.filter((_, i) => i % k === 0 || i === history.length - 1)
    const xs = shown.map((h) => h.epoch + 1)
    const n = Math.max(10, history.length)
    const losses = shown.map((h) => h.loss)
    let lo = Infinity
    let hi = 0
    for (const v of losses) if (Number.isFinite(v) && v > 0) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)]
    const [y0, y1] = hi > 0 ? [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))] : [1e-3, 10]
    lossPlot.innerHTML = chart({ id: 'loss-chart', width, height: 190, x: [0, n], y: [Math.min(y0, y1 / 10), y1], logY: true, yLabel: 'loss (log scale)', xLabel: 'epoch', series: [{ xs, ys: losses, color: '#c0392b', label: 'training loss' }] })
    accPlot.innerHTML = chart({ id: 'accuracy-chart', width, height: 170, x: [0, n], y: [0, 1], yLabel: 'accuracy', xLabel: 'epoch', series: [{ xs, ys: shown.map((h) => h.accuracy), color: '#1f6fb2', label: 'training accuracy' }] })
  }

  const drawBoundary = () => {
    const ctx = canvas.getContext('2d')!
    const size = canvas.width
    ctx.clearRect(0, 0, size, size)
    if (points === undefined) {
      ctx.fillStyle = '#f4f6f8'
      ctx.fillRect(0, 0, size, size)
      ctx.fillStyle = '#5b6470'
      ctx.font = '15px system-ui, sans-serif'
      ctx.textAlign = 'center'
      ctx.fillText('64 inputs: no 2-D picture', size / 2, size / 2)
      caption.textContent = 'the digits have 64 inputs, so there is no plane to draw'
      return
    }
    if (grid !== undefined) {
      const img = new ImageData(GRID, GRID)
      for (let i = 0; i < GRID * GRID; i++) {
        const m = Math.tanh(grid[i]!)
        const [r, g, b] = CLASS_RGB[m > 0 ? 1 : 0]
        const a = 0.15 + 0.45 * Math.abs(m)
        img.data.set([255 - a * (255 - r), 255 - a * (255 - g), 255 - a * (255 - b), 255], 4 * i)
      }
      const off = new OffscreenCanvas(GRID, GRID)
      off.getContext('2d')!.putImageData(img, 0, 0)
      ctx.imageSmoothingEnabled = true
      ctx.drawImage(off, 0, 0, size, size)
    }
    const [lo, hi] = points.view
    const px = (v: number) => ((v - lo) / (hi - lo)) * size
    const radius = points.labels.length <= 8 ? 9 : 4
    for (let i = 0; i < points.labels.length; i++) {
      const [r, g, b] = CLASS_RGB[points.labels[i] === 1 ? 1 : 0]
      ctx.beginPath()
      ctx.arc(px(points.xy[2 * i]!), size - px(points.xy[2 * i + 1]!), radius, 0, 2 * Math.PI)
      ctx.fillStyle = `rgb(${r},${g},${b})`
      ctx.fill()
      ctx.lineWidth = 1.5
      ctx.strokeStyle = '#fff'
      ctx.stroke()
    }
    caption.textContent = `decision boundary on [${lo}, ${hi}]²: blue class 0, orange class 1`
  }

  const showStatus = (text: string, failed = false) => {
    status.textContent = text
    status.classList.toggle('failed', failed)
  }
  const summary = () => {
    const last = history[history.length - 1]
    return last === undefined
      ? 'starting…'
      : `epoch ${last.epoch + 1} · loss ${last.loss.toPrecision(4)} · accuracy ${(100 * last.accuracy).toFixed(1)}% · ${Math.round(rate).toLocaleString('en')} examples/s on ${kernels}`
  }

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data
    if (m.type === 'data') {
      points = m.points !== undefined && m.view !== undefined ? { xy: m.points, labels: m.labels, view: m.view } : undefined
      grid = undefined
      kernels = m.kernels
      drawBoundary()
    } else if (m.type === 'progress') {
      history = history.concat(m.epochs)
      rate = m.samplesPerSecond
      if (m.grid !== undefined) grid = m.grid
      const last = history[history.length - 1]
      if (last !== undefined) {
        root.dataset['epoch'] = String(last.epoch + 1)
        root.dataset['loss'] = String(last.loss)
        root.dataset['accuracy'] = String(last.accuracy)
      }
      if (root.dataset['running'] === 'true') showStatus(`training: ${summary()}`)
      drawCurves()
      drawBoundary()
    } else if (m.type === 'refused') {
      const target = m.field in f ? f[m.field as keyof typeof f] : undefined
      if (target !== undefined) showError(target, m.message)
      showStatus(`not started: ${m.message}`, true)
      setRunning(false, false)
    } else {
      if (m.reason === 'nonFinite') {
        showError(f.lr, m.message)
        showStatus(`stopped in epoch ${m.epoch + 1}; the model of epoch ${m.epoch} is kept. Train.fit, called once per epoch, said: ${m.message}`, true)
        setRunning(false, false)
      } else {
        showStatus(`stopped: ${summary()}`)
        setRunning(false, true)
      }
    }
  }

  start.addEventListener('click', () => {
    clearErrors()
    history = []
    grid = undefined
    drawCurves()
    showStatus('starting…')
    setRunning(true, false)
    send({ type: 'start', config: config() })
  })
  stop.addEventListener('click', () => send({ type: 'stop' }))
  resume.addEventListener('click', () => {
    setRunning(true, false)
    send({ type: 'resume' })
  })
  onResize(lossPlot, drawCurves)
  drawCurves()
  drawBoundary()
}
