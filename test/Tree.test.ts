import fc from 'fast-check'
import { concatAll } from 'fp-ts/lib/Monoid.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { like, scalarValue, tree } from '../laws/arbitraries-tensor.js'
import { ShapeError } from '../src/ShapeError.js'
import { fromData, isTensor } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'

/** A tree with two more trees of its structure. */
const triple = tree().chain((a) => fc.tuple(fc.constant(a), like(a), like(a)))
/** Integer entries, so that sums are exact and algebraic laws hold bit for bit. */
const intTriple = tree({ min: -1000, max: 1000 })
  .map((t) => T.map((l) => (typeof l === 'number' ? Math.round(l) : fromData(l.shape, Array.from(l.data, Math.round))))(t))
  .chain((a) =>
    fc.tuple(
      fc.constant(a),
      like(a, { min: -1000, max: 1000 }).map(T.map((l) => (typeof l === 'number' ? Math.round(l) : fromData(l.shape, Array.from(l.data, Math.round))))),
      like(a, { min: -1000, max: 1000 }).map(T.map((l) => (typeof l === 'number' ? Math.round(l) : fromData(l.shape, Array.from(l.data, Math.round))))),
    ),
  )

/** Exact structural and numeric equality (SameValueZero on scalars). */
const same = (a: Tree, b: Tree): boolean => {
  if (!T.structureEq(a, b)) return false
  const [u] = T.ravel(a)
  const [v] = T.ravel(b)
  return u.every((x, i) => x === v[i] || (x !== x && v[i] !== v[i]))
}

const vec = (t: Tree): number[] => Array.from(T.ravel(t)[0])

describe('Tree arithmetic', () => {
  it('add is commutative and associative, zeros is its identity (integer entries, exact)', () => {
    fc.assert(
      fc.property(intTriple, ([a, b, c]) => {
        expect(same(T.add(a, b), T.add(b, a))).toBe(true)
        expect(same(T.add(a, T.add(b, c)), T.add(T.add(a, b), c))).toBe(true)
        expect(same(T.add(a, T.zeros(a)), a)).toBe(true)
        expect(same(T.sub(T.add(a, b), b), a)).toBe(true)
      }),
    )
  })

  it('the cotangent monoid satisfies the monoid laws and concatAll sums', () => {
    fc.assert(
      fc.property(intTriple, ([a, b, c]) => {
        const M = T.getMonoid(a)
        expect(same(M.concat(M.empty, a), a)).toBe(true)
        expect(same(M.concat(a, M.empty), a)).toBe(true)
        expect(same(M.concat(a, M.concat(b, c)), M.concat(M.concat(a, b), c))).toBe(true)
        // + 0 identifies -0 with 0: the empty element is +0, and 0 + -0 is +0
        const total = vec(concatAll(M)([a, b, c])).map((x) => x + 0)
        const [va, vb, vc] = [vec(a), vec(b), vec(c)]
        expect(total).toEqual(va.map((x, i) => x + vb[i]! + vc[i]! + 0))
      }),
    )
  })

  it('scale and dot agree with the flattened vectors', () => {
    fc.assert(
      fc.property(triple, scalarValue({ min: -5, max: 5 }), ([a, b], k) => {
        const [va, vb] = [vec(a), vec(b)]
        expect(vec(pipe(a, T.scale(k)))).toEqual(va.map((x) => k * x))
        // dot sums leaf by leaf in key-insertion order, ravel sorts keys: equal up to rounding
        let s = 0
        let mag = 0
        for (let i = 0; i < va.length; i++) {
          s += va[i]! * vb[i]!
          mag += Math.abs(va[i]! * vb[i]!)
        }
        expect(Math.abs(T.dot(a, b) - s)).toBeLessThanOrEqual(1e-14 * mag)
        expect(T.dot(a, b)).toBe(T.dot(b, a))
        expect(T.size(a)).toBe(va.length)
      }),
    )
  })

  it('known values on a small record', () => {
    const w = fromData([2], [1, 2])
    const a = { w, b: 3 }
    const b = { b: 10, w: fromData([2], [10, 20]) } // different key order matches by name
    const s = T.add(a, b)
    expect(s.b).toBe(13)
    expect(Array.from((s.w as Tensor).data)).toEqual([11, 22])
    expect(T.dot(a, b)).toBe(10 + 40 + 30)
    expect(T.zeros(a)).toEqual({ w: fromData([2], [0, 0]), b: 0 })
  })

  it('never writes into its arguments', () => {
    fc.assert(
      fc.property(triple, ([a, b]) => {
        const before = [vec(a), vec(b)]
        T.add(a, b)
        T.sub(a, b)
        T.scale(3)(a)
        T.dot(a, b)
        T.zeros(a)
        T.ravel(a)[1](T.ravel(b)[0])
        expect([vec(a), vec(b)]).toEqual(before)
      }),
    )
  })
})

describe('Tree structure', () => {
  it('flatten/unflatten and ravel/unravel round-trip', () => {
    fc.assert(
      fc.property(tree(), (t) => {
        const [ls, def] = T.flatten(t)
        expect(same(T.unflatten(def, ls), t)).toBe(true)
        const [v, unravel] = T.ravel(t)
        expect(same(unravel(v), t)).toBe(true)
        expect(T.leaves(t).length).toBe(ls.length)
      }),
    )
  })

  it('leaves come in index order for arrays and sorted key order for records', () => {
    expect(T.leaves([1, { y: 3, x: 2 }, 4])).toEqual([1, 2, 3, 4])
  })

  it('structureEq holds for trees drawn like each other, and fails when a leaf changes kind or shape', () => {
    fc.assert(
      fc.property(triple, ([a, b]) => {
        expect(T.structureEq(a, b)).toBe(true)
      }),
    )
    expect(T.structureEq({ a: 1 }, { a: fromData([1], [1]) })).toBe(false)
    expect(T.structureEq([fromData([2], [1, 2])], [fromData([1, 2], [1, 2])])).toBe(false)
    expect(T.structureEq({ a: 1 }, { b: 1 })).toBe(false)
    expect(T.structureEq([1, 2], [1])).toBe(false)
  })

  it('a structure mismatch throws a ShapeError naming the op and the path', () => {
    const f = () => T.add({ layers: [{ w: fromData([2, 3], [1, 2, 3, 4, 5, 6]) }] }, { layers: [{ w: fromData([3, 2], [1, 2, 3, 4, 5, 6]) }] })
    expect(f).toThrow(ShapeError)
    expect(f).toThrow('Tree.add at $.layers[0].w: tensors of equal shapes; got shapes [2, 3] and [3, 2]')
    expect(() => T.add([1, 2] as Tree, [1] as Tree)).toThrow(/Tree\.add at \$: trees of the same structure, found an array of length 2 and an array of length 1/)
    expect(() => T.dot({ a: 1 }, { a: [1] })).toThrow(/Tree\.dot at \$\.a: .*found a number and an array of length 1/)
    expect(() => T.add({ 'layer 1': 1 }, { 'layer 1': 'x' as unknown as Tree })).toThrow(/\$\["layer 1"\]: a tree/)
  })

  it('map keeps leaf kinds and refuses to change them', () => {
    expect(T.map((l) => (typeof l === 'number' ? l + 1 : l))({ a: [1, 2] })).toEqual({ a: [2, 3] })
    expect(() => T.map(() => 1)({ a: fromData([1], [1]) })).toThrow(ShapeError)
  })

  it('zipWith combines leaf by leaf with the path', () => {
    const paths: string[] = []
    T.zipWith((x, _y, p) => {
      paths.push(p)
      return x
    })({ a: [1, 2] }, { a: [3, 4] })
    expect(paths).toEqual(['$.a[0]', '$.a[1]'])
  })

  it('unflatten and unravel reject wrong leaves', () => {
    const [, def] = T.flatten([1, fromData([2], [1, 2])])
    expect(() => T.unflatten(def, [1])).toThrow(ShapeError)
    expect(() => T.unflatten(def, [1, 2])).toThrow(/Tree\.unflatten at \$\[1\]: a tensor, found a number/)
    expect(() => T.unflatten(def, [1, fromData([2], [1, 2]), 3])).toThrow(/exactly 2 leaves, found 3/)
    expect(() => T.ravel([1, 2])[1]([1])).toThrow(ShapeError)
    expect(isTensor((T.unflatten(def, [1, fromData([2], [5, 6])]) as Tree[])[1])).toBe(true)
  })

  it('results are frozen', () => {
    const r = T.add({ a: [1] }, { a: [2] })
    expect(Object.isFrozen(r)).toBe(true)
    expect(Object.isFrozen(r.a)).toBe(true)
  })
})
