import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import type { Either } from 'fp-ts/lib/Either.js'
import { classCounts } from '../src/data/Dataset.js'
import { digitsCandidates, digitsPath, loadDigits } from '../src/data/digits.js'

const ok = <A>(e: Either<string, A>): A => {
  if (e._tag === 'Left') throw new Error(`expected Right, got Left: ${e.left}`)
  return e.right
}

describe('loadDigits', () => {
  const d = ok(loadDigits())

  it('gives 1797 images of 64 pixels and 10 classes', () => {
    expect(d.x.shape).toEqual([1797, 64])
    expect(d.y.length).toBe(1797)
    expect(d.classes).toBe(10)
  })

  it('holds the published data: class counts, pixel range and sum, first and last rows', () => {
    // class counts of the UCI test set (optdigits.tes) as its description lists them
    expect(classCounts(d)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    // the following were computed from the file with Python's gzip module, independently
    const px = Array.from(d.x.data)
    expect(px.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true)
    expect(px.reduce((a, b) => a + b, 0)).toBe(561718)
    expect(Array.from(d.y).reduce((a, c, i) => a + c * i, 0)).toBe(7264791)
    expect(px.slice(0, 10)).toEqual([0, 0, 5, 13, 9, 1, 0, 0, 0, 0])
    expect(d.y[0]).toBe(0)
    expect(px.slice(1796 * 64, 1796 * 64 + 16)).toEqual([0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0])
    expect(d.y[1796]).toBe(8)
  })

  it('finds the file from src/ (tsx, vitest) and from dist/src/ (built)', () => {
    const root = fileURLToPath(new URL('../', import.meta.url))
    expect(digitsPath()).toBe(`${root}data/digits.csv.gz`)
    expect(digitsCandidates('file:///pkg/src/data/digits.ts')).toContain('/pkg/data/digits.csv.gz')
    expect(digitsCandidates('file:///pkg/dist/src/data/digits.js')).toContain('/pkg/data/digits.csv.gz')
  })
})
