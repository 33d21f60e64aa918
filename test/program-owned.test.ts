/**
 * The reverse sweep over the plain algebra writes over the cotangents it owns (memory made during
 * the sweep by the library's primitives, seen by no one else), and `Program.trainStep` writes
 * the new parameters over gradients its sweep made: every array a caller can reach
 * (parameters, inputs, an output cotangent they gave, a tensor their custom rule keeps, values and
 * parameters returned before) is the same afterwards, and the results have the bits of the same
 * arithmetic without ownership (reverse mode over a copy of the plain algebra, which the sweep
 * does not recognise) and of the ordinary update.
 */
import { describe, expect, it } from 'vitest'
import { momentum, sgd } from '../src/Optimizer.js'
import * as Program from '../src/program/index.js'
import type { Algebra } from '../src/program/index.js'
import { giveUp, takeUp } from '../src/kernels/spares.js'
import { ownership } from '../src/program/owned.js'
import { plain } from '../src/program/plain.js'
import { vjpArgs, type Nested } from '../src/program/transforms.js'
import { key, uniform } from '../src/Random.js'
import { tensor, wrap, type Tensor } from '../src/Tensor.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import { withKernels as withBackend } from './with-kernels.js'

/** Every tensor array of `t`, with a copy of its contents now. */
const hold = (held: [Float64Array, Float64Array][], t: unknown): void => {
  for (const leaf of T.leaves(t as Tree)) if (typeof leaf !== 'number') held.push([leaf.data as Float64Array, (leaf.data as Float64Array).slice()])
}
const unchanged = (held: readonly [Float64Array, Float64Array][]): boolean =>
  held.every(([a, copy]) => a.length === copy.length && a.every((v, i) => Object.is(v, copy[i])))
const bitsOf = (t: unknown): number[] => T.leaves(t as Tree).flatMap((l) => (typeof l === 'number' ? [l] : [...l.data]))
const sameBits = (a: unknown, b: unknown): boolean => {
  const x = bitsOf(a)
  const y = bitsOf(b)
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]))
}

/** The plain algebra's arithmetic under another name: reverse mode over it owns nothing. */
const unowned = Program.algebra({ ...Program.plainCore })
/** `[value, gradient]` of `f` in its first argument (a record of tensors) over `unowned`: the reference bits. */
const reference = <P extends { readonly [k: string]: Tensor }>(f: Program.AtTensor<[P, ...never[]]>, p: P, ...rest: readonly unknown[]): readonly [Tensor, P] => {
  const tape = Program.reverse(unowned)
  const keys = Object.keys(p)
  const vars = Object.fromEntries(keys.map((name) => [name, tape.variable(p[name]!)]))
  const lifted = rest.map((r) => (Program.plainCore.is(r) ? tape.constant(r) : r))
  const y = (f as unknown as (A: Algebra<Program.TapeValue<Tensor>>) => (...xs: unknown[]) => Program.TapeValue<Tensor>)(tape.algebra)(vars, ...lifted)
  const gs = tape.backward(y, Program.plain.broadcastTo(Program.plain.constant(1), y.value.shape))
  return [y.value, Object.fromEntries(keys.map((name, i) => [name, gs[i]!])) as unknown as P]
}

/** The gradient of `f` in its first argument, and whether its sweep owns each leaf of it (in `keys` order). */
const ownedGrads = <P extends { readonly [k: string]: Tensor }>(f: Program.AtTensor<[P, ...never[]]>, keys: readonly (keyof P)[], ...args: readonly unknown[]) => {
  const [y, back, owns] = vjpArgs(plain, 'test', f as unknown as Nested<Tensor>, args, args.map((_, i) => i === 0))
  const g = back(Program.plain.broadcastTo(Program.plain.constant(1), y.shape))[0] as P
  return [g, keys.map((k) => owns(g[k]!))] as const
}

type Mlp<T> = { readonly w1: T; readonly b1: T; readonly w2: T; readonly b2: T }
// W1 wide enough for the Wasm kernels (>= 1024 elements)
const mlp = <T>(A: Algebra<T>) => (p: Mlp<T>, x: T, labels: ArrayLike<number>): T =>
  A.softmaxCrossEntropy(A.add(A.matmul(A.relu(A.add(A.matmul(x, p.w1), p.b1)), p.w2), p.b2), labels)
/**
 * `mlp` with its cross-entropy composed of primitives whose fused pullbacks have the bits of
 * their rules, so that the reference (rules over another algebra, no fused kernels) gives the
 * same bits: the softmaxCrossEntropy primitive's fused pullback (the Loss module's kernel) agrees
 * with its rule to rounding only (checkFused), and is compared below within that.
 */
const mlpComposed = <T>(A: Algebra<T>) => (p: Mlp<T>, x: T, labels: ArrayLike<number>): T => {
  const z = A.add(A.matmul(A.relu(A.add(A.matmul(x, p.w1), p.b1)), p.w2), p.b2)
  const [n, c] = A.shape(z) as [number, number]
  const hot = new Float64Array(n * c)
  for (let i = 0; i < n; i++) hot[i * c + labels[i]!] = 1
  const picked = A.sum(A.mul(z, A.constant(wrap([n, c], hot))), { axes: [1] })
  return A.mean(A.sub(A.reshape(A.logSumExp(z, 1), [n]), picked))
}
const mlpParams: Mlp<Tensor> = { w1: uniform(key(0), [40, 32]), b1: uniform(key(1), [32]), w2: uniform(key(2), [32, 5]), b2: uniform(key(3), [5]) }
const x = uniform(key(4), [24, 40])
const labels = Int32Array.from(uniform(key(5), [24]).data, (v) => Math.floor(v * 5))

/**
 * `p` used several times, so its cotangents are accumulated (in place, over owned ones); `v`'s
 * cotangent is the very array that `w + k` passes on to `w`, which `sin(w)`'s cotangent is later
 * added to: the sweep must not own an array two cotangents share, nor one passed on from it.
 */
const fanOut = <T>(A: Algebra<T>) => (p: { readonly a: T }, k: T): T => {
  const v = A.mul(p.a, A.constant(3))
  const w = A.mul(p.a, A.constant(2))
  const first = A.sum(A.sin(w))
  const s = A.add(A.add(w, k), v)
  return A.add(first, A.add(A.sum(A.mul(s, A.constant(5))), A.sum(A.mul(p.a, A.tanh(p.a)))))
}
const a = uniform(key(6), [48])
const k = uniform(key(7), [48])

/** A user's rule whose pullback returns a tensor it keeps (the caller's `kept`). */
const kept = uniform(key(8), [48])
const keeping = Program.customVjp((A) => (x) => A.scale(x!, 2), (A) => () => [A.constant(kept as never)])
// the custom rule's cotangent reaches `a` first (its node is last), then `a a`'s two are added to it
const withCustom = <T>(A: Algebra<T>) => (p: { readonly a: T }): T => A.add(A.sum(A.mul(p.a, p.a)), A.sum(keeping(A)(p.a)))
const onlyCustom = <T>(A: Algebra<T>) => (p: { readonly a: T }): T => A.sum(keeping(A)(p.a))

describe.each(['auto', 'js', 'wasm'] as const)('the reverse sweep writing over what it owns (%s kernels)', (backend) => {
  const withKernels = <R>(f: () => R): R => withBackend(backend, f)

  it('gives the bits of the same arithmetic without ownership, and writes no parameter or input', () =>
    withKernels(() => {
      const held: [Float64Array, Float64Array][] = []
      hold(held, [mlpParams, x, a, k, kept])
      const ls = labels.slice()
      const cases = [
        [Program.valueAndGrad(mlpComposed)(mlpParams, x, labels), reference(mlpComposed, mlpParams, x, labels)],
        [Program.valueAndGrad(fanOut)({ a }, k), reference(fanOut, { a }, k)],
        [Program.valueAndGrad(withCustom)({ a }), reference(withCustom, { a })],
      ] as const
      for (const [got, want] of cases) expect(sameBits(got, want)).toBe(true)
      const [got, want] = [bitsOf(Program.valueAndGrad(mlp)(mlpParams, x, labels)), bitsOf(reference(mlp, mlpParams, x, labels))]
      expect(got.length).toBe(want.length)
      got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want[i]!))))
      expect(unchanged(held)).toBe(true)
      expect([...labels]).toEqual([...ls])
    }))

  it('writes over no output cotangent a caller gives, nor what a pullback of theirs keeps', () =>
    withKernels(() => {
      const seed = uniform(key(9), [48])
      const held: [Float64Array, Float64Array][] = []
      hold(held, [seed, a, k, kept])
      // the seed passed on by `add` to x, then added to: its owner is the caller
      const f = <T>(A: Algebra<T>) => (x: T) => A.add(A.add(x, A.sin(x)), A.mul(x, x))
      const [, back] = Program.vjp(f)(a)
      const g = back(seed)
      const tape = Program.reverse(unowned)
      const xv = tape.variable(a)
      const want = tape.backward(f(tape.algebra)(xv), seed)[0]!
      expect(sameBits(g, want)).toBe(true)
      // a custom rule's cotangent is the caller's own tensor: returned, never written over or donated
      const [grads, owned] = ownedGrads(onlyCustom, ['a'], { a })
      expect(grads.a).toBe(kept)
      expect(owned).toEqual([false])
      expect(unchanged(held)).toBe(true)
    }))

  it('owns the gradients it made, and nothing else', () =>
    withKernels(() => {
      expect(ownedGrads(mlp, ['w1', 'b1', 'w2', 'b2'], mlpParams, x, labels)[1]).toEqual([true, true, true, true])
      // a parameter the loss does not use gets zeros, not the sweep's
      const unused = <T>(A: Algebra<T>) => (p: { readonly a: T; readonly b: T }) => A.sum(A.mul(p.a, p.a))
      expect(ownedGrads(unused, ['a', 'b'], { a, b: k })[1]).toEqual([true, false])
      // the same array for two leaves: neither
      const twice = <T>(A: Algebra<T>) => (p: { readonly a: T; readonly b: T }) => A.sum(A.mul(A.add(p.a, p.b), A.constant(2)))
      const [t, owned] = ownedGrads(twice, ['a', 'b'], { a, b: k })
      expect(owned).toEqual([false, false])
      expect(t.a.data.buffer).toBe(t.b.data.buffer)
    }))
})

describe('ownership', () => {
  it('owns no tensor the forward pass recorded or the caller gave, even when a rule returns one', () => {
    const x = tensor([1, 2, 3])
    const seed = tensor([1, 1, 1])
    const o = ownership([x], seed)
    const fresh = tensor([4, 5, 6])
    o.claim(Program.prims.add, seed, [x, fresh])
    expect([o.owns(x), o.owns(fresh)]).toEqual([false, true])
    o.claim(Program.prims.neg, seed, [seed])
    expect(o.owns(seed)).toBe(false)
  })

  it('counts as spent an owned cotangent whose pullback passes none of its memory on, and nothing else', () => {
    const x = tensor([1, 2, 3])
    const o = ownership([x], tensor([1, 1, 1]))
    const [g, h] = [tensor([4, 5, 6]), tensor([7, 8, 9])]
    o.claim(Program.prims.add, tensor([0, 0, 0]), [g, h]) // both owned
    // g passed on by a pullback (as add's passes its cotangent on): not spent
    o.claim(Program.prims.neg, g, [g])
    // h spent, its results fresh: spent
    o.claim(Program.prims.neg, h, [tensor([0, 0, 0])])
    // x (seen) given as a cotangent: never spent
    o.claim(Program.prims.neg, x, [tensor([0, 0, 0])])
    expect(o.spent()).toEqual([h.data])
    expect(o.spent()[0]).toBe(h.data)
  })
})

describe('Program.trainStep', () => {
  const opt = sgd({ lr: 0.1, weightDecay: 0.01 })
  const step = Program.trainStep(mlp, opt)

  it("gives the ordinary update's bits over its own gradients, and writes over none of the parameters, inputs, values or parameters returned before", () => {
    const held: [Float64Array, Float64Array][] = []
    hold(held, [mlpParams, x])
    const ls = labels.slice()
    let state = opt.init(mlpParams)
    let p = mlpParams
    for (let s = 0; s < 4; s++) {
      const [, owned] = ownedGrads(mlp, ['w1'], p, x, labels)
      expect(owned).toEqual([true])
      const [wantValue, g] = Program.valueAndGrad(mlp)(p, x, labels)
      const [wantState, want] = opt.update(state, p, g)
      const got = step(state, p, x, labels)
      expect(sameBits(got.value, wantValue)).toBe(true)
      expect(sameBits(got.params, want)).toBe(true)
      expect(got.state.step).toBe(wantState.step)
      hold(held, [got.value, got.params, g, want])
      state = got.state
      p = got.params
    }
    expect(unchanged(held)).toBe(true)
    expect([...labels]).toEqual([...ls])
  })

  /** Tensors a program shows its caller during a step: its forward values, and a cotangent a custom rule is given. */
  const shown: Tensor[] = []
  const showing = Program.customVjp(
    (A) => (x) => A.scale(x!, 1),
    (A) => (_x, _y, g) => {
      shown.push(A.primal(g))
      return [g]
    },
  )
  const watched = <T>(A: Algebra<T>) => (p: Mlp<T>, x: T, labels: ArrayLike<number>): T => {
    const h = A.relu(A.add(A.matmul(x, p.w1), p.b1))
    const z = showing(A)(A.add(A.matmul(h, p.w2), p.b2))
    shown.push(A.primal(h), A.primal(z))
    return A.softmaxCrossEntropy(z, labels)
  }

  it("lends its kernels only what its sweeps spent: over steps, nothing a program was shown or the caller got is written, and the bits are the ordinary update's", () => {
    const watchedStep = Program.trainStep(watched, opt)
    const held: [Float64Array, Float64Array][] = []
    let state = opt.init(mlpParams)
    let p = mlpParams
    for (let s = 0; s < 4; s++) {
      const [, g] = Program.valueAndGrad(watched)(p, x, labels)
      const [, want] = opt.update(state, p, g)
      shown.length = 0
      const got = watchedStep(state, p, x, labels)
      expect(sameBits(got.params, want)).toBe(true)
      hold(held, [got.value, got.params, ...shown])
      state = got.state
      p = got.params
    }
    expect(unchanged(held)).toBe(true)
    expect(takeUp().length).toBeGreaterThan(0) // the steps gave arrays up for the next to take
  })

  it('the check above fails when arrays a caller holds are lent (the parameters a step returned)', () => {
    const held: [Float64Array, Float64Array][] = []
    let state = opt.init(mlpParams)
    let p = mlpParams
    for (let s = 0; s < 3; s++) {
      const got = step(state, p, x, labels)
      hold(held, [got.params])
      giveUp(T.leaves(got.params as unknown as Tree).map((l) => (l as Tensor).data as Float64Array)) // wrong: the caller holds them
      state = got.state
      p = got.params
    }
    expect(unchanged(held)).toBe(false)
    takeUp()
  })

  it('writes over no gradient the library did not make: what a custom rule keeps', () => {
    const held: [Float64Array, Float64Array][] = []
    hold(held, [kept, a])
    const keep = Program.trainStep(onlyCustom, opt)
    const got = keep(opt.init({ a }), { a })
    expect(sameBits(got.params, opt.update(opt.init({ a }), { a }, { a: kept })[1])).toBe(true)
    const mixed = Program.trainStep(withCustom, opt)
    const [, g] = Program.valueAndGrad(withCustom)({ a })
    expect(sameBits(mixed(opt.init({ a }), { a }).params, opt.update(opt.init({ a }), { a }, g)[1])).toBe(true)
    expect(unchanged(held)).toBe(true)
  })

  it("gives an optimizer with no in-place update's own update, the same bits", () => {
    const m = momentum({ lr: 0.1 })
    const got = Program.trainStep(mlp, m)(m.init(mlpParams), mlpParams, x, labels)
    const [state, want] = m.update(m.init(mlpParams), mlpParams, Program.grad(mlp)(mlpParams, x, labels))
    expect(sameBits(got.params, want)).toBe(true)
    expect(sameBits(got.state.slots, state.slots)).toBe(true)
  })
})
