/**
 * The hand-written baseline of the training benchmark: the 784-128-10 ReLU MLP trained by SGD on
 * softmax cross-entropy, forward and backward written out by hand on `Float64Array`s, with a
 * cache-blocked, register-tiled matmul and the weights updated in place. This is what a careful user would write
 * without a library; the library's `fit` is measured against it.
 */

/** Weights of the hand-written MLP, updated in place. W row-major [in, out]. */
export interface HandNet {
  readonly w1: Float64Array
  readonly b1: Float64Array
  readonly w2: Float64Array
  readonly b2: Float64Array
  readonly nIn: number
  readonly nHidden: number
  readonly nOut: number
}

const KC = 256

/**
 * `C += op(A) op(B)` with `op(A)[i, p] = a[i * aRow + p * aCol]` (m by k) and
 * `op(B)[p, j] = b[p * bRow + j * bCol]` (k by n), C row-major m by n: blocked over k for the
 * cache, and 4 by 4 register tiles (16 accumulators) inside, the edges by plain loops. No
 * packing: what a careful hand-writer does in an afternoon.
 */
const gemmAdd = (
  a: Float64Array, aRow: number, aCol: number,
  b: Float64Array, bRow: number, bCol: number,
  c: Float64Array, m: number, k: number, n: number,
): void => {
  const m4 = m - (m % 4)
  const n4 = n - (n % 4)
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = Math.min(k, p0 + KC)
    for (let i = 0; i < m4; i += 4) {
      for (let j = 0; j < n4; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0
        let ao = i * aRow + p0 * aCol
        let bo = p0 * bRow + j * bCol
        for (let p = p0; p < p1; p++, ao += aCol, bo += bRow) {
          const a0 = a[ao]!, a1 = a[ao + aRow]!, a2 = a[ao + 2 * aRow]!, a3 = a[ao + 3 * aRow]!
          const b0 = b[bo]!, b1 = b[bo + bCol]!, b2 = b[bo + 2 * bCol]!, b3 = b[bo + 3 * bCol]!
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
        }
        let o = i * n + j
        c[o] = c[o]! + c00; c[o + 1] = c[o + 1]! + c01; c[o + 2] = c[o + 2]! + c02; c[o + 3] = c[o + 3]! + c03
        o += n
        c[o] = c[o]! + c10; c[o + 1] = c[o + 1]! + c11; c[o + 2] = c[o + 2]! + c12; c[o + 3] = c[o + 3]! + c13
        o += n
        c[o] = c[o]! + c20; c[o + 1] = c[o + 1]! + c21; c[o + 2] = c[o + 2]! + c22; c[o + 3] = c[o + 3]! + c23
        o += n
        c[o] = c[o]! + c30; c[o + 1] = c[o + 1]! + c31; c[o + 2] = c[o + 2]! + c32; c[o + 3] = c[o + 3]! + c33
      }
    }
    // edges: the rows below m4 (all columns) and the columns right of n4 (rows above m4)
    for (let i = 0; i < m; i++)
      for (let j = i < m4 ? n4 : 0; j < n; j++) {
        let s = 0
        for (let p = p0; p < p1; p++) s += a[i * aRow + p * aCol]! * b[p * bRow + j * bCol]!
        c[i * n + j] = c[i * n + j]! + s
      }
  }
}

/** C += A B, A m by k, B k by n, row-major. */
const matmulAdd = (a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void =>
  gemmAdd(a, k, 1, b, n, 1, c, m, k, n)

/** C += Aᵀ B, A stored k by m (so Aᵀ is m by k), B k by n. */
const matmulTAdd = (a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void =>
  gemmAdd(a, 1, m, b, n, 1, c, m, k, n)

/** A network with the given weights (copied). */
export const handNet = (
  w1: ArrayLike<number>, b1: ArrayLike<number>, w2: ArrayLike<number>, b2: ArrayLike<number>,
  nIn: number, nHidden: number, nOut: number,
): HandNet => ({
  w1: Float64Array.from(w1), b1: Float64Array.from(b1), w2: Float64Array.from(w2), b2: Float64Array.from(b2),
  nIn, nHidden, nOut,
})

/**
 * One SGD step on a batch: `x` is batch by nIn row-major, `y` the class labels. Updates the
 * weights in place and returns the mean softmax cross-entropy before the update.
 */
export const handStep = (net: HandNet, x: Float64Array, y: ArrayLike<number>, batch: number, lr: number): number => {
  const { w1, b1, w2, b2, nIn, nHidden: H, nOut: K } = net
  // forward
  const h = new Float64Array(batch * H)
  for (let i = 0; i < batch; i++) h.set(b1, i * H)
  matmulAdd(x, w1, h, batch, nIn, H)
  for (let i = 0; i < h.length; i++) if (h[i]! < 0) h[i] = 0
  const z = new Float64Array(batch * K)
  for (let i = 0; i < batch; i++) z.set(b2, i * K)
  matmulAdd(h, w2, z, batch, H, K)
  // softmax cross-entropy and its gradient (p - onehot) / batch, in place in z
  let loss = 0
  for (let i = 0; i < batch; i++) {
    const o = i * K
    let mx = -Infinity
    for (let j = 0; j < K; j++) if (z[o + j]! > mx) mx = z[o + j]!
    let s = 0
    for (let j = 0; j < K; j++) s += Math.exp(z[o + j]! - mx)
    const lse = mx + Math.log(s)
    const label = y[i]!
    loss += lse - z[o + label]!
    for (let j = 0; j < K; j++) z[o + j] = (Math.exp(z[o + j]! - lse) - (j === label ? 1 : 0)) / batch
  }
  // backward
  const dw2 = new Float64Array(H * K)
  matmulTAdd(h, z, dw2, H, batch, K)
  const db2 = new Float64Array(K)
  for (let i = 0; i < batch; i++) for (let j = 0; j < K; j++) db2[j] = db2[j]! + z[i * K + j]!
  const dh = new Float64Array(batch * H)
  for (let i = 0; i < batch; i++)
    for (let p = 0; p < H; p++) {
      if (h[i * H + p] === 0) continue
      let s = 0
      for (let j = 0; j < K; j++) s += z[i * K + j]! * w2[p * K + j]!
      dh[i * H + p] = s
    }
  const dw1 = new Float64Array(nIn * H)
  matmulTAdd(x, dh, dw1, nIn, batch, H)
  const db1 = new Float64Array(H)
  for (let i = 0; i < batch; i++) for (let p = 0; p < H; p++) db1[p] = db1[p]! + dh[i * H + p]!
  // SGD
  for (let i = 0; i < w1.length; i++) w1[i] = w1[i]! - lr * dw1[i]!
  for (let i = 0; i < H; i++) b1[i] = b1[i]! - lr * db1[i]!
  for (let i = 0; i < w2.length; i++) w2[i] = w2[i]! - lr * dw2[i]!
  for (let i = 0; i < K; i++) b2[i] = b2[i]! - lr * db2[i]!
  return loss / batch
}

/**
 * One epoch over `n` samples (`xs` n by nIn, `ys` labels) in the order of `perm`, in batches of
 * `batch` (the last one smaller): gathers each batch's rows, then {@link handStep}. Returns the
 * mean loss over the batches.
 */
export const handEpoch = (
  net: HandNet, xs: Float64Array, ys: ArrayLike<number>, perm: readonly number[], batch: number, lr: number,
): number => {
  const n = perm.length
  const d = net.nIn
  let total = 0
  let steps = 0
  for (let s = 0; s < n; s += batch) {
    const b = Math.min(batch, n - s)
    const xb = new Float64Array(b * d)
    const yb = new Int32Array(b)
    for (let i = 0; i < b; i++) {
      const r = perm[s + i]!
      xb.set(xs.subarray(r * d, r * d + d), i * d)
      yb[i] = ys[r]!
    }
    total += handStep(net, xb, yb, b, lr)
    steps++
  }
  return total / steps
}
