/**
 * Training progress on the terminal: on a TTY one bar per epoch, redrawn in place as the steps
 * go by and left behind with the epoch's figures; elsewhere (a pipe, a file, CI) one plain line
 * per epoch.
 *
 * @packageDocumentation
 */
import type { EpochRecord, Progress } from '../src/Train.js'

/** Where the demo writes, and what it knows about it. */
export interface Terminal {
  readonly write: (text: string) => void
  /** Whether output goes to a terminal (then the bar is redrawn in place). */
  readonly isTTY: boolean
  /** The terminal's width in columns, if known. */
  readonly columns?: number
}

/** The figures of one finished epoch, as the demo reports and saves them. */
export interface EpochLine {
  /** From 1. */
  readonly epoch: number
  readonly loss: number
  readonly accuracy: number
  readonly testLoss: number
  readonly testAccuracy: number
  /** Wall-clock seconds of the epoch's training steps (evaluation not included). */
  readonly seconds: number
  readonly samplesPerSecond: number
}

/** A progress reporter: `begin(epoch)` (from 0) before an epoch, `step` after every step, `epoch` when the epoch is done. */
export interface Reporter {
  readonly begin: (epoch: number) => void
  readonly step: (p: Progress) => void
  readonly epoch: (r: EpochRecord) => EpochLine
}

const BAR_MIN = 10
const BAR_MAX = 30
const REDRAW_MS = 100

const fmt = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x))
const rate = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-')

/** The fixed-width prefix of an epoch's line: `epoch  3/20`. */
const epochLabel = (epoch: number, epochs: number): string => `epoch ${String(epoch + 1).padStart(String(epochs).length)}/${epochs}`

/** The finished line of an epoch. */
export const formatEpoch = (l: EpochLine, epochs: number): string =>
  `${epochLabel(l.epoch - 1, epochs)}  loss ${fmt(l.loss)}  acc ${fmt(l.accuracy)}  test loss ${fmt(l.testLoss)}  test acc ${fmt(l.testAccuracy)}  ${rate(l.samplesPerSecond)} samples/s  ${l.seconds.toFixed(1)} s`

/**
 * A reporter writing to `term` for a run of `epochs` epochs; `now` is the clock in
 * milliseconds (`performance.now`). An epoch's seconds run from `begin` to its last step.
 */
export const reporter = (term: Terminal, epochs: number, now: () => number): Reporter => {
  let lossSum = 0
  let accSum = 0
  let steps = 0
  let start = now()
  let lastDraw = -Infinity
  let lastRate = NaN
  let seconds = 0
  let current = 0
  const begin = (epoch: number): void => {
    current = epoch
    lossSum = 0
    accSum = 0
    steps = 0
    seconds = NaN
    lastDraw = -Infinity
    start = now()
  }
  const step = (p: Progress): void => {
    lossSum += p.loss
    accSum += p.accuracy ?? NaN
    steps++
    lastRate = p.samplesPerSecond
    const done = p.step + 1 === p.steps
    if (done) seconds = (now() - start) / 1000
    if (!term.isTTY) return
    const t = now()
    if (!done && t - lastDraw < REDRAW_MS) return
    lastDraw = t
    const count = `${String(p.step + 1).padStart(String(p.steps).length)}/${p.steps}`
    const figures = `loss ${fmt(lossSum / steps)}  acc ${fmt(accSum / steps)}  ${rate(p.samplesPerSecond)} samples/s`
    const label = epochLabel(current, epochs)
    // the bar takes what the terminal's width leaves, between BAR_MIN and BAR_MAX cells
    const room = (term.columns ?? 100) - 1 - label.length - count.length - figures.length - 5
    const width = Math.max(BAR_MIN, Math.min(BAR_MAX, room))
    const filled = Math.round((width * (p.step + 1)) / p.steps)
    term.write(`\r\x1b[2K${label} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${count}  ${figures}`)
  }
  const epoch = (r: EpochRecord): EpochLine => {
    const l: EpochLine = Object.freeze({
      epoch: current + 1,
      loss: r.loss,
      accuracy: r.metrics['accuracy'] ?? NaN,
      testLoss: r.validation?.loss ?? NaN,
      testAccuracy: r.validation?.metrics['accuracy'] ?? NaN,
      seconds,
      samplesPerSecond: lastRate,
    })
    term.write(`${term.isTTY ? '\r\x1b[2K' : ''}${formatEpoch(l, epochs)}\n`)
    return l
  }
  return { begin, step, epoch }
}
