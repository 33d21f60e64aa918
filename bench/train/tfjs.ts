/**
 * The tfjs baselines of the training benchmark: the same 784-128-10 ReLU MLP, SGD and softmax
 * cross-entropy in `@tensorflow/tfjs` (float32), on its 'cpu' backend and on
 * `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD when the runtime has it). A training step is
 * `optimizer.minimize` on a batch already on the backend, then the loss read back.
 */
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { createRequire } from 'node:module'
import path from 'node:path'

/** A tfjs MLP bound to one backend, with its batches, ready to step. */
export interface TfTrainer {
  readonly backend: string
  /** One epoch: one `minimize` per batch; returns the mean loss. */
  readonly epoch: () => number
  readonly dispose: () => void
}

let wasmReady = false

/** Switches tfjs to `backend` (initialising wasm from the package's own binaries the first time). */
export const useBackend = async (backend: 'cpu' | 'wasm'): Promise<void> => {
  if (backend === 'wasm' && !wasmReady) {
    const require = createRequire(import.meta.url)
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))
    setWasmPaths(dir + path.sep)
    wasmReady = true
  }
  tf.env().set('IS_TEST', false)
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} failed to initialise`)
  await tf.ready()
}

/**
 * A trainer on the current backend: weights from the given arrays (W row-major [in, out]), the
 * samples `xs` (n by nIn) cut into batches of `batch` rows in the order of `perm`.
 */
export const tfTrainer = (
  weights: { readonly w1: ArrayLike<number>; readonly b1: ArrayLike<number>; readonly w2: ArrayLike<number>; readonly b2: ArrayLike<number> },
  sizes: { readonly nIn: number; readonly nHidden: number; readonly nOut: number },
  xs: Float64Array, ys: ArrayLike<number>, perm: readonly number[], batch: number, lr: number,
): TfTrainer => {
  const { nIn, nHidden, nOut } = sizes
  const w1 = tf.variable(tf.tensor2d(Float32Array.from(weights.w1), [nIn, nHidden]))
  const b1 = tf.variable(tf.tensor1d(Float32Array.from(weights.b1)))
  const w2 = tf.variable(tf.tensor2d(Float32Array.from(weights.w2), [nHidden, nOut]))
  const b2 = tf.variable(tf.tensor1d(Float32Array.from(weights.b2)))
  const batches: { x: tf.Tensor2D; y: tf.Tensor2D }[] = []
  for (let s = 0; s < perm.length; s += batch) {
    const b = Math.min(batch, perm.length - s)
    const xb = new Float32Array(b * nIn)
    const yb = new Float32Array(b * nOut)
    for (let i = 0; i < b; i++) {
      const r = perm[s + i]!
      for (let j = 0; j < nIn; j++) xb[i * nIn + j] = xs[r * nIn + j]!
      yb[i * nOut + ys[r]!] = 1
    }
    batches.push({ x: tf.tensor2d(xb, [b, nIn]), y: tf.tensor2d(yb, [b, nOut]) })
  }
  const opt = tf.train.sgd(lr)
  const backend = tf.getBackend()
  return {
    backend,
    epoch: () => {
      let total = 0
      for (const { x, y } of batches) {
        const cost = opt.minimize(() => {
          const h = tf.relu(tf.add(tf.matMul(x, w1), b1))
          const logits = tf.add(tf.matMul(h, w2), b2)
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar
        }, true)
        if (cost === null) throw new Error('tfjs: minimize returned no cost')
        total += cost.dataSync()[0]!
        cost.dispose()
      }
      return total / batches.length
    },
    dispose: () => {
      for (const { x, y } of batches) {
        x.dispose()
        y.dispose()
      }
      for (const v of [w1, b1, w2, b2]) v.dispose()
      opt.dispose()
    },
  }
}
