/**
 * The Wasm matrix product keeps its copy of an operand that the open scope promises unchanged
 * (`kernels/unchanged.ts`) and reads it in the scope's later products instead of copying the
 * array again. A copy is read only in the scope that made it, and no product of the scope writes
 * over it: each check below fails when the kernels key the kept copy by the array (or its place in
 * the scope's list) alone, or lay a product's operands over the kept copy.
 */
import { describe, expect, it } from 'vitest'
import { withUnchanged } from '../src/kernels/unchanged.js'
import { detectSimd } from '../src/kernels/wasm/detect.js'
import { makeWasmKernels, THREAD_THRESHOLD, type WasmKernels } from '../src/kernels/wasm/kernels.js'

const simd = detectSimd()

/** Deterministic entries in [-10, 10). */
const entries = (n: number, seed: number): Float64Array => {
  let s = seed >>> 0
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s / 2 ** 32) * 20 - 10
  })
}

const bits = (a: Float64Array): number[] => Array.from(a)

/** `A B` (A m by k) and `Aᵀ C` (C m by n, the weight gradient's layout) on `threads` threads. */
const nn = (w: WasmKernels, a: Float64Array, b: Float64Array, m: number, k: number, n: number, threads: number): Float64Array =>
  w.gemm(a, k, 1, b, n, 1, m, k, n, threads)
const tn = (w: WasmKernels, a: Float64Array, c: Float64Array, m: number, k: number, n: number, threads: number): Float64Array =>
  w.gemm(a, 1, k, c, n, 1, k, m, n, threads)

describe.runIf(simd !== 'none')('a Wasm operand kept for the length of a call', () => {
  const w = makeWasmKernels(simd === 'none' ? 'simd128' : simd)
  // 64 x 48 by 48 x 40 products: above the Wasm kernels' smallest size, on one thread
  const [m, k, n] = [64, 48, 40]

  it('gives the bits of copying every time, forward and back, with other products in between', () => {
    const x = entries(m * k, 1)
    const wt = entries(k * n, 2)
    const dy = entries(m * n, 3)
    // another product of the call, larger than x: its operands must not go over the kept copy
    const big = entries(96 * 80, 4)
    const big2 = entries(80 * 70, 5)
    const want = [nn(w, x, wt, m, k, n, 1), nn(w, big, big2, 96, 80, 70, 1), tn(w, x, dy, m, k, n, 1)]
    const got = withUnchanged([x], () => [nn(w, x, wt, m, k, n, 1), nn(w, big, big2, 96, 80, 70, 1), tn(w, x, dy, m, k, n, 1)])
    expect(got.map(bits)).toEqual(want.map(bits))
  })

  it('never reads a copy made in an earlier call, though the array is the same and written between the calls', () => {
    const x = entries(m * k, 6)
    const wt = entries(k * n, 7)
    withUnchanged([x], () => nn(w, x, wt, m, k, n, 1))
    x.set(entries(m * k, 8)) // the training loop gathers the next batch into the same array
    const want = nn(w, x, wt, m, k, n, 1)
    expect(bits(withUnchanged([x], () => nn(w, x, wt, m, k, n, 1)))).toEqual(bits(want))
    // and outside any call, the array is read as it is now
    x.set(entries(m * k, 9))
    const now = nn(w, x, wt, m, k, n, 1)
    x.set(entries(m * k, 9))
    expect(bits(nn(w, x, wt, m, k, n, 1))).toEqual(bits(now))
  })

  it("reads the outer call's array again after an inner call kept another one in the same place", () => {
    const x = entries(m * k, 10)
    const z = entries(m * k, 11)
    const wt = entries(k * n, 12)
    const want = [nn(w, x, wt, m, k, n, 1), nn(w, z, wt, m, k, n, 1)]
    const got = withUnchanged([x], () => {
      nn(w, x, wt, m, k, n, 1)
      const inner = withUnchanged([z], () => nn(w, z, wt, m, k, n, 1))
      return [nn(w, x, wt, m, k, n, 1), inner]
    })
    expect(got.map(bits)).toEqual(want.map(bits))
  })

  it('keeps one array at a time: the second of two unchanged operands, then the first again', () => {
    const x = entries(m * k, 13)
    const z = entries(m * k, 14)
    const wt = entries(k * n, 15)
    const want = [nn(w, x, wt, m, k, n, 1), nn(w, z, wt, m, k, n, 1), nn(w, x, wt, m, k, n, 1)]
    const got = withUnchanged([x, z], () => [nn(w, x, wt, m, k, n, 1), nn(w, z, wt, m, k, n, 1), nn(w, x, wt, m, k, n, 1)])
    expect(got.map(bits)).toEqual(want.map(bits))
  })

  it('gives the bits of one thread when the products are split across two', async () => {
    // 128 x 144 by 144 x 128: above the threads' threshold
    const [m2, k2, n2] = [128, 144, 128]
    expect(m2 * k2 * n2).toBeGreaterThanOrEqual(THREAD_THRESHOLD)
    const x = entries(m2 * k2, 16)
    const wt = entries(k2 * n2, 17)
    const dy = entries(m2 * n2, 18)
    const want = [nn(w, x, wt, m2, k2, n2, 1), tn(w, x, dy, m2, k2, n2, 1)]
    // the workers start asynchronously: products before they are ready run on the caller alone
    for (let i = 0; i < 100 && (w.pool()?.ready() ?? 0) < 1; i++) {
      nn(w, x, wt, m2, k2, n2, 2)
      await new Promise((r) => setTimeout(r, 20))
    }
    const before = w.pool()?.stats().chunks ?? 0
    for (let round = 0; round < 3; round++) {
      const got = withUnchanged([x], () => [nn(w, x, wt, m2, k2, n2, 2), tn(w, x, dy, m2, k2, n2, 2)])
      expect(got.map(bits)).toEqual(want.map(bits))
      x.set(entries(m2 * k2, 19 + round))
      want.splice(0, 2, nn(w, x, wt, m2, k2, n2, 1), tn(w, x, dy, m2, k2, n2, 1))
    }
    if (w.heap.shared) expect(w.pool()!.stats().chunks).toBeGreaterThan(before)
  })
})
