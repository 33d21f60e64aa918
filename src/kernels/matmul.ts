/**
 * Matrix multiplication kernels on row-major `Float64Array`s: `A B`, `Aᵀ B` and `A Bᵀ`.
 *
 * All three forms run the same 4x4 register-tiled micro-kernel on packed panels, so the
 * transposed forms cost the same as the plain one (no strided inner loops). The loops are
 * blocked for the cache as in GotoBLAS: a block of `KC` rows of `op(B)` by `NC` columns is packed
 * into 4-column panels (it stays in L2), a sliver of 4 rows of `op(A)` by `KC` is packed
 * interleaved (it stays in L1), and the micro-kernel streams one panel against the sliver with
 * 16 accumulators (on x64, V8 keeps about half of them in registers and spills the rest). Edges
 * are zero-padded in the packs, so any size works, including 0 and sizes that are not multiples
 * of 4.
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array } from '../Tensor.js'
import { activeThreads, activeWasm, wasmForced } from './backend.js'

const KC = 256
const NC = 128
// Below this many multiply-adds a plain loop beats packing.
const SMALL = 4096

// Scratch buffers for the packs, reused across calls (single-threaded, no callbacks inside,
// never visible to callers).
const packA = new Float64Array(4 * KC)
const packB = new Float64Array(KC * NC)
const edge = new Float64Array(16)

/**
 * `C = op(A) op(B)` on the active backend: the Wasm kernels for products large enough to pay
 * for copying into Wasm memory (not matrix-vector products), or for every product when Wasm is
 * forced; else {@link gemmJs}.
 */
const gemm = (
  a: ReadonlyFloat64Array, aRow: number, aCol: number,
  b: ReadonlyFloat64Array, bRow: number, bCol: number,
  m: number, k: number, n: number,
): Float64Array => {
  const w = activeWasm()
  return w !== undefined && (wasmForced() || (m > 1 && n > 1 && m * n * k > SMALL))
    ? w.gemm(a as ArrayLike<number>, aRow, aCol, b as ArrayLike<number>, bRow, bCol, m, k, n, activeThreads())
    : gemmJs(a, aRow, aCol, b, bRow, bCol, m, k, n)
}

/**
 * The JavaScript kernel, the reference for the Wasm one: `C = op(A) op(B)` with
 * `op(A)[i, p] = a[i * aRow + p * aCol]` (m by k) and `op(B)[p, j] = b[p * bRow + j * bCol]`
 * (k by n); returns a fresh m by n row-major array.
 *
 * @example
 * ```ts
 * gemmJs(Float64Array.of(1, 2), 2, 1, Float64Array.of(3, 4), 1, 1, 1, 2, 1) // [11]
 * ```
 * @category kernels
 */
export const gemmJs = (
  a: ReadonlyFloat64Array, aRow: number, aCol: number,
  b: ReadonlyFloat64Array, bRow: number, bCol: number,
  m: number, k: number, n: number,
): Float64Array => {
  const c = new Float64Array(m * n)
  if (m === 0 || n === 0 || k === 0) return c
  if (n === 1) return matvec(a, aRow, aCol, b, bRow, m, k, c)
  if (m === 1) return matvec(b, bCol, bRow, a, aCol, n, k, c)
  if (m * n * k <= SMALL) {
    for (let i = 0; i < m; i++)
      for (let p = 0; p < k; p++) {
        const x = a[i * aRow + p * aCol]!
        const bo = p * bRow
        const co = i * n
        for (let j = 0; j < n; j++) c[co + j] = c[co + j]! + x * b[bo + j * bCol]!
      }
    return c
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc)
    const panels = (nc + 3) >> 2
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc)
      packPanels(b, bRow, bCol, pc, kc, jc, nc)
      for (let ic = 0; ic < m; ic += 4) {
        const mr = Math.min(4, m - ic)
        packSliver(a, aRow, aCol, ic, mr, pc, kc)
        for (let q = 0; q < panels; q++) {
          const j = jc + 4 * q
          micro(q * kc * 4, kc, c, ic * n + j, n, mr, Math.min(4, n - j))
        }
      }
    }
  }
  return c
}

/**
 * `c = op(A) v` for op(A) m by k (`a[i * aRow + p * aCol]`) and `v[p * vStep]`: a matrix-vector
 * product (also the vector-matrix product, read transposed). Runs along whichever of A's
 * strides is 1, so both layouts stream through memory.
 */
const matvec = (
  a: ReadonlyFloat64Array, aRow: number, aCol: number, v: ReadonlyFloat64Array, vStep: number,
  m: number, k: number, c: Float64Array,
): Float64Array => {
  if (aCol === 1) {
    for (let i = 0; i < m; i++) {
      const r = i * aRow
      let s0 = 0
      let s1 = 0
      let p = 0
      for (; p + 1 < k; p += 2) {
        s0 += a[r + p]! * v[p * vStep]!
        s1 += a[r + p + 1]! * v[(p + 1) * vStep]!
      }
      if (p < k) s0 += a[r + p]! * v[p * vStep]!
      c[i] = s0 + s1
    }
    return c
  }
  for (let p = 0; p < k; p++) {
    const x = v[p * vStep]!
    const r = p * aCol
    for (let i = 0; i < m; i++) c[i] = c[i]! + a[r + i * aRow]! * x
  }
  return c
}

/** Packs rows `ic .. ic+mr` of op(A), columns `pc .. pc+kc`, interleaved: (p, r) at `4p + r`. */
const packSliver = (
  a: ReadonlyFloat64Array, aRow: number, aCol: number, ic: number, mr: number, pc: number, kc: number,
): void => {
  const dst = packA
  if (mr === 4) {
    let s0 = ic * aRow + pc * aCol
    let s1 = s0 + aRow
    let s2 = s1 + aRow
    let s3 = s2 + aRow
    for (let p = 0, d = 0; p < kc; p++, d += 4, s0 += aCol, s1 += aCol, s2 += aCol, s3 += aCol) {
      dst[d] = a[s0]!
      dst[d + 1] = a[s1]!
      dst[d + 2] = a[s2]!
      dst[d + 3] = a[s3]!
    }
    return
  }
  for (let p = 0; p < kc; p++)
    for (let r = 0; r < 4; r++) dst[4 * p + r] = r < mr ? a[(ic + r) * aRow + (pc + p) * aCol]! : 0
}

/** Packs op(B) rows `pc .. pc+kc`, columns `jc .. jc+nc`, as 4-column panels: panel q, (p, r) at `4 kc q + 4p + r`. */
const packPanels = (
  b: ReadonlyFloat64Array, bRow: number, bCol: number, pc: number, kc: number, jc: number, nc: number,
): void => {
  const dst = packB
  for (let j = 0, d = 0; j < nc; j += 4) {
    if (j + 4 <= nc) {
      let s = pc * bRow + (jc + j) * bCol
      const c1 = bCol
      const c2 = 2 * bCol
      const c3 = 3 * bCol
      for (let p = 0; p < kc; p++, d += 4, s += bRow) {
        dst[d] = b[s]!
        dst[d + 1] = b[s + c1]!
        dst[d + 2] = b[s + c2]!
        dst[d + 3] = b[s + c3]!
      }
    } else {
      for (let p = 0; p < kc; p++, d += 4)
        for (let r = 0; r < 4; r++) dst[d + r] = j + r < nc ? b[(pc + p) * bRow + (jc + j + r) * bCol]! : 0
    }
  }
}

/**
 * Adds the 4x4 product of the packed sliver (`packA`) and the packed panel at `bOff` in `packB` into
 * `c` at `o` (row stride `ldc`), keeping `mr` rows and `nr` columns. It reads the module's pack
 * buffers directly rather than taking them as arguments: V8 then knows their address and length
 * as constants and drops the per-iteration map checks and pointer reloads (about 15% faster).
 */
const micro = (
  bOff: number, kc: number,
  c: Float64Array, o: number, ldc: number, mr: number, nr: number,
): void => {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0
  const end = 4 * kc
  for (let i = 0, j = bOff; i < end; i += 4, j += 4) {
    const b0 = packB[j]!, b1 = packB[j + 1]!, b2 = packB[j + 2]!, b3 = packB[j + 3]!
    let x = packA[i]!
    c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3
    x = packA[i + 1]!
    c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3
    x = packA[i + 2]!
    c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3
    x = packA[i + 3]!
    c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3
  }
  if (mr === 4 && nr === 4) {
    c[o] = c[o]! + c00; c[o + 1] = c[o + 1]! + c01; c[o + 2] = c[o + 2]! + c02; c[o + 3] = c[o + 3]! + c03
    o += ldc
    c[o] = c[o]! + c10; c[o + 1] = c[o + 1]! + c11; c[o + 2] = c[o + 2]! + c12; c[o + 3] = c[o + 3]! + c13
    o += ldc
    c[o] = c[o]! + c20; c[o + 1] = c[o + 1]! + c21; c[o + 2] = c[o + 2]! + c22; c[o + 3] = c[o + 3]! + c23
    o += ldc
    c[o] = c[o]! + c30; c[o + 1] = c[o + 1]! + c31; c[o + 2] = c[o + 2]! + c32; c[o + 3] = c[o + 3]! + c33
    return
  }
  const e = edge
  e[0] = c00; e[1] = c01; e[2] = c02; e[3] = c03; e[4] = c10; e[5] = c11; e[6] = c12; e[7] = c13
  e[8] = c20; e[9] = c21; e[10] = c22; e[11] = c23; e[12] = c30; e[13] = c31; e[14] = c32; e[15] = c33
  for (let r = 0; r < mr; r++) for (let s = 0; s < nr; s++) c[o + r * ldc + s] = c[o + r * ldc + s]! + e[4 * r + s]!
}

/**
 * `A B` for row-major `A` (m by k) and `B` (k by n); a fresh m by n row-major array.
 *
 * @example
 * ```ts
 * matmulNN(Float64Array.of(1, 2), Float64Array.of(3, 4), 1, 2, 1) // [11]
 * ```
 * @category kernels
 */
export const matmulNN = (a: ReadonlyFloat64Array, b: ReadonlyFloat64Array, m: number, k: number, n: number): Float64Array =>
  gemm(a, k, 1, b, n, 1, m, k, n)

/**
 * `Aᵀ B` for row-major `A` stored k by m and `B` k by n; a fresh m by n row-major array. This is
 * the weight gradient `xᵀ g` of a dense layer. Same speed as {@link matmulNN}.
 *
 * @example
 * ```ts
 * matmulTN(Float64Array.of(1, 2), Float64Array.of(3, 4), 2, 1, 2) // [3, 4, 6, 8]
 * ```
 * @category kernels
 */
export const matmulTN = (a: ReadonlyFloat64Array, b: ReadonlyFloat64Array, m: number, k: number, n: number): Float64Array =>
  gemm(a, 1, m, b, n, 1, m, k, n)

/**
 * `A Bᵀ` for row-major `A` (m by k) and `B` stored n by k; a fresh m by n row-major array. This is
 * the input gradient `g Wᵀ` of a dense layer. Same speed as {@link matmulNN}.
 *
 * @example
 * ```ts
 * matmulNT(Float64Array.of(1, 2), Float64Array.of(3, 4), 1, 2, 1) // [11]
 * ```
 * @category kernels
 */
export const matmulNT = (a: ReadonlyFloat64Array, b: ReadonlyFloat64Array, m: number, k: number, n: number): Float64Array =>
  gemm(a, k, 1, b, 1, k, m, k, n)
