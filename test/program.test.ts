/**
 * Programs over the tensor algebra: the transformations (against finite differences and each
 * other), NumPy's matmul rules, bad input, checkpoint, custom rules, elementwise functions
 * from generic scalar definitions, and layers and Diffs inside programs (vmap: program-vmap.test.ts).
 */
import { describe, expect, it } from 'vitest'
import * as Act from '../src/Activation.js'
import * as Layer from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import * as Program from '../src/program/index.js'
import type { Algebra } from '../src/program/index.js'
import { ShapeError } from '../src/ShapeError.js'
import type { Tensor } from '../src/Tensor.js'
import { fromData, tensor } from '../src/Tensor.js'
import { filled } from '../examples/models.js'

const P = Program.plain
const close = (a: Tensor, b: Tensor, rel: number): void => {
  expect(a.shape).toEqual(b.shape)
  const scale = Math.max(1e-300, ...Array.from(b.data, Math.abs))
  for (let i = 0; i < a.data.length; i++) expect(Math.abs(a.data[i]! - b.data[i]!)).toBeLessThanOrEqual(rel * scale)
}
const axpy = (a: number, x: Tensor, y: Tensor): Tensor => fromData(y.shape, Array.from(y.data, (v, i) => v + a * x.data[i]!))

type Params<T> = { w1: T; b1: T; w2: T; b2: T }
const mlp = <T>(A: Algebra<T>) => (p: Params<T>, x: T, labels: readonly number[]) =>
  A.softmaxCrossEntropy(A.add(A.matmul(A.tanh(A.add(A.matmul(x, p.w1), p.b1)), p.w2), p.b2), labels)
const params: Params<Tensor> = { w1: filled([3, 4], 1), b1: filled([4], 2), w2: filled([4, 3], 3), b2: filled([3], 4) }
const x = filled([5, 3], 5)
const labels = [0, 2, 1, 1, 0]
const keys = ['w1', 'b1', 'w2', 'b2'] as const
const dir: Params<Tensor> = { w1: filled([3, 4], 6), b1: filled([4], 7), w2: filled([4, 3], 8), b2: filled([3], 9) }
const along = (h: number): Params<Tensor> => ({ w1: axpy(h, dir.w1, params.w1), b1: axpy(h, dir.b1, params.b1), w2: axpy(h, dir.w2, params.w2), b2: axpy(h, dir.b2, params.b2) })
const dotP = (a: Params<Tensor>, b: Params<Tensor>): number => keys.reduce((s, k) => s + a[k].data.reduce((t, v, i) => t + v * b[k].data[i]!, 0), 0)

describe('transformations of a program', () => {
  it('grad agrees with central differences along a direction, and jvp with grad (dot-product test)', () => {
    const g = Program.grad(mlp)(params, x, labels)
    const h = 1e-5
    const fd = (mlp(P)(along(h), x, labels).data[0]! - mlp(P)(along(-h), x, labels).data[0]!) / (2 * h)
    expect(Math.abs(dotP(g, dir) - fd)).toBeLessThan(1e-8)
    const [y, dy] = Program.jvp(mlp)(params, dir, x, labels)
    expect(y.data[0]).toBe(mlp(P)(params, x, labels).data[0])
    expect(Math.abs(dy.data[0]! - dotP(g, dir))).toBeLessThan(1e-13)
  })
  it('hvp (forward over reverse) agrees with reverse over reverse and with differences of gradients', () => {
    const Hv = Program.hvp(mlp)(params, dir, x, labels)
    // reverse over reverse: the gradient of <grad f, v>
    const rr = Program.grad(<T>(A: Algebra<T>) => (p: Params<T>, v: Params<T>, x: T) => {
      const g = Program.gradIn(A)(<S>(S: Algebra<S>, lift: (t: T) => S) => (q: Params<S>) => mlp(S)(q, lift(x), labels))(p)
      return keys.map((k) => A.sum(A.mul(g[k], v[k]))).reduce((a, b) => A.add(a, b))
    })(params, dir, x)
    const h = 1e-5
    const [gp, gm] = [Program.grad(mlp)(along(h), x, labels), Program.grad(mlp)(along(-h), x, labels)]
    for (const k of keys) {
      close(Hv[k], rr[k], 1e-12)
      close(Hv[k], fromData(gp[k].shape, Array.from(gp[k].data, (v, i) => (v - gm[k].data[i]!) / (2 * h))), 1e-7)
    }
  })
  it('hessian is symmetric and agrees with differences of gradients', () => {
    const f = <T>(A: Algebra<T>) => (w1: T, x: T) => A.sum(A.square(A.tanh(A.matmul(x, w1))))
    const w = filled([2, 3], 3)
    const xs = filled([4, 2], 4)
    const H = Program.hessian(f)(w, xs)
    expect(H.shape).toEqual([2, 3, 2, 3])
    for (let i = 0; i < 6; i++) {
      const e = fromData([2, 3], Array.from({ length: 6 }, (_, j) => (j === i ? 1e-5 : 0)))
      const [gp, gm] = [Program.grad(f)(axpy(1, e, w), xs), Program.grad(f)(axpy(-1, e, w), xs)]
      for (let j = 0; j < 6; j++) {
        expect(H.data[i * 6 + j]).toBeCloseTo((gp.data[j]! - gm.data[j]!) / 2e-5, 6)
        expect(H.data[i * 6 + j]).toBeCloseTo(H.data[j * 6 + i]!, 12)
      }
    }
  })
  it('calling a transformation twice gives the same answer (no state kept)', () => {
    expect(Program.grad(mlp)(params, x, labels)).toEqual(Program.grad(mlp)(params, x, labels))
  })
  it('perturbations of nested derivatives are not confused: d/dx (x * d/dy (x y)) = 2x', () => {
    const f = <T>(A: Algebra<T>) => (x: T) =>
      A.sum(A.mul(x, Program.gradIn(A)(<S>(S: Algebra<S>, lift: (t: T) => S) => (y: S) => S.sum(S.mul(lift(x), y)))(x)))
    expect(Array.from(Program.grad(f)(tensor([3])).data)).toEqual([6])
  })
})

describe('matmul with NumPy rules', () => {
  const loop = (a: Tensor, b: Tensor): number[] => {
    // a [B, m, k] by b [k, n], by definition
    const [B, m, k] = a.shape as [number, number, number]
    const n = b.shape[1]!
    const out: number[] = []
    for (let q = 0; q < B; q++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0
      for (let l = 0; l < k; l++) s += a.data[q * m * k + i * k + l]! * b.data[l * n + j]!
      out.push(s)
    }
    return out
  }
  it('batched leading axes broadcast, vectors are promoted and squeezed', () => {
    const a = filled([2, 3, 4], 1)
    const b = filled([4, 5], 2)
    const y = P.matmul(a, b)
    expect(y.shape).toEqual([2, 3, 5])
    close(y, fromData([2, 3, 5], loop(a, b)), 1e-15)
    expect(P.matmul(filled([4], 1), b).shape).toEqual([5])
    expect(P.matmul(a, filled([4], 1)).shape).toEqual([2, 3])
    expect(P.matmul(filled([4], 1), filled([4], 2)).shape).toEqual([])
    expect(P.matmul(filled([2, 1, 3, 4], 1), filled([5, 4, 2], 2)).shape).toEqual([2, 5, 3, 2])
  })
  it('its pullbacks (transposed kernels, batch axes summed back) agree with forward mode', () => {
    const f = <T>(A: Algebra<T>) => (ab: readonly [T, T]) => A.sum(A.sin(A.matmul(ab[0], ab[1])))
    const ab = [filled([2, 1, 3, 4], 1), filled([5, 4, 2], 2)] as const
    const t = [filled([2, 1, 3, 4], 3), filled([5, 4, 2], 4)] as const
    const g = Program.grad(f)(ab)
    const [, dy] = Program.jvp(f)(ab, t)
    const dot = g.reduce((s, gi, i) => s + gi.data.reduce((u, v, j) => u + v * t[i]!.data[j]!, 0), 0)
    expect(Math.abs(dot - dy.data[0]!)).toBeLessThan(1e-12)
  })
  it('mismatched shapes throw a ShapeError naming matmul and both shapes, before any arithmetic', () => {
    expect(() => P.matmul(filled([2, 3], 1), filled([4, 5], 1))).toThrow(ShapeError)
    expect(() => P.matmul(filled([2, 3], 1), filled([4, 5], 1))).toThrow(/matmul: .*got shapes \[2, 3\] and \[4, 5\]/)
    expect(() => P.matmul(filled([2, 2, 3], 1), filled([3, 3, 5], 1))).toThrow(/matmul/)
  })
})

describe('bad input is named', () => {
  it('a program returning a non-tensor', () => {
    expect(() => Program.grad(<T>(_A: Algebra<T>) => (_x: T) => 3 as unknown as T)(tensor([1]))).toThrow(
      /grad: the program should return a tensor of its algebra, found the number 3/,
    )
  })
  it('values mixed from two calls', () => {
    let leaked: unknown
    Program.grad(<T>(A: Algebra<T>) => (x: T) => {
      leaked = x
      return A.sum(x)
    })(tensor([1]))
    expect(() => Program.grad(<T>(A: Algebra<T>) => (x: T) => A.sum(A.add(x, leaked as T)))(tensor([1]))).toThrow(
      /add: argument 1 should be a value of reverse-mode call \d+, found a value of reverse-mode call \d+/,
    )
    expect(() => Program.grad(<T>(A: Algebra<T>) => (x: T) => A.sum(A.mul(x, tensor([1]) as unknown as T)))(tensor([1]))).toThrow(
      /mul: argument 1 .* found a plain tensor of shape \[1\]/,
    )
  })
  it('a comparison or integer labels used as a differentiable value', () => {
    expect(() => Program.grad(<T>(A: Algebra<T>) => (x: T) => A.sum(A.add(x, A.gt(x, x) as unknown as T)))(tensor([1]))).toThrow(
      /add: argument 1 .* found a mask from a comparison, which is not differentiable/,
    )
    expect(() => Program.grad(<T>(A: Algebra<T>) => (x: T, l: number[]) => A.sum(A.add(x, l as unknown as T)))(tensor([1]), [1])).toThrow(
      /add: argument 1 .* found an array of 1/,
    )
    expect(() => mlp(P)(params, x, [0, 3, 1, 1, 0])).toThrow(/softmaxCrossEntropy: labels\[1\] should be an integer class in \[0, 3\), found 3/)
    expect(() => P.where(tensor([1]) as never, tensor([1]), tensor([2]))).toThrow(/where: the condition should be a mask/)
  })
  it('grad of a program with more than one output element', () => {
    expect(() => Program.grad(<T>(A: Algebra<T>) => (x: T) => A.exp(x))(tensor([1, 2]))).toThrow(/grad: a program returning one number/)
  })
})

describe('checkpoint, custom rules and elementwise functions', () => {
  const block = Program.checkpoint((A) => (x, w) => A.tanh(A.matmul(x!, w!)))
  const deep = (ck: boolean) => <T>(A: Algebra<T>) => (w: T, x: T) => {
    let h = x
    for (let i = 0; i < 4; i++) h = ck ? block(A)(h, w) : A.tanh(A.matmul(h, w))
    return A.sum(A.square(h))
  }
  it('checkpoint gives the same value, gradient and Hessian-vector product', () => {
    const w = filled([3, 3], 2)
    const xs = filled([4, 3], 3)
    close(Program.grad(deep(true))(w, xs), Program.grad(deep(false))(w, xs), 1e-15)
    close(Program.hvp(deep(true))(w, filled([3, 3], 4), xs), Program.hvp(deep(false))(w, filled([3, 3], 4), xs), 1e-13)
  })
  it('customJvp and customVjp: one rule serves both modes', () => {
    const sp = Program.customJvp((A) => (x) => A.softplus(x!), (A) => ([x], _y, [dx]) => A.mul(dx!, A.sigmoid(x!)))
    const sv = Program.customVjp((A) => (x) => A.softplus(x!), (A) => ([x], _y, g) => [A.mul(g, A.sigmoid(x!))])
    const xs = filled([5], 1)
    const t = filled([5], 2)
    for (const s of [sp, sv]) {
      const f = <T>(A: Algebra<T>) => (x: T) => A.sum(A.square(s(A)(x)))
      const ref = <T>(A: Algebra<T>) => (x: T) => A.sum(A.square(A.softplus(x)))
      close(Program.grad(f)(xs), Program.grad(ref)(xs), 1e-15)
      close(Program.jvp(f)(xs, t)[1], Program.jvp(ref)(xs, t)[1], 1e-15)
      close(Program.hvp(f)(xs, t), Program.hvp(ref)(xs, t), 1e-14)
    }
  })
  it("a user's elementwise function from its generic definition: derivatives of every order", () => {
    const softsign = Program.elementwise('softsign', (F) => (x) => F.div(x, F.add(F.one, F.abs(x))))
    const xs = tensor([-2, -0.5, 0.5, 3])
    const f = <T>(A: Algebra<T>) => (x: T) => A.sum(A.map(softsign, x))
    const d1 = Program.grad(f)(xs)
    const d2 = Program.hvp(f)(xs, tensor([1, 1, 1, 1]))
    xs.data.forEach((v, i) => {
      const a = 1 + Math.abs(v)
      expect(d1.data[i]).toBeCloseTo(1 / (a * a), 15)
      expect(d2.data[i]).toBeCloseTo(-2 * Math.sign(v) / (a * a * a), 14)
    })
  })
})

describe('layers and Diffs inside programs', () => {
  const dense = Layer.dense(3, 2)
  const p = { w: filled([3, 2], 1), b: filled([2], 2) }
  const viaDiff = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => A.sum(A.square(Program.call(Act.tanh.diff)(A)(Program.call(dense)(A)([q, x]))))
  const direct = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => A.sum(A.square(A.tanh(A.add(A.matmul(x, q.w), q.b))))
  it('an existing layer and activation run in plain, forward and reverse mode', () => {
    const xs = filled([4, 3], 3)
    expect(viaDiff(P)(p, xs).data[0]).toBeCloseTo(direct(P)(p, xs).data[0]!, 14)
    const gD = Program.grad(viaDiff)(p, xs)
    const gP = Program.grad(direct)(p, xs)
    close(gD.w, gP.w, 1e-14)
    close(gD.b, gP.b, 1e-14)
    const t = { w: filled([3, 2], 4), b: filled([2], 5) }
    expect(Program.jvp(viaDiff)(p, t, xs)[1].data[0]).toBeCloseTo(Program.jvp(direct)(p, t, xs)[1].data[0]!, 13)
    // a loss Diff returning a number
    const viaLoss = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => Program.call(Loss.mse(fromData([4, 2], new Array(8).fill(0))))(A)(A.tanh(A.add(A.matmul(x, q.w), q.b)))
    expect(Program.grad(viaLoss)(p, xs).w.shape).toEqual([3, 2])
  })
  it('nesting through a Diff that carries no program is refused with a clear TypeError', () => {
    expect(() => Program.hvp(viaDiff)(p, p, filled([4, 3], 3))).toThrow(/a Diff carries no program.*build it with Layer.fromFunction/)
  })
  it('Layer.fromFunction makes a layer of a program: its modes agree, and it nests inside programs', () => {
    const layer = Layer.fromFunction(() => p, <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => A.tanh(A.add(A.matmul(x, q.w), q.b)))
    const xs = filled([4, 3], 3)
    close(layer.apply([p, xs]), P.tanh(P.add(P.matmul(xs, p.w), p.b)), 0)
    const [, back] = layer.vjp([p, xs])
    const [gp, gx] = back(filled([4, 2], 7))
    const [, backP] = layer.vjpParams(p, xs)
    close(backP(filled([4, 2], 7)).w, gp.w, 0)
    const [, dy] = layer.jvp([p, xs], [{ w: filled([3, 2], 8), b: filled([2], 9) }, filled([4, 3], 10)])
    const dot = (a: Tensor, b: Tensor) => a.data.reduce((s, v, i) => s + v * b.data[i]!, 0)
    expect(Math.abs(dot(dy, filled([4, 2], 7)) - (dot(gp.w, filled([3, 2], 8)) + dot(gp.b, filled([2], 9)) + dot(gx, filled([4, 3], 10))))).toBeLessThan(1e-12)
    const nested = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => A.sum(A.square(Program.call(layer)(A)([q, x])))
    const H = Program.hvp(nested)(p, p, xs)
    const Hd = Program.hvp(direct)(p, p, xs)
    close(H.w, Hd.w, 1e-14)
  })
})
