/**
 * Results larger than their inputs (a broadcast, a `where`, a matrix product with batch axes) are
 * sized before anything is allocated: past `MAX_SIZE` elements the operation throws a
 * `ShapeError` naming itself, the size and the operands' shapes, never the engine's bare
 * `RangeError: Invalid typed array length`.
 */
import { describe, expect, it } from 'vitest'
import { ShapeError } from '../../src/ShapeError.js'
import { MAX_SIZE, zeros } from '../../src/Tensor.js'
import * as ops from '../../src/ops/index.js'
import { plain } from '../../src/program/plain.js'

const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  return undefined
}

const expectShapeError = (f: () => unknown, message: string): void => {
  const e = thrown(f)
  expect(e).toBeInstanceOf(ShapeError)
  expect((e as Error).message).toBe(message)
}

const col = zeros([70000, 1])
const row = zeros([1, 70000])
const tooMany = `at most ${MAX_SIZE} elements, found 4900000000 elements`

describe('results past MAX_SIZE elements are a ShapeError before any allocation', () => {
  it('broadcasting arithmetic names the op and both shapes', () => {
    for (const op of ['add', 'sub', 'mul', 'div'] as const)
      expectShapeError(() => ops[op].apply([col, row]), `${op}: ${tooMany}; got shapes [70000, 1] and [1, 70000]`)
    expectShapeError(() => plain.add(col, row), `add: ${tooMany}; got shapes [70000, 1] and [1, 70000]`)
  })

  it('broadcastTo names the shape it was asked for', () => {
    expectShapeError(
      () => ops.broadcastTo([1e10]).apply(zeros([1])),
      `broadcastTo: at most ${MAX_SIZE} elements, found 10000000000 elements; got shapes [1] and [10000000000]`,
    )
    expectShapeError(
      () => plain.broadcastTo(zeros([1]), [70000, 70000]),
      `broadcastTo: ${tooMany}; got shapes [1] and [70000, 70000]`,
    )
  })

  it('where names all three shapes', () => {
    expectShapeError(
      () => plain.where(plain.gt(col, row), col, row),
      `gt: ${tooMany}; got shapes [70000, 1] and [1, 70000]`,
    )
    expectShapeError(
      () => plain.where(plain.gt(col, col), col, row),
      `where: ${tooMany}; got shapes [70000, 1] and [70000, 1] and [1, 70000]`,
    )
  })

  it('a batched matmul names both operands', () => {
    expectShapeError(
      () => ops.matmul.apply([zeros([70000, 1, 1, 1]), zeros([70000, 1, 1])]),
      `matmul: ${tooMany}; got shapes [70000, 1, 1, 1] and [70000, 1, 1]`,
    )
  })

  it('just under the limit the same shapes still work (the check is on the result, not the inputs)', () => {
    expect(ops.add.apply([zeros([3, 1]), zeros([1, 4])]).shape).toEqual([3, 4])
    expect(plain.broadcastTo(zeros([1]), [2, 5]).shape).toEqual([2, 5])
  })
})
