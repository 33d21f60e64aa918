import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { matmulNN, matmulNT, matmulTN } from '../src/kernels/matmul.js'
import { broadcastData, broadcastPlan, sumToShape } from '../src/kernels/broadcast.js'
import { addRow, binaryBroadcast, divRow, mapBinary, maxRow, mulRow, selectK, subRow } from '../src/kernels/binary.js'
import { mapUnary, expK, logK } from '../src/kernels/unary.js'
import { sigmoidKernels } from '../src/activation/logistic.js'
import { reluKernels } from '../src/activation/piecewise.js'

const sigmoidK = sigmoidKernels.value
const reluK = reluKernels.value
import { logSumExpAxis, logSumExpBackAxis, maxAll, maxAxis, sumAll, sumAxis } from '../src/kernels/reduce.js'
import { permute, transpose2d } from '../src/kernels/transpose.js'
import { broadcastShapes, shapeSize, strides } from '../src/kernels/shape.js'
import { ShapeError } from '../src/ShapeError.js'
import type { Shape } from '../src/Tensor.js'
import { scalarPoint, scalarValue } from '../laws/index.js'

/**
 * n finite entries in [-10, 10], mostly spread evenly, one in five from fc.double (tiny values and
 * -0, which the maxima must order: see `scalarPoint`). fc.float64Array({ min, max }) alone draws
 * about 90% of its entries below 1e-10 in magnitude.
 */
const data = (n: number) =>
  fc.array(scalarPoint({ min: -10, max: 10 }), { minLength: n, maxLength: n }).map((xs) => Float64Array.from(xs))
// small and odd sizes; up to 40 so that many cases pass the 4096 multiply-add threshold of the tiled path
const dim = fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5), fc.integer({ min: 0, max: 40 }))

/** Reference matmul: the textbook triple loop on op(A), op(B). */
const naiveMatmul = (a: Float64Array, b: Float64Array, m: number, k: number, n: number, ta: boolean, tb: boolean) => {
  const c = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!)
      c[i * n + j] = s
    }
  return c
}

const expectClose = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number) => {
  expect(got.length).toBe(want.length)
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!
    const g = got[i]!
    if (Number.isNaN(w)) expect(g).toBeNaN()
    else if (!Number.isFinite(w)) expect(g).toBe(w)
    else expect(Math.abs(g - w)).toBeLessThanOrEqual(tol * (1 + Math.abs(w)))
  }
}

describe('matmul kernels against the triple loop', () => {
  const forms = [
    ['A B', matmulNN, false, false],
    ['Aᵀ B', matmulTN, true, false],
    ['A Bᵀ', matmulNT, false, true],
  ] as const
  for (const [name, f, ta, tb] of forms) {
    it(`${name}: small and odd sizes, 0 and 1 included (property)`, () => {
      fc.assert(
        fc.property(
          fc.tuple(dim, dim, dim).chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n] as const), data(m * k), data(k * n))),
          ([[m, k, n], a, b]) => {
            const c = f(a, b, m, k, n)
            expectClose(c, naiveMatmul(a, b, m, k, n, ta, tb), 1e-12)
          },
        ),
        { numRuns: 200 },
      )
    })
    it(`${name}: sizes past the cache blocks (KC = 256, NC = 128) and not multiples of 4`, () => {
      fc.assert(
        fc.property(
          fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 250, max: 530 }), fc.integer({ min: 120, max: 270 })),
          ([m, k, n]) => {
            const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i))
            const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7))
            expectClose(f(a, b, m, k, n), naiveMatmul(a, b, m, k, n, ta, tb), 1e-12)
          },
        ),
        { numRuns: 6 },
      )
    })
  }

  it('matrix-vector and vector-matrix shapes (n = 1, m = 1) in every form, past the small-size threshold', () => {
    for (const [m, k, n] of [[300, 600, 1], [1, 600, 300], [1, 5000, 1], [257, 33, 1], [1, 33, 257]] as const) {
      const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i * 1.3))
      const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.3))
      for (const [f, ta, tb] of forms.map(([, f, ta, tb]) => [f, ta, tb] as const))
        expectClose(f(a, b, m, k, n), naiveMatmul(a, b, m, k, n, ta, tb), 1e-12)
    }
  })

  it('leaves its inputs alone', () => {
    const a = Float64Array.from({ length: 300 * 20 }, (_, i) => i)
    const b = Float64Array.from({ length: 20 * 30 }, (_, i) => -i)
    const a0 = a.slice()
    const b0 = b.slice()
    matmulNN(a, b, 300, 20, 30)
    matmulTN(a, b.slice(0, 300 * 2), 20, 300, 2)
    expect(a).toEqual(a0)
    expect(b).toEqual(b0)
  })

  it('NaN and Infinity propagate as IEEE says', () => {
    // [1, NaN] . [[2], [3]] = NaN ; [Inf, 1] . [[0], [1]] = Inf * 0 + 1 = NaN ; [Inf, 1] . [[1], [1]] = Inf
    expect(matmulNN(Float64Array.of(1, NaN), Float64Array.of(2, 3), 1, 2, 1)[0]).toBeNaN()
    expect(matmulNN(Float64Array.of(Infinity, 1), Float64Array.of(0, 1), 1, 2, 1)[0]).toBeNaN()
    expect(matmulNN(Float64Array.of(Infinity, 1), Float64Array.of(1, 1), 1, 2, 1)[0]).toBe(Infinity)
    // the same through the tiled path
    const n = 64
    const a = new Float64Array(n * n).fill(1)
    a[5 * n + 7] = Infinity
    const c = matmulNN(a, new Float64Array(n * n).fill(1), n, n, n)
    expect(c[5 * n + 3]).toBe(Infinity)
    expect(c[4 * n + 3]).toBe(n)
  })
})

/** Reference broadcasting: index arithmetic per element. */
const naiveBroadcastIndex = (out: Shape, from: Shape, flat: number): number => {
  const os = strides(out)
  const fs = strides(from)
  const off = out.length - from.length
  let k = 0
  for (let d = 0; d < out.length; d++) {
    const i = Math.floor(flat / os[d]!) % out[d]!
    if (d >= off && from[d - off] !== 1) k += i * fs[d - off]!
  }
  return k
}

const shapePair = fc
  .array(fc.tuple(fc.constantFrom(1, 2, 3, 4), fc.constantFrom('both', 'a1', 'b1', 'a-', 'b-')), { maxLength: 4 })
  .map((axes) => {
    const a: number[] = []
    const b: number[] = []
    let aMissing = true
    let bMissing = true
    for (const [d, mode] of axes) {
      if (mode !== 'a-' || !aMissing) { aMissing = false; a.push(mode === 'a1' ? 1 : d) }
      if (mode !== 'b-' || !bMissing) { bMissing = false; b.push(mode === 'b1' ? 1 : d) }
    }
    return [a, b] as const
  })

describe('broadcasting kernels', () => {
  it('binary ops agree with per-element index arithmetic (property)', () => {
    fc.assert(
      fc.property(
        shapePair.chain(([as, bs]) => fc.tuple(fc.constant([as, bs] as const), data(shapeSize(as)), data(shapeSize(bs)))),
        ([[as, bs], a, b]) => {
          const shape = broadcastShapes(as, bs)!
          for (const [row, f] of [[addRow, (x: number, y: number) => x + y], [subRow, (x: number, y: number) => x - y],
            [mulRow, (x: number, y: number) => x * y], [divRow, (x: number, y: number) => x / y]] as const) {
            const [s, out] = binaryBroadcast('op', row, a, as, b, bs)
            expect(s).toEqual(shape)
            const want = Float64Array.from({ length: shapeSize(shape) }, (_, i) =>
              f(a[naiveBroadcastIndex(shape, as, i)]!, b[naiveBroadcastIndex(shape, bs, i)]!))
            expect(out).toEqual(want)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('broadcastData and sumToShape are adjoint: <B x, y> = <x, Bᵀ y> (property)', () => {
    fc.assert(
      fc.property(
        shapePair.chain(([as, bs]) => {
          const to = broadcastShapes(as, bs)!
          return fc.tuple(fc.constant([as, to] as const), data(shapeSize(as)), data(shapeSize(to)))
        }),
        ([[from, to], x, y]) => {
          const bx = broadcastData(x, from, to)
          const want = Float64Array.from({ length: shapeSize(to) }, (_, i) => x[naiveBroadcastIndex(to, from, i)]!)
          expect(bx).toEqual(want)
          const ty = sumToShape(y, to, from)
          let lhs = 0
          for (let i = 0; i < y.length; i++) lhs += bx[i]! * y[i]!
          let rhs = 0
          for (let i = 0; i < x.length; i++) rhs += x[i]! * ty[i]!
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(lhs)))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('sumToShape over whole rows adds each element in order of its place in the data, from 0: the bits of the naive loop (property)', () => {
    fc.assert(
      fc.property(
        shapePair.chain(([as, bs]) => {
          const to = broadcastShapes(as, bs)!
          return fc.tuple(fc.constant([as, to] as const), data(shapeSize(to)))
        }),
        ([[from, to], y]) => {
          // (a sum along rows, into one element each, runs two partial sums: another order)
          fc.pre(broadcastPlan('sumToShape', to, [from]).steps[0] === 1)
          const want = new Float64Array(shapeSize(from))
          for (let i = 0; i < y.length; i++) {
            const o = naiveBroadcastIndex(to, from, i)
            want[o] = want[o]! + y[i]!
          }
          expect(Array.from(sumToShape(y, to, from))).toEqual(Array.from(want))
        },
      ),
      { numRuns: 300 },
    )
    // a bias's gradient: rows in runs of four and a remainder, bit for bit
    const y = Float64Array.from({ length: 7 * 5 }, (_, i) => Math.sin(i) * 10 ** (i % 7))
    const want = new Float64Array(5)
    for (let r = 0; r < 7; r++) for (let j = 0; j < 5; j++) want[j] = want[j]! + y[r * 5 + j]!
    expect(Array.from(sumToShape(y, [7, 5], [5]))).toEqual(Array.from(want))
  })

  it('merges axes into long rows', () => {
    const p = broadcastPlan('add', [128, 128], [[128, 128], [128]])
    expect([p.rows, p.len]).toEqual([128, 128])
    const q = broadcastPlan('add', [2, 3, 4], [[2, 3, 4], [2, 3, 4]])
    expect([q.rows, q.len]).toEqual([1, 24])
    const r = broadcastPlan('add', [5, 6], [[5, 1], [5, 6]])
    expect([r.rows, r.len, r.steps]).toEqual([5, 6, [0, 1]])
  })

  it('throws ShapeError naming the op and both shapes before any arithmetic', () => {
    expect(() => binaryBroadcast('add', addRow, new Float64Array(3), [3], new Float64Array(4), [4])).toThrow(ShapeError)
    expect(() => binaryBroadcast('add', addRow, new Float64Array(3), [3], new Float64Array(4), [4])).toThrow(
      'add: shapes must broadcast (NumPy rules: equal dimensions or 1); got shapes [3] and [4]')
    expect(() => sumToShape(new Float64Array(6), [2, 3], [4])).toThrow(ShapeError)
  })

  it('empty shapes give empty results', () => {
    const [s, out] = binaryBroadcast('add', addRow, new Float64Array(0), [0, 3], new Float64Array(3), [3])
    expect(s).toEqual([0, 3])
    expect(out.length).toBe(0)
    expect(sumToShape(new Float64Array(0), [0, 3], [3])).toEqual(new Float64Array(3))
  })

  it('select takes values, never arithmetic: NaN and Infinity in the branch not taken do not leak', () => {
    const [s, out] = selectK(Float64Array.of(1, 0, 1), [3], Float64Array.of(1, NaN, Infinity), [3], Float64Array.of(NaN), [1])
    expect(s).toEqual([3])
    expect(Array.from(out)).toEqual([1, NaN, Infinity])
    const [, out2] = selectK(Float64Array.of(0, 0), [2], Float64Array.of(NaN, Infinity), [2], Float64Array.of(2, 3), [2])
    expect(Array.from(out2)).toEqual([2, 3])
  })

  it('generic fallbacks agree with the built-ins', () => {
    const a = Float64Array.of(-1, 0.5, 3)
    expect(mapUnary(a, Math.exp)).toEqual(expK(a))
    const [, m] = mapBinary('max', Math.max, a, [3], Float64Array.of(0), [1])
    expect(m).toEqual(binaryBroadcast('max', maxRow, a, [3], Float64Array.of(0), [1])[1])
  })

  it('IEEE special values flow through elementwise kernels', () => {
    const x = Float64Array.of(NaN, Infinity, -Infinity, 0, -0)
    expect(Array.from(expK(x))).toEqual([NaN, Infinity, 0, 1, 1])
    expect(Array.from(logK(x))).toEqual([NaN, Infinity, NaN, -Infinity, -Infinity])
    expect(Array.from(sigmoidK(x))).toEqual([NaN, 1, 0, 0.5, 0.5])
    expect(Array.from(reluK(x))).toEqual([NaN, Infinity, 0, 0, 0])
    expect(Array.from(sigmoidK(Float64Array.of(-1000, 1000)))).toEqual([0, 1])
    const [, d] = binaryBroadcast('div', divRow, Float64Array.of(1, -1, 0), [3], Float64Array.of(0), [1])
    expect(Array.from(d)).toEqual([Infinity, -Infinity, NaN])
  })

  it('sigmoid agrees with the two-branch stable form to a few ulps, in the subnormal tail too (property)', () => {
    // [-800, 800] mostly spread evenly, and one draw in four with 700 <= |v| <= 800: e^-|v| is
    // subnormal beyond |v| = 708.4 and 0 beyond 745.1, and 1 / (1 + e^-v) flushes to 0 on
    // (-745.1, -709.78), where this draws about 100 of the 2000 points (fc.double: none)
    const tail = fc.tuple(fc.boolean(), scalarValue({ min: 700, max: 800 })).map(([neg, m]) => (neg ? -m : m))
    const sigmoidPoints = fc.oneof({ weight: 3, arbitrary: scalarPoint({ min: -800, max: 800 }) }, { weight: 1, arbitrary: tail })
    fc.assert(
      fc.property(sigmoidPoints, (v) => {
        const got = sigmoidK(Float64Array.of(v))[0]!
        const e = Math.exp(-Math.abs(v))
        const want = v >= 0 ? 1 / (1 + e) : e / (1 + e)
        expect(Math.abs(got - want)).toBeLessThanOrEqual(4 * Number.EPSILON * want)
      }),
      { numRuns: 2000 },
    )
    // where e^-x overflows the result is still the subnormal e^x / (1 + e^x), not 0
    expect(sigmoidK(Float64Array.of(-709.7827128933841))[0]).toBe(Math.exp(-709.7827128933841))
    expect(sigmoidK(Float64Array.of(-740))[0]).toBeGreaterThan(0)
    expect(Array.from(sigmoidK(Float64Array.of(-746, 800, NaN)))).toEqual([0, 1, NaN])
  })

  it('sigmoid and relu pullback kernels', () => {
    const s = sigmoidK(Float64Array.of(0, 2))
    expectClose(sigmoidKernels.times(Float64Array.of(0, 2), undefined, Float64Array.of(1, 2)), [0.25, 2 * s[1]! * (1 - s[1]!)], 1e-15)
    expect(Array.from(reluKernels.times(Float64Array.of(-1, 0, 2, NaN), undefined, Float64Array.of(3, 3, 3, 3)))).toEqual([0, 0, 3, NaN])
  })
})

describe('reductions against reference loops', () => {
  const shapeAxis = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
    fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), data(shapeSize(shape))))

  const naiveAlong = (x: Float64Array, shape: number[], axis: number, init: number, f: (acc: number, v: number) => number) => {
    const outShape = shape.filter((_, d) => d !== axis)
    const out = new Float64Array(shapeSize(outShape)).fill(init)
    const st = strides(shape)
    for (let i = 0; i < x.length; i++) {
      let o = 0
      for (let d = 0; d < shape.length; d++) if (d !== axis) o = o * shape[d]! + (Math.floor(i / st[d]!) % shape[d]!)
      out[o] = f(out[o]!, x[i]!)
    }
    return out
  }

  it('sumAxis, maxAxis (property)', () => {
    fc.assert(
      fc.property(shapeAxis, ([shape, axis, x]) => {
        expectClose(sumAxis(x, shape, axis), naiveAlong(x, shape, axis, 0, (a, v) => a + v), 1e-13)
        expect(maxAxis(x, shape, axis)).toEqual(naiveAlong(x, shape, axis, -Infinity, Math.max))
      }),
      { numRuns: 300 },
    )
  })

  it('logSumExpAxis is log(sum(exp)) where that does not overflow, and its pullback is softmax (property)', () => {
    fc.assert(
      fc.property(shapeAxis, ([shape, axis, x]) => {
        const lse = logSumExpAxis(x, shape, axis)
        const ref = naiveAlong(x, shape, axis, 0, (a, v) => a + Math.exp(v)).map(Math.log)
        expectClose(lse, ref, 1e-13)
        const g = new Float64Array(lse.length).fill(1)
        const w = logSumExpBackAxis(x, shape, axis, lse, g)
        // softmax weights sum to 1 along the axis (where the axis is not empty)
        const sums = sumAxis(w, shape, axis)
        if (shape[axis]! > 0) for (const s of sums) expect(Math.abs(s - 1)).toBeLessThan(1e-12)
      }),
      { numRuns: 300 },
    )
  })

  it('logSumExp is stable at extreme values', () => {
    expect(logSumExpAxis(Float64Array.of(1000, 1000), [2], 0)[0]).toBe(1000 + Math.LN2)
    expect(logSumExpAxis(Float64Array.of(-1000, -1000), [2], 0)[0]).toBe(-1000 + Math.LN2)
    expect(logSumExpAxis(Float64Array.of(-Infinity, -Infinity), [2], 0)[0]).toBe(-Infinity)
    expect(logSumExpAxis(Float64Array.of(Infinity, 1), [2], 0)[0]).toBe(Infinity)
    expect(logSumExpAxis(Float64Array.of(NaN, 1), [2], 0)[0]).toBeNaN()
    const x = Float64Array.of(-Infinity, -Infinity)
    expect(Array.from(logSumExpBackAxis(x, [2], 0, logSumExpAxis(x, [2], 0), Float64Array.of(1)))).toEqual([0, 0])
  })

  it('sumAll and maxAll', () => {
    expect(sumAll(Float64Array.of(1, 2, 3, 4, 5))).toBe(15)
    expect(sumAll(new Float64Array(0))).toBe(0)
    expect(maxAll(Float64Array.of(1, 7, 3))).toBe(7)
    expect(maxAll(Float64Array.of(1, NaN, 3))).toBeNaN()
    expect(maxAll(new Float64Array(0))).toBe(-Infinity)
    expect(sumAll(Float64Array.of(1, Infinity, -Infinity))).toBeNaN()
  })
})

describe('transpose kernels against index arithmetic', () => {
  it('permute agrees with the definition out[i_perm] = x[i] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 5 }).chain((shape) =>
          fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length }), data(shapeSize(shape)))),
        ([shape, perm, x]) => {
          const [outShape, out] = permute(x, shape, perm)
          expect(outShape).toEqual(perm.map((p) => shape[p]))
          const os = strides(outShape)
          const is = strides(shape)
          for (let i = 0; i < x.length; i++) {
            let o = 0
            for (let d = 0; d < perm.length; d++) o += (Math.floor(i / is[perm[d]!]!) % shape[perm[d]!]!) * os[d]!
            expect(out[o]).toBe(x[i])
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('transpose2d beyond one block', () => {
    const x = Float64Array.from({ length: 70 * 45 }, (_, i) => i)
    const t = transpose2d(x, 70, 45)
    for (let i = 0; i < 70; i++) for (let j = 0; j < 45; j++) expect(t[j * 70 + i]).toBe(x[i * 45 + j])
  })
})
