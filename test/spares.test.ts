/** Arrays lent to the kernels (kernels/spares.ts): taken by exact length, once, only inside the call. */
import { describe, expect, it } from 'vitest'
import { toOverwrite, withSpares } from '../src/kernels/spares.js'
import { matmulNN } from '../src/kernels/matmul.js'
import { useKernels } from '../src/kernels/backend.js'

describe('withSpares and toOverwrite', () => {
  it('lend each array once, to a request of its length, inside the call only; calls nest', () => {
    const a = new Float64Array(4)
    const b = new Float64Array(6)
    expect(toOverwrite(4)).not.toBe(a)
    withSpares([a, b], () => {
      expect(toOverwrite(5)).not.toBe(a)
      expect(toOverwrite(6)).toBe(b)
      withSpares([], () => expect(toOverwrite(4)).not.toBe(a))
      expect(toOverwrite(4)).toBe(a)
      expect(toOverwrite(4)).not.toBe(a)
    })
    expect(toOverwrite(4)).not.toBe(a)
    expect(withSpares([a], () => 7)).toBe(7)
  })

  it("give a Wasm matrix product the product's bits, whatever the lent array held", () => {
    useKernels({ backend: 'wasm' })
    try {
      const x = Float64Array.from({ length: 600 }, (_, i) => Math.sin(i))
      const w = Float64Array.from({ length: 200 }, (_, i) => Math.cos(i))
      const want = [...matmulNN(x, w, 30, 20, 10)]
      const garbage = new Float64Array(300).fill(NaN)
      const got = withSpares([garbage], () => matmulNN(x, w, 30, 20, 10))
      expect(got).toBe(garbage)
      expect([...got]).toEqual(want)
    } finally {
      useKernels({ backend: 'auto' })
    }
  })
})
