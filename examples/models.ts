/**
 * Models written as code: each is an ordinary function of its parameters and input, written once
 * against the tensor algebra, and runs plainly, in forward mode, in reverse mode and nested. A
 * residual block, an MLP with skip connections, a small multi-head attention block, and the
 * two-layer tanh MLP whose exact Hessian the tests compare with PyTorch's.
 *
 * Run it: `npx tsx examples/models.ts`.
 */
import { pathToFileURL } from 'node:url'
import * as Program from '../src/program/index.js'
import type { Algebra } from '../src/program/index.js'
import type { Tensor } from '../src/Tensor.js'
import { fromData } from '../src/Tensor.js'

/** `x + W2 relu(W1 x + b1) + b2`: the residual block. */
export const residualBlock = <T>(A: Algebra<T>) => (p: { w1: T; b1: T; w2: T; b2: T }, x: T): T =>
  A.add(x, A.add(A.matmul(A.relu(A.add(A.matmul(x, p.w1), p.b1)), p.w2), p.b2))

/** An MLP whose second layer adds its input back and whose output layer also sees the input. */
export const skipMlp = <T>(A: Algebra<T>) => (p: { w1: T; b1: T; w2: T; b2: T; w3: T; b3: T }, x: T): T => {
  const h1 = A.tanh(A.add(A.matmul(x, p.w1), p.b1))
  const h2 = A.add(h1, A.tanh(A.add(A.matmul(h1, p.w2), p.b2)))
  return A.add(A.matmul(A.concat([h2, x], -1), p.w3), p.b3)
}

/** Multi-head self-attention, `softmax(Q Kᵀ / sqrt(d)) V` per head, on `x` of shape `[batch, seq, d]`. */
export const attention =
  (heads: number) =>
  <T>(A: Algebra<T>) =>
  (p: { wq: T; wk: T; wv: T; wo: T }, x: T): T => {
    const [b, s, d] = A.shape(x) as [number, number, number]
    const split = (y: T) => A.transpose(A.reshape(y, [b, s, heads, d / heads]), [0, 2, 1, 3]) // [b, h, s, d/h]
    const [q, k, v] = [split(A.matmul(x, p.wq)), split(A.matmul(x, p.wk)), split(A.matmul(x, p.wv))]
    const weights = A.softmax(A.scale(A.matmul(q, A.transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(d / heads)))
    return A.matmul(A.reshape(A.transpose(A.matmul(weights, v), [0, 2, 1, 3]), [b, s, d]), p.wo)
  }

/** The two-layer tanh MLP's loss as a function of its first weight matrix (the rest fixed). */
export const tanhMlpLoss = <T>(A: Algebra<T>) => (w1: T, rest: { b1: T; w2: T; b2: T }, x: T, y: T): T =>
  A.mse(A.add(A.matmul(A.tanh(A.add(A.matmul(x, w1), rest.b1)), rest.w2), rest.b2), y)

/** Deterministic example inputs of a given shape. */
export const filled = (shape: readonly number[], seed: number): Tensor =>
  fromData(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7.1 + i * 1.3) * 0.5))

/** Prints a gradient and an exact Hessian-vector product of each model. */
export const main = (): void => {
  const x = filled([4, 3], 1)
  const p = { w1: filled([3, 5], 2), b1: filled([5], 3), w2: filled([5, 3], 4), b2: filled([3], 5) }
  const g = Program.grad(<T>(A: Algebra<T>) => (q: { w1: T; b1: T; w2: T; b2: T }, x: T) => A.sum(A.square(residualBlock(A)(q, x))))(p, x)
  console.log('residual block, gradient of w1:', g.w1.shape)
  const w1 = filled([3, 5], 2)
  const rest = { b1: filled([5], 3), w2: filled([5, 2], 4), b2: filled([2], 5) }
  const H = Program.hessian(tanhMlpLoss)(w1, rest, x, filled([4, 2], 6))
  console.log('two-layer tanh MLP, Hessian in W1:', H.shape)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main()
