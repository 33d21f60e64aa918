/**
 * Issue 13 item 8 and its row "`.data` of any tensor; `reshape`, `broadcastTo`, `Diff.id`,
 * `mapX`, `Data.fromIdx`: those results alias their input's buffer". The guarantee chosen: no
 * public function returns memory that another value holds. Property: whatever a caller does to
 * any array it receives changes no other tensor.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as Diff from '../../src/Diff.js'
import * as Data from '../../src/data/index.js'
import * as ops from '../../src/ops/index.js'
import * as Tree from '../../src/Tree.js'
import { fromData, isTensor, toFloat64Array, type Tensor } from '../../src/Tensor.js'

/** Every writable array reachable from a value: tensors' data, typed arrays, through arrays and records. */
const arraysIn = (v: unknown, out: Float64Array[] | Int32Array[] = []): (Float64Array | Int32Array)[] => {
  const acc = out as (Float64Array | Int32Array)[]
  if (isTensor(v)) acc.push(v.data as Float64Array)
  else if (v instanceof Float64Array || v instanceof Int32Array) acc.push(v)
  else if (typeof v === 'function') return acc
  else if (Array.isArray(v)) for (const e of v) arraysIn(e, acc as never)
  else if (typeof v === 'object' && v !== null) for (const e of Object.values(v)) arraysIn(e, acc as never)
  return acc
}

/** Runs `f` on inputs, writes into every array of its result, and checks no input changed. */
const writesStayPut = (name: string, inputs: readonly unknown[], f: () => unknown) => {
  const before = inputs.flatMap((i) => arraysIn(i)).map((a) => Array.from(a))
  const result = f()
  for (const a of arraysIn(result)) a.fill(a instanceof Int32Array ? -7 : NaN)
  const after = inputs.flatMap((i) => arraysIn(i)).map((a) => Array.from(a))
  expect(after, name).toEqual(before)
}

const matrix = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
  .chain(([r, c]) => fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: r * c, maxLength: r * c }).map((d) => fromData([r, c], d)))

describe('no public function returns memory another value holds', () => {
  it('structure ops, the identity and its products, data sets: writing into any result changes no input', () => {
    fc.assert(
      fc.property(matrix, (x) => {
        const [r, c] = x.shape as [number, number]
        const g = fromData(x.shape, Array.from(x.data, (v) => v + 1))
        writesStayPut('reshape', [x], () => ops.reshape([c, r]).apply(x))
        writesStayPut('reshape (vjp)', [x, g], () => ops.reshape([-1]).vjp(x)[1](ops.reshape([-1]).apply(g)))
        writesStayPut('broadcastTo (same shape)', [x], () => ops.broadcastTo(x.shape).apply(x))
        writesStayPut('broadcastTo (same shape, vjp)', [x, g], () => ops.broadcastTo(x.shape).vjp(x)[1](g))
        writesStayPut('broadcastTo (jvp)', [x, g], () => ops.broadcastTo(x.shape).jvp(x, g))
        writesStayPut('transpose', [x], () => ops.transpose().apply(x))
        writesStayPut('Diff.id', [x], () => Diff.id<Tensor>().apply(x))
        writesStayPut('Diff.id (jvp)', [x, g], () => Diff.id<Tensor>().jvp(x, g))
        writesStayPut('Diff.id (vjp)', [x, g], () => Diff.id<Tensor>().vjp(x)[1](g))
        writesStayPut('Diff.id (tree)', [x], () => Diff.id<Tree.Tree>().apply({ w: x, b: [x, 1] }))
        writesStayPut('Diff.dup', [x], () => Diff.dup<Tensor>().apply(x))
        writesStayPut('toFloat64Array', [x], () => toFloat64Array(x))
        const labels = Int32Array.from({ length: r }, (_, i) => i % 2)
        const d = Data.dataset(x, labels, 2)
        if (d._tag === 'Right') {
          writesStayPut('Data.mapX (identity)', [x, d.right], () => Data.mapX((t) => t)(d.right))
          writesStayPut('Data.mapX (reshape)', [x, d.right], () => Data.mapX(ops.reshape(x.shape).apply)(d.right))
        }
        const images: Data.Idx = { type: 'ubyte', tensor: ops.reshape([r, c, 1]).apply(x) }
        const ls: Data.Idx = { type: 'ubyte', tensor: fromData([r], Array.from(labels)) }
        writesStayPut('Data.fromIdx', [images, ls], () => Data.fromIdx(images, ls))
      }),
      { numRuns: 50 },
    )
  })
  it('Diff.dup gives two values that share nothing: a write into one leaves the other', () => {
    const x = fromData([2], [1, 2])
    const [a, b] = Diff.dup<Tensor>().apply(x)
    ;(a.data as Float64Array)[0] = 99
    expect(b.data[0]).toBe(1)
  })
})
