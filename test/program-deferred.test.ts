/**
 * On a reverse tape over the plain algebra, a recorded matrix product is computed when first read,
 * so that a bias added to it is added over its own array (`program/deferred.ts`): the values and
 * gradients have the bits of the same arithmetic without it (reverse mode over a copy of the
 * plain algebra, which the tape does not recognise), a product read before or after the add is
 * the product, shape mistakes throw where `matmul` is called, and `held` counts what is held.
 */
import { describe, expect, it } from 'vitest'
import * as Program from '../src/program/index.js'
import type { Algebra } from '../src/program/index.js'
import { key, uniform } from '../src/Random.js'
import { ShapeError } from '../src/ShapeError.js'
import type { Tensor } from '../src/Tensor.js'
import { withKernels as withBackend } from './with-kernels.js'

const bits = (t: Tensor): number[] => [...t.data]
const sameBits = (a: Tensor, b: Tensor): boolean => a.shape.join() === b.shape.join() && bits(a).every((v, i) => Object.is(v, b.data[i]))

/** The plain algebra's arithmetic under another name: a tape over it defers nothing. */
const other = Program.algebra({ ...Program.plainCore })

type P = { readonly w: Tensor; readonly b: Tensor }
/** `[value, dw, db]` of `f` on a tape over `base`, and what the program read through `primal`. */
const run = (base: Algebra<Tensor>, f: <T>(A: Algebra<T>) => (p: { w: T; b: T }, x: T) => T, p: P, x: Tensor) => {
  const tape = Program.reverse(base)
  const y = f(tape.algebra)({ w: tape.variable(p.w), b: tape.variable(p.b) }, tape.constant(x))
  const held = tape.held()
  const [dw, db] = tape.backward(y, Program.plain.broadcastTo(Program.plain.constant(1), y.value.shape))
  return { y: y.value, dw: dw!, db: db!, held }
}

const x = uniform(key(1), [24, 40])
const p: P = { w: uniform(key(2), [40, 32]), b: uniform(key(3), [32]) }
const product = Program.plain.matmul(x, p.w)

describe.each(['auto', 'js', 'wasm'] as const)('deferred products (%s kernels)', (backend) => {
  const withKernels = <R>(f: () => R): R => withBackend(backend, f)

  it('give the bits of the arithmetic without them, for every bias that repeats as a row, and for other operands', () =>
    withKernels(() => {
      const biases: readonly Tensor[] = [p.b, uniform(key(4), [1, 32]), uniform(key(5), []), uniform(key(6), [24, 32]), uniform(key(7), [24, 1])]
      for (const c of biases) {
        const f = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => A.sum(A.tanh(A.add(A.add(A.matmul(x, q.w), A.constant(c)), q.b)))
        const g = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => A.sum(A.tanh(A.add(q.b, A.add(A.constant(c), A.matmul(x, q.w)))))
        for (const h of [f, g]) {
          const a = run(Program.plain, h, p, x)
          const b = run(other, h, p, x)
          expect([sameBits(a.y, b.y), sameBits(a.dw, b.dw), sameBits(a.db, b.db)]).toEqual([true, true, true])
        }
      }
    }))

  it('is the product when the program reads it before or after adding a bias, or uses it again', () =>
    withKernels(() => {
      const seen: Tensor[] = []
      const f = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => {
        const z = A.matmul(x, q.w)
        const early = A.matmul(x, q.w)
        seen.push(A.primal(early))
        const h = A.add(z, q.b)
        const h2 = A.add(early, q.b)
        seen.push(A.primal(z))
        return A.add(A.sum(A.mul(h, z)), A.sum(A.mul(h2, A.constant(2))))
      }
      const a = run(Program.plain, f, p, x)
      const b = run(other, f, p, x)
      expect([sameBits(a.y, b.y), sameBits(a.dw, b.dw), sameBits(a.db, b.db)]).toEqual([true, true, true])
      for (const s of seen) expect(sameBits(s, product)).toBe(true)
    }))

  it('throws the ShapeError of matmul where it is called, even for a product nobody reads', () =>
    withKernels(() => {
      const f = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => {
        A.matmul(q.w, x)
        return A.sum(q.b)
      }
      expect(() => run(Program.plain, f, p, x)).toThrow(ShapeError)
      expect(() => run(Program.plain, f, p, x)).toThrow(/^matmul/)
    }))

  it('holds no product nobody read: the tape of a dense layer holds its input, weights, bias, sum and loss', () =>
    withKernels(() => {
      const dense = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => A.sum(A.add(A.matmul(x, q.w), q.b))
      const a = run(Program.plain, dense, p, x)
      // x, w, b, x w + b and its sum, and not x w
      expect(a.held.length).toBe(5)
      expect(a.held.filter((t) => t === x || t === p.w || t === p.b).length).toBe(3)
      expect(a.held.filter((t) => sameBits(t, Program.plain.add(product, p.b))).length).toBe(1)
      expect(a.held.some((t) => sameBits(t, product))).toBe(false)
      // read, the product is held too
      const reads = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => {
        const z = A.matmul(x, q.w)
        A.primal(z)
        return A.sum(A.add(z, q.b))
      }
      const r = run(Program.plain, reads, p, x).held
      expect([r.length, r.filter((t) => sameBits(t, product)).length]).toEqual([6, 1])
      // read and used by nothing else: the tape's record of it holds it
      const readOnly = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => {
        A.primal(A.matmul(x, q.w))
        return A.sum(q.b)
      }
      const o = run(Program.plain, readOnly, p, x).held
      expect([o.length, o.filter((t) => sameBits(t, product)).length]).toEqual([5, 1])
    }))
})
