/**
 * matmul 256 x 256 x 256 in float64, in the three forms a dense layer needs (A B forward,
 * Aᵀ B and A Bᵀ in the pullback), each against a hand-written 4x4 register-tiled loop on
 * `Float64Array` for the same form, in the same process.
 */
import { compare, lcg, ratio, type Figure, type Suite } from '../harness.js'
import { matmul } from '../../src/ops/linalg.js'
import { matmulNT, matmulTN } from '../../src/kernels/matmul.js'
import { wrap } from '../../src/Tensor.js'

const N = 256

/**
 * The baseline: C = op(A) op(B) with a 4x4 block of C in 16 local accumulators, the k loop
 * innermost, reading A and B where they lie (no packing). `ta`/`tb` select the transposed forms;
 * sizes are multiples of 4 here.
 */
export const tiledNN = (a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array => {
  const c = new Float64Array(m * n)
  for (let i = 0; i < m; i += 4) {
    const r0 = i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k
    for (let j = 0; j < n; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0
      for (let p = 0; p < k; p++) {
        const a0 = a[r0 + p]!, a1 = a[r1 + p]!, a2 = a[r2 + p]!, a3 = a[r3 + p]!
        const q = p * n + j
        const b0 = b[q]!, b1 = b[q + 1]!, b2 = b[q + 2]!, b3 = b[q + 3]!
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
      }
      let o = i * n + j
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n
      c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33
    }
  }
  return c
}

/** Aᵀ B with A stored k by m: per p, four contiguous elements of row p of A and of B. */
export const tiledTN = (a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array => {
  const c = new Float64Array(m * n)
  for (let i = 0; i < m; i += 4) {
    for (let j = 0; j < n; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0
      for (let p = 0; p < k; p++) {
        const s = p * m + i
        const a0 = a[s]!, a1 = a[s + 1]!, a2 = a[s + 2]!, a3 = a[s + 3]!
        const q = p * n + j
        const b0 = b[q]!, b1 = b[q + 1]!, b2 = b[q + 2]!, b3 = b[q + 3]!
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
      }
      let o = i * n + j
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n
      c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33
    }
  }
  return c
}

/** A Bᵀ with B stored n by k: per p, one element of each of four rows of A and of B. */
export const tiledNT = (a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array => {
  const c = new Float64Array(m * n)
  for (let i = 0; i < m; i += 4) {
    const r0 = i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k
    for (let j = 0; j < n; j += 4) {
      const s0 = j * k, s1 = s0 + k, s2 = s1 + k, s3 = s2 + k
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0
      for (let p = 0; p < k; p++) {
        const a0 = a[r0 + p]!, a1 = a[r1 + p]!, a2 = a[r2 + p]!, a3 = a[r3 + p]!
        const b0 = b[s0 + p]!, b1 = b[s1 + p]!, b2 = b[s2 + p]!, b3 = b[s3 + p]!
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
      }
      let o = i * n + j
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n
      c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33
    }
  }
  return c
}

const maxDiff = (x: Float64Array, y: Float64Array): number => {
  let d = 0
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!))
  return d
}

/** The suite: three forms, ours against the baseline, GFLOP/s and ratios. */
export const suite: Suite = {
  name: 'matmul 256x256x256 float64',
  run: () => {
    const rand = lcg(1)
    const a = Float64Array.from({ length: N * N }, rand)
    const b = Float64Array.from({ length: N * N }, rand)
    const A = wrap([N, N], a)
    const B = wrap([N, N], b)
    // same results first (up to rounding: the sums are taken in the same order)
    const checks = [
      maxDiff(matmul.apply([A, B]).data as Float64Array, tiledNN(a, b, N, N, N)),
      maxDiff(matmulTN(a, b, N, N, N), tiledTN(a, b, N, N, N)),
      maxDiff(matmulNT(a, b, N, N, N), tiledNT(a, b, N, N, N)),
    ]
    if (checks.some((d) => !(d < 1e-9))) throw new Error(`matmul bench: results differ from the baseline by ${checks.join(', ')}`)
    const fns = {
      ours: () => matmul.apply([A, B]),
      base: () => tiledNN(a, b, N, N, N),
      oursTN: () => matmulTN(a, b, N, N, N),
      baseTN: () => tiledTN(a, b, N, N, N),
      oursNT: () => matmulNT(a, b, N, N, N),
      baseNT: () => tiledNT(a, b, N, N, N),
    }
    const t = compare(fns, { rounds: 9, minMs: 60 })
    const c = compare(fns, { rounds: 9, minMs: 60, clock: 'cpu' })
    const gflops = (ms: number) => (2 * N * N * N) / (ms * 1e6)
    const figures: Figure[] = [
      { name: 'A B: ours (matmul op)', value: gflops(t.ours), unit: 'GFLOP/s' },
      { name: 'A B: hand-written 4x4 tiled loop', value: gflops(t.base), unit: 'GFLOP/s' },
      ratio('A B: ours / baseline speed (wall time)', t.base / t.ours, '>=', 0.9),
      { name: 'Aᵀ B: ours (matmulTN)', value: gflops(t.oursTN), unit: 'GFLOP/s' },
      { name: 'Aᵀ B: hand-written 4x4 tiled loop', value: gflops(t.baseTN), unit: 'GFLOP/s' },
      ratio('Aᵀ B: ours / baseline speed (wall time)', t.baseTN / t.oursTN, '>=', 0.9),
      { name: 'A Bᵀ: ours (matmulNT)', value: gflops(t.oursNT), unit: 'GFLOP/s' },
      { name: 'A Bᵀ: hand-written 4x4 tiled loop', value: gflops(t.baseNT), unit: 'GFLOP/s' },
      ratio('A Bᵀ: ours / baseline speed (wall time)', t.baseNT / t.oursNT, '>=', 0.9),
      { name: 'A B: ours, by CPU time', value: gflops(c.ours), unit: 'GFLOP/s' },
      ratio('A B: ours / baseline speed (CPU time)', c.base / c.ours, '>=', 0.9),
      ratio('Aᵀ B: ours / baseline speed (CPU time)', c.baseTN / c.oursTN, '>=', 0.9),
      ratio('A Bᵀ: ours / baseline speed (CPU time)', c.baseNT / c.oursNT, '>=', 0.9),
    ]
    return figures
  },
}
