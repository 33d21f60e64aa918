/** The finite check of a training step: it finds a NaN or an infinity at any position of any leaf. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fromData } from '../src/Tensor.js'
import { firstNonFinite } from '../src/train/finite.js'

describe('firstNonFinite', () => {
  it('finds the first non-finite element at every position (the check sums four lanes), and none in finite trees', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 9 }), fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity),
        (n, m, at, bad) => {
          const a = Array.from({ length: n }, (_, i) => i - 3.5)
          const b = Array.from({ length: m }, (_, i) => -i * 1e300)
          const tree = { w: fromData([n], a), b: fromData([m], b), s: 2 }
          expect(firstNonFinite(tree)).toBeUndefined()
          const i = at % (n + m + 1)
          if (i < n) a[i] = bad
          else if (i < n + m) b[i - n] = bad
          const broken = { w: fromData([n], a), b: fromData([m], b), s: i === n + m ? bad : 2 }
          const found = firstNonFinite(broken)
          expect(found?.path).toBe(i < n ? `$.w[${i}]` : i < n + m ? `$.b[${i - n}]` : '$.s')
          expect(Object.is(found?.value, bad)).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})
