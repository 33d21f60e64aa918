/**
 * The rules and conventions of the primitives, pinned: add and mul backward rules, ties of
 * maximum/minimum, kinks, NaN-safe where, stable logSumExp, shape errors before arithmetic.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ShapeError } from '../src/ShapeError.js'
import type { Tensor } from '../src/Tensor.js'
import { equals, fill, fromData, isTensor, scalar, tensor, toArray, zeros, ones } from '../src/Tensor.js'
import { derivative } from '../src/Dual.js'
import {
  abs, add, bindLeft, bindRight, broadcastTo, concat, div, dot, elementwise, exp, index, log, log1p, logSumExp,
  matmul, maximum, mean, minimum, mul, neg, pow, relu, reshape, scale, sigmoid, slice, sqrt, square, sub, sum,
  transpose, where, uniform, uniformValue, plus, minus, times, over,
} from '../src/ops/index.js'
import type { PrimitiveDiff, UnaryDecl } from '../src/ops/index.js'
import { broadcastPair, snapshot, tensorOf } from './fixtures/ops.kit.js'
import { scalarPoint } from '../laws/arbitraries.js'
import { flow } from '../src/Diff.js'
import { valueAndGrad } from '../src/Grad.js'

const arr = (t: Tensor) => toArray(t)

describe('the add and mul nodes', () => {
  it('add passes the cotangent through unchanged to both inputs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }).chain((n) => fc.tuple(tensorOf([n]), tensorOf([n]), tensorOf([n]))), ([x, y, g]) => {
        const [ga, gb] = add.vjp([x, y])[1](g)
        expect(equals(ga, g)).toBe(true)
        expect(equals(gb, g)).toBe(true)
      }),
    )
  })

  it('add sums the cotangent over broadcast axes', () => {
    const [, gb] = add.vjp([zeros([2, 3]), zeros([3])])[1](tensor([[1, 2, 3], [10, 20, 30]]))
    expect(arr(gb)).toEqual([11, 22, 33])
    const [ga] = add.vjp([zeros([2, 1]), zeros([3])])[1](tensor([[1, 2, 3], [10, 20, 30]]))
    expect(arr(ga)).toEqual([[6], [60]])
  })

  it('mul sends each input the cotangent times the other input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }).chain((n) => fc.tuple(tensorOf([n]), tensorOf([n]), tensorOf([n]))), ([x, y, g]) => {
        const [ga, gb] = mul.vjp([x, y])[1](g)
        x.data.forEach((xi, i) => {
          expect(ga.data[i]).toBe(g.data[i]! * y.data[i]!)
          expect(gb.data[i]).toBe(g.data[i]! * xi)
        })
      }),
    )
  })

  it('broadcast pullbacks return each input a cotangent of its own shape (property)', () => {
    fc.assert(
      fc.property(broadcastPair.chain(([a, b]) => fc.tuple(tensorOf(a), tensorOf(b))), ([x, y]) => {
        for (const op of [add, sub, mul, maximum, minimum]) {
          const [out, back] = op.vjp([x, y])
          const [ga, gb] = back(ones(out.shape))
          expect(ga.shape).toEqual(x.shape)
          expect(gb.shape).toEqual(y.shape)
        }
      }),
    )
  })
})

describe('conventions', () => {
  it('maximum and minimum split ties half and half; NaN takes the cotangent', () => {
    const [ga, gb] = maximum.vjp([tensor([1, 2, 3, NaN]), tensor([3, 2, 1, 0])])[1](tensor([1, 1, 1, 1]))
    expect(arr(ga)).toEqual([0, 0.5, 1, 1])
    expect(arr(gb)).toEqual([1, 0.5, 0, 0])
    const [ha, hb] = minimum.vjp([tensor([1, 2, 3]), tensor([3, 2, 1])])[1](tensor([1, 1, 1]))
    expect(arr(ha)).toEqual([1, 0.5, 0])
    expect(arr(hb)).toEqual([0, 0.5, 1])
    expect(maximum.declaration.conventions.map((c) => c.at)).toContain('a = b')
    // the JVP at a tie is the average of the two tangents
    expect(arr(maximum.jvp([tensor([2]), tensor([2])], [tensor([1]), tensor([3])])[1])).toEqual([2])
  })

  it('every pinned kink point holds in both modes', () => {
    const unaries: readonly PrimitiveDiff<Tensor, Tensor, UnaryDecl>[] = [abs, relu, log, sqrt, log1p]
    let pinned = 0
    for (const op of unaries)
      for (const c of op.declaration.conventions)
        for (const { x, derivative: d } of c.points ?? []) {
          pinned++
          expect(op.jvp(tensor([x]), tensor([1]))[1].data[0]).toBe(d)
          expect(op.vjp(tensor([x]))[1](tensor([1])).data[0]).toBe(d)
        }
    expect(pinned).toBe(5)
  })

  it('relu and abs never give NaN gradients at finite inputs', () => {
    const x = tensor([-1e308, -1, -0, 0, 1, 1e308])
    for (const op of [relu, abs]) for (const v of op.vjp(x)[1](ones([6])).data) expect(Number.isNaN(v)).toBe(false)
  })

  it('pow: derivative in the exponent is 0 where the base is <= 0; x^0 has derivative 0 at 0', () => {
    const [ga, gb] = pow.vjp([tensor([0, -2, 2]), tensor([0, 2, 3])])[1](tensor([1, 1, 1]))
    expect(arr(ga)).toEqual([0, -4, 12])
    expect(arr(gb)).toEqual([0, 0, 8 * Math.log(2)])
  })

  it('where: the branch not taken gets exactly 0 even when it holds NaN or Infinity', () => {
    const w = where(tensor([1, 0, 1, 0]))
    const x = tensor([1, NaN, Infinity, -Infinity])
    const y = tensor([NaN, 2, NaN, 3])
    expect(arr(w.apply([x, y]))).toEqual([1, 2, Infinity, 3])
    const [gx, gy] = w.vjp([x, y])[1](tensor([5, Infinity, NaN, 7]))
    expect(arr(gx)).toEqual([5, 0, NaN, 0])
    expect(arr(gy)).toEqual([0, Infinity, 0, 7])
    const [, dy] = w.jvp([x, y], [tensor([1, NaN, 1, Infinity]), tensor([NaN, 1, Infinity, 1])])
    expect(arr(dy)).toEqual([1, 1, 1, 1])
  })

  it('where + safe input: the double-where pattern gives a finite gradient of sqrt at negative inputs', () => {
    const x = tensor([-4, 4])
    const pos = tensor([0, 1])
    // f(x) = where(x > 0, sqrt(where(x > 0, x, 1)), 0)
    const inner = where(pos)
    const [safe, backSafe] = inner.vjp([x, ones([2])])
    const [r, backSqrt] = sqrt.vjp(safe)
    const [, backOuter] = where(pos).vjp([r, zeros([2])])
    const [gr] = backOuter(ones([2]))
    const [gx] = backSafe(backSqrt(gr))
    expect(arr(gx)).toEqual([0, 0.25])
  })

  it('sigmoid is stable and exact at the extremes', () => {
    expect(arr(sigmoid.apply(tensor([-1000, 0, 1000])))).toEqual([0, 0.5, 1])
    const g = sigmoid.vjp(tensor([-1000, 0, 1000]))[1](ones([3]))
    expect(arr(g)).toEqual([0, 0.25, 0])
  })

  it('logSumExp: stable at 1000 and -1000, -Infinity rows give -Infinity and zero gradient', () => {
    expect(logSumExp().apply(tensor([1000, 1000])).data[0]).toBe(1000 + Math.LN2)
    expect(logSumExp().apply(tensor([-1000, -1000])).data[0]).toBe(-1000 + Math.LN2)
    const x = tensor([[-Infinity, -Infinity], [0, 0]])
    const [y, back] = logSumExp({ axis: 1 }).vjp(x)
    expect(arr(y)).toEqual([-Infinity, Math.LN2])
    expect(arr(back(tensor([1, 1])))).toEqual([[0, 0], [0.5, 0.5]])
    expect(logSumExp({ axis: -1, keepdims: true }).apply(zeros([3, 2])).shape).toEqual([3, 1])
  })

  it('elementwise: the closed form and dual numbers agree with Dual.derivative', () => {
    const tanhOp = elementwise('tanh', (F) => F.tanh)
    const x = tensor([-20, -1, 0, 0.5, 20])
    const g = tanhOp.vjp(x)[1](ones([5]))
    x.data.forEach((v, i) => expect(g.data[i]).toBe(derivative((F) => F.tanh)(v)))
  })
})

describe('values', () => {
  it('arithmetic, reductions, structure', () => {
    expect(arr(add.apply([tensor([[1, 2], [3, 4]]), tensor([10, 20])]))).toEqual([[11, 22], [13, 24]])
    expect(arr(div.apply([tensor([1, -1, 0]), scalar(0)]))).toEqual([Infinity, -Infinity, NaN])
    expect(arr(matmul.apply([tensor([[1, 2]]), tensor([[3], [4]])]))).toEqual([[11]])
    expect(arr(dot.apply([tensor([1, 2, 3]), tensor([4, 5, 6])]))).toBe(32)
    expect(arr(sum().apply(tensor([[1, 2], [3, 4]])))).toBe(10)
    expect(arr(sum({ axis: 1 }).apply(tensor([[1, 2], [3, 4]])))).toEqual([3, 7])
    expect(arr(sum({ axis: 0, keepdims: true }).apply(tensor([[1, 2], [3, 4]])))).toEqual([[4, 6]])
    expect(arr(sum({ keepdims: true }).apply(tensor([[1, 2], [3, 4]])))).toEqual([[10]])
    expect(arr(mean().apply(tensor([1, 2, 3, 6])))).toBe(3)
    expect(arr(mean({ axis: -1 }).apply(tensor([[1, 2], [3, 5]])))).toEqual([1.5, 4])
    expect(mean().apply(zeros([0])).data[0]).toBeNaN()
    expect(arr(reshape([3, 2]).apply(tensor([[1, 2, 3], [4, 5, 6]])))).toEqual([[1, 2], [3, 4], [5, 6]])
    expect(reshape([-1]).apply(zeros([2, 3])).shape).toEqual([6])
    expect(arr(transpose().apply(tensor([[1, 2, 3]])))).toEqual([[1], [2], [3]])
    expect(transpose([1, 0, 2]).apply(zeros([2, 3, 4])).shape).toEqual([3, 2, 4])
    expect(arr(broadcastTo([2, 2]).apply(tensor([1, 2])))).toEqual([[1, 2], [1, 2]])
    expect(arr(concat({ axis: 1 }).apply([tensor([[1], [2]]), tensor([[3, 4], [5, 6]])]))).toEqual([[1, 3, 4], [2, 5, 6]])
    expect(arr(slice({ axis: 1, start: 1 }).apply(tensor([[1, 2, 3], [4, 5, 6]])))).toEqual([[2, 3], [5, 6]])
    expect(arr(slice({ start: -1 }).apply(tensor([1, 2, 3])))).toEqual([3])
    expect(arr(index({ at: 1 }).apply(tensor([[1, 2], [3, 4]])))).toEqual([3, 4])
    expect(arr(index({ axis: 1, at: -1 }).apply(tensor([[1, 2], [3, 4]])))).toEqual([2, 4])
    expect(arr(neg.apply(tensor([1, -2])))).toEqual([-1, 2])
    expect(arr(scale(3).apply(tensor([1, 2])))).toEqual([3, 6])
    expect(arr(square.apply(tensor([3])))).toEqual([9])
    expect(arr(exp.apply(tensor([0])))).toEqual([1])
    expect(arr(log.apply(tensor([1, 0, -1])))).toEqual([0, -Infinity, NaN])
    expect(arr(log1p.apply(tensor([1e-20])))).toEqual([1e-20])
    expect(arr(bindRight(pow, scalar(2)).apply(tensor([3])))).toEqual([9])
  })

  it('bindLeft(matmul, x) computes only the weight gradient xᵀ g', () => {
    const x = tensor([[1, 2], [3, 4]])
    const w = tensor([[1, 0, 1], [0, 1, 1]])
    const g = ones([2, 3])
    const gw = bindLeft(matmul, x).vjp(w)[1](g)
    const [, gw2] = matmul.vjp([x, w])[1](g)
    expect(arr(gw)).toEqual(arr(gw2))
  })
})

/** A tensor whose data throws on any element read: proves an op checked shapes before arithmetic. */
const untouchable = (shape: readonly number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1)
  const data = new Proxy(new Float64Array(n), {
    get(target, p, r) {
      if (typeof p === 'string' && /^\d+$/.test(p)) throw new Error('arithmetic before the shape check')
      return Reflect.get(target, p, r) as unknown
    },
  })
  return { shape, data }
}

describe('shape errors name the op and the shapes, before any arithmetic', () => {
  const cases: readonly [string, () => unknown, string][] = [
    ['matmul', () => matmul.apply([untouchable([2, 3]), untouchable([4, 5])]), 'matmul: [..., m, k] and [..., k, n] with equal inner extents and broadcasting batch axes; got shapes [2, 3] and [4, 5]'],
    ['matmul rank', () => matmul.apply([untouchable([]), untouchable([3, 2])]), 'got shapes [] and [3, 2]'],
    ['add', () => add.apply([untouchable([3]), untouchable([4])]), 'add: shapes must broadcast (NumPy rules: equal dimensions or 1); got shapes [3] and [4]'],
    ['mul', () => mul.apply([untouchable([2, 3]), untouchable([2])]), 'mul: shapes must broadcast'],
    ['div', () => div.apply([untouchable([2, 3]), untouchable([2])]), 'div:'],
    ['sub', () => sub.apply([untouchable([5]), untouchable([2])]), 'sub:'],
    ['pow', () => pow.apply([untouchable([5]), untouchable([2])]), 'pow:'],
    ['maximum', () => maximum.apply([untouchable([5]), untouchable([2])]), 'maximum:'],
    ['dot', () => dot.apply([untouchable([3]), untouchable([4])]), 'dot: two vectors of the same length; got shapes [3] and [4]'],
    ['reshape', () => reshape([4, 2]).apply(untouchable([2, 3])), 'reshape: the same number of elements; got shapes [2, 3] and [4, 2]'],
    ['reshape -1', () => reshape([4, -1]).apply(untouchable([2, 3])), 'reshape:'],
    ['reshape two -1', () => reshape([-1, -1]).apply(untouchable([2, 3])), 'at most one -1'],
    ['broadcastTo', () => broadcastTo([2, 4]).apply(untouchable([3])), 'broadcastTo: an input that broadcasts to the target (NumPy rules); got shapes [3] and [2, 4]'],
    ['transpose', () => transpose([0, 0]).apply(untouchable([2, 3])), 'transpose: a permutation of the axes 0..1'],
    ['sum axis', () => sum({ axis: 2 }).apply(untouchable([2, 3])), 'sum: axis 2 must be an integer in [-2, 1]; got shape [2, 3]'],
    ['concat', () => concat({ axis: 0 }).apply([untouchable([2, 3]), untouchable([2, 4])]), 'concat: equal ranks and equal extents on every axis but 0; got shapes [2, 3] and [2, 4]'],
    ['slice', () => slice({ start: 1, end: 5 }).apply(untouchable([3])), 'slice: 0 <= start <= end <= 3'],
    ['index', () => index({ at: 3 }).apply(untouchable([3])), 'index: a position in [-3, 2] along axis 0, got 3'],
    ['where', () => where(untouchable([2])).apply([untouchable([3]), untouchable([3])]), 'where: shapes must broadcast'],
    ['logSumExp', () => logSumExp({ axis: 1 }).apply(untouchable([3])), 'logSumExp: axis 1'],
  ]
  it.each(cases)('%s', (_name, f, message) => {
    expect(f).toThrow(ShapeError)
    expect(f).toThrow(message)
  })

  it('tangents and cotangents of the wrong shape are refused', () => {
    expect(() => exp.jvp(zeros([2]), zeros([3]))).toThrow('exp: a tangent of the same shape as the input; got shapes [2] and [3]')
    expect(() => exp.vjp(zeros([2]))[1](zeros([3]))).toThrow(ShapeError)
    expect(() => add.jvp([zeros([2]), zeros([2])], [zeros([2]), zeros([1])])).toThrow(ShapeError)
    expect(() => matmul.vjp([zeros([2, 3]), zeros([3, 4])])[1](zeros([4, 2]))).toThrow('matmul: a cotangent of the same shape as the output')
  })

  it('NaN and Infinity in data are not errors: they flow through as IEEE says', () => {
    const x = fromData([2, 2], [NaN, Infinity, -Infinity, 1])
    expect(() => matmul.apply([x, x])).not.toThrow()
    expect(arr(add.apply([x, scalar(1)]))).toEqual([[NaN, Infinity], [-Infinity, 2]])
    expect(arr(sum().apply(tensor([Infinity, -Infinity])))).toBeNaN()
    expect(arr(exp.apply(tensor([Infinity, -Infinity, NaN])))).toEqual([Infinity, 0, NaN])
  })
})

describe('grad through the primitives', () => {
  it('valueAndGrad writes into nothing it was given and answers the same twice (property)', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
          .chain(([m, k, n]) => fc.tuple(tensorOf([m, k]), tensorOf([k, n]), tensorOf([n]))),
        ([x, w, b]) => {
          // W -> mean(logSumExp(relu(x W + b), axis 1))
          const f = flow(bindLeft(matmul, x), bindRight(add, b), relu, logSumExp({ axis: 1 }), mean())
          const before = snapshot(x, w, b)
          const [v1, g1] = valueAndGrad(f)(w)
          const [v2, g2] = valueAndGrad(f)(w)
          before.check()
          expect(equals(v1, v2)).toBe(true)
          expect(equals(g1, g2)).toBe(true)
          expect(g1.shape).toEqual(w.shape)
        },
      ),
    )
  })
})

describe('uniform cotangents (the pullback of a full reduction)', () => {
  it('sum() and mean() send back a uniform tensor that reads like any other', () => {
    const x = tensor([[1, 2], [3, 4]])
    const g = sum().vjp(x)[1](scalar(3))
    expect(uniformValue(g)).toBe(3)
    expect(isTensor(g)).toBe(true)
    expect(Object.isFrozen(g)).toBe(true)
    expect(equals(g, tensor([[3, 3], [3, 3]]))).toBe(true)
    expect(g.data).toBe(g.data) // made once, kept
    expect(g).toStrictEqual(fromData([2, 2], [3, 3, 3, 3]))
    expect(JSON.stringify(g)).toBe(JSON.stringify(fromData([2, 2], [3, 3, 3, 3])))
    expect(arr(mean().vjp(x)[1](scalar(2)))).toEqual([[0.5, 0.5], [0.5, 0.5]])
    expect(uniform([0], 1).data.length).toBe(0)
    expect(() => uniform([-1], 0)).toThrow(ShapeError)
  })

  it('every pullback that reads the one value agrees with the same cotangent made eagerly (property)', () => {
    const ops1: readonly PrimitiveDiff<Tensor, Tensor, UnaryDecl>[] = [sigmoid, relu, neg, scale(-2.5), exp, log1p, square, abs, sqrt]
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }).chain((s) => fc.tuple(tensorOf(s, 0.1, 3), scalarPoint({ min: -3, max: 3 }))),
        ([x, v]) => {
          for (const op of ops1) {
            const back = op.vjp(x)[1]
            expect(equals(back(uniform(x.shape, v)), back(fill(x.shape, v)))).toBe(true)
          }
        },
      ),
    )
  })

  it('binary arithmetic reads a uniform operand as one value, in either position and when it broadcasts (property)', () => {
    fc.assert(
      fc.property(
        broadcastPair.chain(([a, b]) => fc.tuple(tensorOf(a), tensorOf(b), scalarPoint({ min: -3, max: 3 }))),
        ([x, y, v]) => {
          for (const f of [plus, minus, times, over]) {
            expect(equals(f(x, uniform(y.shape, v)), f(x, fill(y.shape, v)))).toBe(true)
            expect(equals(f(uniform(x.shape, v), y), f(fill(x.shape, v), y))).toBe(true)
          }
        },
      ),
    )
    expect(() => plus(uniform([3], 1), zeros([4]))).toThrow('add: shapes must broadcast (NumPy rules: equal dimensions or 1); got shapes [3] and [4]')
  })
})
