/**
 * The structural primitives of the tensor algebra (matmul, transpose, reshape, broadcasting,
 * reductions, slices, concat, a loss) through the four program laws, 1000 points each (a file of
 * its own, so that the suite runs it beside the elementwise ones).
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { checkProgram, primitiveCases } from '../laws/index.js'

const NUM_RUNS = 1000
const FIRST_STRUCTURAL = primitiveCases.findIndex((c) => c.name.startsWith('matmul'))

describe('the program laws hold for every structural primitive', () => {
  it('the split leaves no primitive out', () => expect(FIRST_STRUCTURAL).toBeGreaterThan(0))
  for (const c of primitiveCases.slice(FIRST_STRUCTURAL))
    it(c.name, () => {
      for (const r of checkProgram(c, { numRuns: NUM_RUNS })) {
        if (isLeft(r)) throw new Error(r.left.message)
        expect(r.right.numRuns).toBe(NUM_RUNS)
      }
    })
})
