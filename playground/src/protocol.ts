/** The messages between the page and the training worker. */
import type { DatasetName } from './datasets.js'

/** What the page asks for: the raw field values go to the library, which judges them. */
export interface Config {
  readonly dataset: DatasetName
  /** The hidden layer widths as typed, each a number or the text that is not one. */
  readonly hidden: readonly (number | string)[]
  readonly activation: string
  readonly loss: 'mse' | 'crossEntropy'
  readonly optimizer: 'sgd' | 'momentum' | 'adam'
  readonly learningRate: number | string
  readonly batchSize: number | string
}

export type ToWorker = { readonly type: 'start'; readonly config: Config } | { readonly type: 'stop' } | { readonly type: 'resume' }

/** One epoch's figures. */
export interface EpochFigures {
  readonly epoch: number
  readonly loss: number
  readonly accuracy: number
}

export type FromWorker =
  /** The data set is ready: its points, for drawing (2-D sets only). */
  | { readonly type: 'data'; readonly points: Float64Array | undefined; readonly labels: Int32Array; readonly view: readonly [number, number] | undefined; readonly size: number; readonly kernels: string }
  /** Epochs done since the last message, and the decision function on the grid (2-D sets). */
  | { readonly type: 'progress'; readonly epochs: readonly EpochFigures[]; readonly grid: Float64Array | undefined; readonly samplesPerSecond: number }
  /** Training refused: the library's message, and the field it is about. */
  | { readonly type: 'refused'; readonly field: string; readonly message: string }
  /** Training stopped: by the user, or by the library because something was not finite (the last good model is kept). */
  | { readonly type: 'stopped'; readonly reason: 'user' | 'nonFinite'; readonly message: string; readonly epoch: number }

/** The side of the decision grid, in cells. */
export const GRID = 64
