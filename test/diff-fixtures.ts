/**
 * Small, obviously correct Diffs (and deliberately wrong ones) for the Diff, Grad and law tests,
 * written with plain loops so they do not depend on src/ops.
 */
import { broadcastData, sumToShape } from '../src/kernels/broadcast.js'
import { broadcastShapesOrThrow } from '../src/kernels/shape.js'
import * as D from '../src/Diff.js'
import type { Diff } from '../src/Diff.js'
import { wrap } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'

export type Pair = readonly [Tensor, Tensor]

// ---- scalars ---------------------------------------------------------------------------------

export const sinS: Diff<number, number> = D.fromRules({
  value: Math.sin,
  jvp: (x, _y, dx) => Math.cos(x) * dx,
  pullback: (x, _y, dy) => Math.cos(x) * dy,
})

export const expS: Diff<number, number> = D.fromRules({
  value: Math.exp,
  jvp: (_x, y, dx) => y * dx,
  pullback: (_x, y, dy) => y * dy,
})

export const squareS: Diff<number, number> = D.fromRules({
  value: (x) => x * x,
  jvp: (x, _y, dx) => 2 * x * dx,
  pullback: (x, _y, dy) => 2 * x * dy,
})

export const mulS: Diff<readonly [number, number], number> = D.fromRules({
  value: ([x, y]) => x * y,
  jvp: ([x, y], _z, [dx, dy]) => dx * y + x * dy,
  pullback: ([x, y], _z, c) => [c * y, c * x],
})

// ---- tensors, same shape ---------------------------------------------------------------------

const map1 = (t: Tensor, f: (v: number) => number): Tensor => {
  const out = new Float64Array(t.data.length)
  for (let i = 0; i < out.length; i++) out[i] = f(t.data[i]!)
  return wrap(t.shape, out)
}

const map2 = (a: Tensor, b: Tensor, f: (u: number, v: number) => number): Tensor => {
  const out = new Float64Array(a.data.length)
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[i]!, b.data[i]!)
  return wrap(a.shape, out)
}

/** Elementwise exp, its derivative scaled by `k` in forward and `kT` in reverse mode (1 is right). */
export const expT = (k = 1, kT = k): Diff<Tensor, Tensor> =>
  D.fromRules({
    value: (x) => map1(x, Math.exp),
    jvp: (_x, y, dx) => map2(y, dx, (u, v) => k * u * v),
    pullback: (_x, y, dy) => map2(y, dy, (u, v) => kT * u * v),
  })

export const sinT: Diff<Tensor, Tensor> = D.fromRules({
  value: (x) => map1(x, Math.sin),
  jvp: (x, _y, dx) => map2(x, dx, (u, v) => Math.cos(u) * v),
  pullback: (x, _y, dy) => map2(x, dy, (u, v) => Math.cos(u) * v),
})

export const squareT: Diff<Tensor, Tensor> = D.fromRules({
  value: (x) => map1(x, (v) => v * v),
  jvp: (x, _y, dx) => map2(x, dx, (u, v) => 2 * u * v),
  pullback: (x, _y, dy) => map2(x, dy, (u, v) => 2 * u * v),
})

/** The sum of all entries, as a number. */
export const sumT: Diff<Tensor, number> = D.fromRules({
  value: (x) => x.data.reduce((s, v) => s + v, 0),
  jvp: (_x, _y, dx) => dx.data.reduce((s, v) => s + v, 0),
  pullback: (x, _y, c) => map1(x, () => c),
})

/** The sum of all entries, as a tensor of shape []. */
export const sumT0: Diff<Tensor, Tensor> = D.fromRules({
  value: (x) => wrap([], Float64Array.of(x.data.reduce((s, v) => s + v, 0))),
  jvp: (_x, _y, dx) => wrap([], Float64Array.of(dx.data.reduce((s, v) => s + v, 0))),
  pullback: (x, _y, c) => map1(x, () => c.data[0]!),
})

// ---- broadcasting binary nodes, with switches to break them ----------------------------------

const bcast = (op: string, [x, y]: Pair) => {
  const out = broadcastShapesOrThrow(op, [x.shape, y.shape])
  return { out, xe: broadcastData(x.data, x.shape, out), ye: broadcastData(y.data, y.shape, out) }
}

const zip = (a: Float64Array, b: Float64Array, f: (u: number, v: number) => number): Float64Array =>
  a.map((u, i) => f(u, b[i]!))

export interface AddFlaws {
  /** The pullback sends 2c instead of c. */
  readonly doubles?: boolean
  /** The pullback does not sum over broadcast axes (sends c of the output shape). */
  readonly noReduce?: boolean
}

export const addB = (flaws: AddFlaws = {}): Diff<Pair, Tensor> =>
  D.fromRules({
    value: (xy) => {
      const { out, xe, ye } = bcast('add', xy)
      return wrap(out, zip(xe, ye, (u, v) => u + v))
    },
    jvp: (xy, _z, dxy) => {
      const { out, xe, ye } = bcast('add', dxy)
      void xy
      return wrap(out, zip(xe, ye, (u, v) => u + v))
    },
    pullback: ([x, y], z, c) => {
      const k = flaws.doubles ? 2 : 1
      const g = c.data.map((v) => k * v)
      if (flaws.noReduce) return [wrap(z.shape, g), wrap(z.shape, g.slice())]
      return [wrap(x.shape, sumToShape(g, z.shape, x.shape)), wrap(y.shape, sumToShape(g, z.shape, y.shape))]
    },
  })

export interface MulFlaws {
  /** The pullback sends c * x to x and c * y to y (forgets to swap). */
  readonly noSwap?: boolean
}

export const mulB = (flaws: MulFlaws = {}): Diff<Pair, Tensor> =>
  D.fromRules({
    value: (xy) => {
      const { out, xe, ye } = bcast('mul', xy)
      return wrap(out, zip(xe, ye, (u, v) => u * v))
    },
    jvp: (xy, _z, dxy) => {
      const { out, xe, ye } = bcast('mul', xy)
      const d = bcast('mul', dxy)
      return wrap(out, xe.map((u, i) => d.xe[i]! * ye[i]! + u * d.ye[i]!))
    },
    pullback: (xy, z, c) => {
      const [x, y] = xy
      const { xe, ye } = bcast('mul', xy)
      const gx = zip(c.data as Float64Array, flaws.noSwap ? xe : ye, (u, v) => u * v)
      const gy = zip(c.data as Float64Array, flaws.noSwap ? ye : xe, (u, v) => u * v)
      return [wrap(x.shape, sumToShape(gx, z.shape, x.shape)), wrap(y.shape, sumToShape(gy, z.shape, y.shape))]
    },
  })
