/**
 * Issue 13, rows "a cyclic nested array to `tensor()`" and "`tensor` zeros of shape [1e10]":
 * cyclic or over-deep arrays are a TypeError (a Left from fromNested) naming the path, sizes are
 * checked before allocating, and the walk is a loop (no input overflows the stack).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isRight } from 'fp-ts/lib/Either.js'
import { MAX_SIZE, arange, eye, fill, fromNested, linspace, ones, tensor, toArray, zeros } from '../../src/Tensor.js'
import type { Nested } from '../../src/Tensor.js'
import { ShapeError } from '../../src/ShapeError.js'
import { err, ok } from '../either.js'

const nest = (depth: number): unknown => {
  let a: unknown = 1
  for (let i = 0; i < depth; i++) a = [a]
  return a
}

describe('tensor() at the edges of its input', () => {
  it('a cyclic array is a TypeError naming the path, not a V8 abort', () => {
    const a: unknown[] = []
    a.push(a)
    expect(() => tensor(a as Nested)).toThrow(TypeError)
    expect(() => tensor(a as Nested)).toThrow('tensor: cyclic array: the element at [0] is the array at the top level')
    const b: unknown[] = [[1, 2]]
    ;(b[0] as unknown[])[0] = b
    expect(err(fromNested(b))).toBe('tensor: cyclic array: the element at [0][0] is the array at the top level')
    // a cycle off the first path is a ragged array or a non-number: the shape bounds the walk
    const c: unknown[] = [[1], []]
    ;(c[1] as unknown[]).push(c)
    expect(err(fromNested(c))).toBe('tensor: expected a number at [1][0], got an array')
  })
  it('nesting deeper than 64 levels is a Left naming the depth and the option; raising it accepts', () => {
    expect(err(fromNested(nest(65)))).toBe('tensor: arrays nested deeper than 64 levels (the maxDepth option) at [0][0][0]...[0] (64 levels down)')
    expect(() => tensor(nest(10_000) as Nested)).toThrow(TypeError)
    expect(ok(fromNested(nest(64))).shape.length).toBe(64)
    expect(ok(fromNested(nest(100_000), { maxDepth: 100_000 })).shape.length).toBe(100_000)
  })
  it('too many elements is a Left naming the size before anything is allocated', () => {
    const row = new Array(100_000).fill(0)
    const huge = new Array(100_000).fill(row) // 1e10 elements in 800 KB of arrays
    expect(err(fromNested(huge))).toBe('tensor: 10000000000 elements for shape [100000, 100000], more than the limit of 4294967295 (the maxSize option)')
    expect(err(fromNested([[1, 2], [3, 4]], { maxSize: 3 }))).toMatch(/4 elements for shape \[2, 2\], more than the limit of 3/)
  })
  it('round-trips any nested array of numbers, as before', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double(), { minLength: 3, maxLength: 3 }), { maxLength: 5 }), (rows) => {
        const r = fromNested(rows)
        expect(isRight(r)).toBe(true)
        if (rows.length > 0) expect(toArray(ok(r))).toEqual(rows)
      }),
    )
  })
  it('constructors check the size before allocating: a ShapeError naming the size', () => {
    for (const f of [() => zeros([1e10]), () => ones([1e5, 1e5]), () => fill([2 ** 32], 1), () => eye(1e5), () => arange(1e10), () => linspace(0, 1, 1e10)]) {
      expect(f).toThrow(ShapeError)
      expect(f).toThrow(/at most 4294967295 elements, found \d+ elements/)
    }
    expect(() => zeros([1e10])).toThrow('zeros: at most 4294967295 elements, found 10000000000 elements; got shape [10000000000]')
    expect(MAX_SIZE).toBe(2 ** 32 - 1)
  })
})
