import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import {
  allClose, arange, at, equals, eye, fill, fromData, fromNested, isTensor, item, linspace,
  maxAbsDiff, ones, rank, scalar, ShowTensor, size, tensor, toArray, toFloat64Array, wrap, zeros,
} from '../src/Tensor.js'
import type { Nested } from '../src/Tensor.js'
import { ShapeError } from '../src/ShapeError.js'
import { broadcastShapes, broadcastStrides, broadcastsTo, shapeSize, strides } from '../src/kernels/shape.js'
import { scalarValue } from '../laws/arbitraries-tensor.js'

/**
 * Rectangular nested arrays of a random shape (dims 0..4, rank 0..4); entries are every double
 * (fc.double: -0, NaN, the infinities, subnormals, mostly tiny) or ordinary magnitudes spread
 * evenly over [-10, 10].
 */
const nestedArb: fc.Arbitrary<Nested> = fc
  .array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 })
  .chain((shape) => {
    const build = (d: number): fc.Arbitrary<Nested> =>
      d === shape.length
        ? fc.oneof(fc.double(), scalarValue({ min: -10, max: 10 }))
        : fc.array(build(d + 1), { minLength: shape[d]!, maxLength: shape[d]! })
    return build(0)
  })

describe('tensor from nested arrays', () => {
  it('infers the shape and keeps row-major order', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]])
    expect(t.shape).toEqual([2, 3])
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6])
    expect(tensor(7).shape).toEqual([])
    expect(tensor([]).shape).toEqual([0])
    expect(tensor([[], []]).shape).toEqual([2, 0])
  })

  it('round-trips through toArray (property)', () => {
    fc.assert(
      fc.property(nestedArb, (n) => {
        expect(toArray(tensor(n))).toEqual(n)
      }),
      { numRuns: 200 },
    )
  })

  it('rejects ragged arrays naming the position', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(TypeError)
    expect(() => tensor([[1, 2], [3]])).toThrow('ragged array at [1]: expected length 2, got length 1')
    expect(() => tensor([1, [2]] as unknown as Nested)).toThrow('expected a number at [1], got an array')
    expect(() => tensor([[1], 2] as unknown as Nested)).toThrow('ragged array at [1]')
  })

  it('rejects non-numbers naming the position', () => {
    expect(() => tensor([[1, 'x']] as unknown as Nested)).toThrow('expected a number at [0][1], got "x" (string)')
    expect(() => tensor([null] as unknown as Nested)).toThrow('got null')
  })

  it('fromNested returns Either for outside data', () => {
    expect(isRight(fromNested([[1, 2]]))).toBe(true)
    const bad = fromNested({ a: 1 })
    expect(isLeft(bad) && bad.left).toBe('tensor: expected a number at the top level, got object')
    const ragged = fromNested([[1], [2, 3]])
    expect(isLeft(ragged) && ragged.left).toContain('ragged')
  })

  it('copies its input', () => {
    const rows = [[1, 2]]
    const t = tensor(rows)
    rows[0]![0] = 99
    expect(t.data[0]).toBe(1)
  })
})

describe('fromData and the fill constructors', () => {
  it('fromData copies and validates', () => {
    const src = new Float64Array([1, 2, 3, 4, 5, 6])
    const t = fromData([2, 3], src)
    src[0] = 100
    expect(t.data[0]).toBe(1)
    expect(() => fromData([2, 3], [1, 2])).toThrow(ShapeError)
    expect(() => fromData([2, 3], [1, 2])).toThrow('fromData: data of length 6 to fill the shape, found length 2; got shape [2, 3]')
    expect(() => wrap([2, 3], new Float64Array(5))).toThrow('wrap: data of length 6 to fill the shape, found length 5; got shape [2, 3]')
    expect(() => fromData([2], [1, 'a'] as unknown as number[])).toThrow('expected a number at index 1')
  })

  it('rejects negative and fractional dimensions', () => {
    for (const bad of [[-1], [1.5], [2, NaN], [Infinity]]) {
      expect(() => zeros(bad)).toThrow(ShapeError)
      expect(() => fromData(bad, [])).toThrow(ShapeError)
      expect(() => fill(bad, 1)).toThrow(ShapeError)
    }
    expect(() => eye(-2)).toThrow(ShapeError)
    expect(() => zeros([-1])).toThrow('every dimension must be a non-negative integer')
  })

  it('zeros, ones, fill, scalar, eye', () => {
    expect(toArray(zeros([2, 2]))).toEqual([[0, 0], [0, 0]])
    expect(toArray(ones([3]))).toEqual([1, 1, 1])
    expect(toArray(fill([2], -3.5))).toEqual([-3.5, -3.5])
    expect(Object.is(fill([1], -0).data[0], -0)).toBe(true)
    expect(toArray(scalar(4))).toBe(4)
    expect(toArray(eye(2))).toEqual([[1, 0], [0, 1]])
    expect(toArray(eye(2, 3))).toEqual([[1, 0, 0], [0, 1, 0]])
    expect(toArray(eye(3, 2))).toEqual([[1, 0], [0, 1], [0, 0]])
    expect(zeros([0, 3]).data.length).toBe(0)
  })

  it('arange and linspace follow NumPy', () => {
    expect(toArray(arange(4))).toEqual([0, 1, 2, 3])
    expect(toArray(arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75])
    expect(toArray(arange(5, 1, -2))).toEqual([5, 3])
    expect(toArray(arange(3, 1))).toEqual([])
    expect(() => arange(0, 1, 0)).toThrow(RangeError)
    expect(toArray(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(toArray(linspace(2, 3, 1))).toEqual([2])
    expect(toArray(linspace(0, 1, 0))).toEqual([])
    expect(() => linspace(0, 1, 2.5)).toThrow(RangeError)
    // the last point is exactly stop even when the step does not divide evenly
    expect(linspace(0, 0.3, 7).data[6]).toBe(0.3)
  })
})

describe('accessors', () => {
  it('size, rank, item, at', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]])
    expect(size(t)).toBe(6)
    expect(rank(t)).toBe(2)
    expect(at(t, [1, 2])).toBe(6)
    expect(() => at(t, [2, 0])).toThrow(ShapeError)
    expect(() => at(t, [0])).toThrow(ShapeError)
    expect(item(tensor([[9]]))).toBe(9)
    expect(() => item(t)).toThrow('item: a tensor with exactly one element; got shape [2, 3]')
  })

  it('toFloat64Array is a fresh copy', () => {
    const t = ones([2])
    const c = toFloat64Array(t)
    c[0] = 5
    expect(t.data[0]).toBe(1)
  })

  it('isTensor', () => {
    expect(isTensor(zeros([2]))).toBe(true)
    expect(isTensor({ shape: [3], data: new Float64Array(2) })).toBe(false)
    expect(isTensor({ shape: [2], data: [1, 2] })).toBe(false)
    expect(isTensor(null)).toBe(false)
  })

  it('tensors and their shapes are frozen', () => {
    const t = zeros([2])
    expect(Object.isFrozen(t)).toBe(true)
    expect(Object.isFrozen(t.shape)).toBe(true)
    const shape = [2, 2]
    const w = wrap(shape, new Float64Array(4))
    shape[0] = 1
    expect(w.shape).toEqual([2, 2])
  })

  it('the readonly type forbids writes', () => {
    const t = zeros([2])
    // @ts-expect-error data is read-only
    t.data[0] = 1
    // @ts-expect-error no fill on a readonly array
    t.data.fill(1)
    // @ts-expect-error no set on a readonly array
    t.data.set([1])
    expect(t).toBeDefined()
  })
})

describe('comparison', () => {
  it('equals treats NaN as equal and compares shapes', () => {
    expect(equals(tensor([1, NaN]), tensor([1, NaN]))).toBe(true)
    expect(equals(tensor([0]), tensor([-0]))).toBe(true)
    expect(equals(tensor([1, 2]), tensor([[1, 2]]))).toBe(false)
    expect(equals(tensor([1, 2]), tensor([1, 3]))).toBe(false)
  })

  it('allClose follows NumPy', () => {
    expect(allClose(tensor([1, Infinity]), tensor([1 + 1e-9, Infinity]))).toBe(true)
    expect(allClose(tensor([Infinity]), tensor([-Infinity]))).toBe(false)
    expect(allClose(tensor([NaN]), tensor([NaN]))).toBe(false)
    expect(allClose(tensor([NaN]), tensor([NaN]), { equalNan: true })).toBe(true)
    expect(allClose(tensor([1]), tensor([1.1]), { rtol: 0.01 })).toBe(false)
    expect(maxAbsDiff(tensor([1, 2]), tensor([1, 2.5]))).toBe(0.5)
  })

  it('Show prints shape and values, NaN and -0 included', () => {
    expect(ShowTensor.show(tensor([[1, NaN], [-0, Infinity]]))).toBe('tensor([2, 2], [[1, NaN], [-0, Infinity]])')
  })
})

describe('shape helpers', () => {
  it('strides and sizes', () => {
    expect(strides([2, 3, 4])).toEqual([12, 4, 1])
    expect(shapeSize([])).toBe(1)
    expect(shapeSize([3, 0])).toBe(0)
  })

  it('broadcasting follows NumPy', () => {
    expect(broadcastShapes([2, 1, 3], [4, 1])).toEqual([2, 4, 3])
    expect(broadcastShapes([], [2])).toEqual([2])
    expect(broadcastShapes([0], [1])).toEqual([0])
    expect(broadcastShapes([3], [4])).toBeUndefined()
    expect(broadcastShapes([2, 0], [2, 1])).toEqual([2, 0])
    expect(broadcastsTo([3], [2, 3])).toBe(true)
    expect(broadcastsTo([2, 3], [3])).toBe(false)
    expect(broadcastStrides([2, 1], [2, 3])).toEqual([1, 0])
    expect(broadcastStrides([3], [2, 3])).toEqual([0, 1])
  })

  it('broadcastShapes is commutative and yields a shape both broadcast to (property)', () => {
    const dim = fc.constantFrom(0, 1, 2, 3)
    fc.assert(
      fc.property(fc.array(dim, { maxLength: 4 }), fc.array(dim, { maxLength: 4 }), (a, b) => {
        const ab = broadcastShapes(a, b)
        expect(broadcastShapes(b, a)).toEqual(ab)
        if (ab !== undefined) {
          expect(broadcastsTo(a, ab)).toBe(true)
          expect(broadcastsTo(b, ab)).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})
