import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { isLeft, isRight, right } from 'fp-ts/lib/Either.js'
import type { Either } from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as Act from '../src/Activation.js'
import * as D from '../src/Diff.js'
import * as L from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import type { AnyLayer } from '../src/Layer.js'
import { key, split } from '../src/Random.js'
import { ShapeError } from '../src/ShapeError.js'
import { fromData, tensor, zeros } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import * as A from '../laws/arbitraries-tensor.js'
import { checkDiff } from '../laws/tensor.js'

const bits = (t: Tree): readonly number[] => [...T.ravel(t)[0]]
const ok = <A>(e: Either<string, A>): A => {
  if (isLeft(e)) throw new Error(`expected a Right, found Left(${e.left})`)
  return e.right
}

/** x W + b by the definition, for any x [n, k], W [k, m], b [m]. */
const denseRef = (x: Tensor, w: Tensor, b: Tensor | undefined): Tensor => {
  const [n, k] = x.shape as [number, number]
  const m = w.shape[1]!
  const out = new Float64Array(n * m)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = b === undefined ? 0 : b.data[j]!
      for (let p = 0; p < k; p++) s += x.data[i * k + p]! * w.data[p * m + j]!
      out[i * m + j] = s
    }
  return fromData([n, m], out)
}

const close = (a: Tree, b: Tree, tol: number): void => {
  const [x] = T.ravel(a)
  const [y] = T.ravel(b)
  expect(x.length).toBe(y.length)
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(y[i]!)))
}

/** Inputs [params, x] for a layer: params shaped like its init, x of shape [batch, width]. */
const inputs = <P extends Tree>(layer: L.Layer<P>, width: number, range = 2) => {
  const p0 = layer.init(key(0))
  return fc.tuple(A.like(p0, { min: -range, max: range }), fc.integer({ min: 1, max: 4 })).chain(([p, n]) =>
    A.tensorOf([n, width], { min: -range, max: range }).map((x) => [p, x] as const),
  )
}

describe('dense', () => {
  it('computes x W + b, with W of shape [in, out]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1000 }), (nIn, nOut, seed) => {
        const layer = L.dense(nIn, nOut)
        const p = layer.init(key(seed))
        expect(p.w.shape).toEqual([nIn, nOut])
        expect(p.b.shape).toEqual([nOut])
        const x = fromData([3, nIn], Array.from({ length: 3 * nIn }, (_, i) => Math.sin(i + seed)))
        const b = fromData([nOut], Array.from({ length: nOut }, (_, i) => i - 1))
        close(layer.apply([{ w: p.w, b }, x]), denseRef(x, p.w, b), 1e-14)
        const nb = L.dense(nIn, nOut, { bias: false })
        const q = nb.init(key(seed))
        expect(Object.keys(q)).toEqual(['w'])
        close(nb.apply([q, x]), denseRef(x, q.w, undefined), 1e-14)
      }),
    )
  })

  it('obeys the laws of a Diff (modes agree, adjoint, finite differences, linear)', () => {
    const layer = L.dense(3, 2)
    checkDiff<readonly [L.DenseParams, Tensor], Tensor>(layer, { arbitrary: inputs(layer, 3) })
    const nb = L.dense(2, 4, { bias: false })
    checkDiff<readonly [L.DenseParamsNoBias, Tensor], Tensor>(nb, { arbitrary: inputs(nb, 2) })
  })

  it('vjpParams gives the same parameter cotangent as vjp, bit for bit', () => {
    const layer = L.dense(4, 3)
    fc.assert(
      fc.property(inputs(layer, 4), ([p, x]) => {
        const [y, pb] = layer.vjp([p, x])
        const [y2, pb2] = layer.vjpParams(p, x)
        expect(bits(y2)).toEqual(bits(y))
        const g = fromData(y.shape, Array.from(y.data, (v, i) => Math.cos(v + i)))
        expect(bits(pb2(g))).toEqual(bits(pb(g)[0]))
      }),
    )
  })

  it('initialises from the key: bit-identical for one key, different for another, within the Glorot/He bounds', () => {
    const layer = L.dense(50, 20)
    const [k1, k2] = split(key(7))
    expect(bits(layer.init(k1!))).toEqual(bits(layer.init(k1!)))
    expect(bits(layer.init(k1!))).not.toEqual(bits(layer.init(k2!)))
    const p = layer.init(k1!)
    const a = Math.sqrt(6 / 70)
    expect(p.w.data.every((v) => Math.abs(v) <= a)).toBe(true)
    expect(p.b.data.every((v) => v === 0)).toBe(true)
    const he = L.dense(50, 20, { init: 'he' }).init(k1!)
    expect(he.w.data.every((v) => Math.abs(v) <= Math.sqrt(6 / 50))).toBe(true)
    expect(Math.max(...he.w.data.map(Math.abs))).toBeGreaterThan(a)
    expect(L.dense(3, 2, { init: 'zeros' }).init(k1!).w.data.every((v) => v === 0)).toBe(true)
  })

  it('refuses a wrong input or wrong parameters with a ShapeError naming the layer', () => {
    const layer = L.dense(3, 2)
    const p = layer.init(key(0))
    expect(() => layer.apply([p, zeros([4, 5])])).toThrow(ShapeError)
    expect(() => layer.apply([p, zeros([4, 5])])).toThrow(/dense\(3 → 2\).*\[batch, 3\].*\[4, 5\]/)
    expect(() => layer.apply([{ w: zeros([2, 3]), b: p.b }, zeros([1, 3])])).toThrow(/weight w of shape \[3, 2\]/)
    expect(() => layer.vjpParams({ w: p.w, b: zeros([3]) }, zeros([1, 3]))).toThrow(/bias b of shape \[2\]/)
    expect(() => L.dense(0, 2)).toThrow(RangeError)
    expect(() => L.dense(2, 1.5)).toThrow(/out/)
  })
})

describe('activation layers', () => {
  it('have no parameters and apply the activation', () => {
    const relu = L.activation(Act.relu)
    expect(relu.init(key(0))).toEqual([])
    expect(relu.spec).toEqual({ kind: 'activation', name: 'relu' })
    expect(bits(relu.apply([[], tensor([[-1, 0, 2]])]))).toEqual([0, 0, 2])
    const [, pb] = relu.vjp([[], tensor([[-1, 3]])])
    const [dp, dx] = pb(tensor([[5, 7]]))
    expect(dp).toEqual([])
    expect(bits(dx)).toEqual([0, 7])
  })

  it('obey the laws of a Diff (smooth activations)', () => {
    for (const a of [Act.tanh, Act.sigmoid, Act.softplus]) {
      const layer = L.activation(a)
      checkDiff<readonly [L.NoParams, Tensor], Tensor>(layer, {
        arbitrary: A.tensorOf([2, 3], { min: -3, max: 3 }).map((x) => [[] as L.NoParams, x] as const),
      })
    }
  })
})

describe('perceptron', () => {
  it('is step(x W + b): AND with w = [1, 1], b = -1.5', () => {
    const p = L.perceptron(2)
    expect(p.spec).toEqual({ kind: 'perceptron', in: 2, out: 1, init: 'glorot', bias: true })
    const params = { w: tensor([[1], [1]]), b: tensor([-1.5]) }
    const xs = tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    expect(bits(p.apply([params, xs]))).toEqual([0, 0, 0, 1])
  })

  it('passes no gradient: step has derivative 0', () => {
    const p = L.perceptron(3, 2)
    fc.assert(
      fc.property(inputs(p, 3), ([params, x]) => {
        const [y, pb] = p.vjp([params, x])
        const [dp, dx] = pb(fromData(y.shape, Array.from(y.data, () => 1)))
        expect(bits(dp).every((v) => v === 0)).toBe(true)
        expect(bits(dx).every((v) => v === 0)).toBe(true)
        expect(bits(p.vjpParams(params, x)[1](y)).every((v) => v === 0)).toBe(true)
      }),
    )
  })
})

describe('sequential', () => {
  const mlp = (a: Act.Activation) => L.sequential(L.dense(3, 4), L.activation(a), L.dense(4, 2))

  it('keys the parameters of the layers that have any by layer index, and composes the layers', () => {
    const m = mlp(Act.tanh)
    const p = m.init(key(3))
    expect(Object.keys(p)).toEqual(['0', '2'])
    expect(Array.isArray(p)).toBe(false)
    const [k0, , k2] = split(key(3), 3)
    expect(bits(p[0])).toEqual(bits(L.dense(3, 4).init(k0!)))
    expect(bits(p[2])).toEqual(bits(L.dense(4, 2).init(k2!)))
    const x = tensor([[1, -1, 0.5], [0, 2, -3]])
    const h = Act.tanh.diff.apply(denseRef(x, p[0].w, p[0].b))
    close(m.apply([p, x]), denseRef(h, p[2].w, p[2].b), 1e-14)
    expect(m.widths).toEqual({ in: 3, out: 2 })
  })

  it('obeys the laws of a Diff over [params, x]', () => {
    for (const a of [Act.tanh, Act.sigmoid]) {
      const m = mlp(a)
      checkDiff(m, { arbitrary: inputs(m, 3) })
    }
    const nested = L.sequential(L.sequential(L.dense(2, 3), L.activation(Act.tanh)), L.dense(3, 1))
    checkDiff(nested, { arbitrary: inputs(nested, 2) })
  })

  it('vjpParams gives the parameter cotangent of vjp, bit for bit, without the input cotangent', () => {
    const m = mlp(Act.relu)
    fc.assert(
      fc.property(inputs(m, 3), ([p, x]) => {
        const [y, pb] = m.vjp([p, x])
        const [y2, pb2] = m.vjpParams(p, x)
        expect(bits(y2)).toEqual(bits(y))
        const g = fromData(y.shape, Array.from(y.data, (v, i) => Math.sin(3 * v + i)))
        expect(bits(pb2(g))).toEqual(bits(pb(g)[0]))
      }),
    )
  })

  it('reports a wrong width between two layers when the model is built, naming both layers and widths', () => {
    const build = () => L.sequential(L.dense(4, 3), L.activation(Act.relu), L.dense(2, 1))
    expect(build).toThrow(ShapeError)
    expect(build).toThrow('sequential, layer 2 (dense(2 → 1)): an input of width 2, but layer 0 (dense(4 → 3)) gives width 3')
  })

  it('reports a wrong width that shows up on application, naming the layer', () => {
    // a user layer of unknown widths: the model cannot be checked when built
    const unknown = L.make<L.NoParams, Tensor, Tensor>({
      spec: { kind: 'duplicate' },
      init: () => [],
      diff: D.make({
        apply: ([, x]) => fromData([x.shape[0]!, 2 * x.shape[1]!], [...x.data, ...x.data]),
        jvp: () => {
          throw new Error('unused')
        },
        vjp: () => {
          throw new Error('unused')
        },
      }),
    })
    const m = L.sequential(L.dense(2, 3), unknown, L.dense(3, 1))
    const p = m.init(key(0))
    expect(() => m.apply([p, zeros([1, 2])])).toThrow(ShapeError)
    expect(() => m.apply([p, zeros([1, 2])])).toThrow(/layer 2 \(dense\(3 → 1\)\).*\[batch, 3\].*\[1, 6\]/)
    expect(() => m.apply([p, zeros([1, 5])])).toThrow(/layer 0 \(dense\(2 → 3\)\).*\[1, 5\]/)
    expect(() => m.apply([[p[0], [], p[2]] as unknown as typeof p, zeros([1, 2])])).toThrow(/keyed by layer index \(among 0 to 2\), or \[\] if no layer has any, found an array of length 3/)
    expect(() => m.apply([{ ...p, 3: [] } as unknown as typeof p, zeros([1, 2])])).toThrow(/found the key "3"/)
  })

  it('an empty sequential is the identity', () => {
    const m = L.sequential()
    const x = tensor([[1, 2]])
    expect(bits(m.apply([[], x]))).toEqual([1, 2])
    expect(m.init(key(0))).toEqual([])
    expect(bits(m.vjp([[], x])[1](x)[0])).toEqual([])
    expect(m.widths).toEqual({ in: null, out: 'same' })
  })
})

describe('specs and the registry', () => {
  const model = L.sequential(
    L.dense(3, 5, { init: 'he' }),
    L.activation(Act.relu),
    L.dense(5, 4, { bias: false }),
    L.activation(Act.leakyRelu(0.2)),
    L.perceptron(4, 2),
  )

  it('a spec is JSON data from which the same model is rebuilt', () => {
    const json = JSON.parse(JSON.stringify(model.spec)) as unknown
    expect(json).toEqual(model.spec)
    const rebuilt = ok(L.fromSpec(json))
    expect(rebuilt.spec).toEqual(model.spec)
    const p = model.init(key(11))
    expect(bits(rebuilt.init(key(11)))).toEqual(bits(p))
    const x = tensor([[1, -2, 0.5], [0.1, 0.2, 0.3]])
    expect(bits(rebuilt.apply([p, x]))).toEqual(bits(model.apply([p, x])))
  })

  it('every built-in activation rebuilds by name', () => {
    for (const a of [...Act.all, Act.softmax, Act.logSoftmax, Act.elu(0.5)]) {
      const l = ok(L.fromSpec(L.activation(a).spec))
      const x = tensor([[-1, 0.5, 2]])
      expect(bits(l.apply([[], x]))).toEqual(bits(a.diff.apply(x)))
    }
  })

  it('a bad spec is a Left naming where, what was expected and what was found', () => {
    const msg = (u: unknown): string => {
      const r = L.fromSpec(u, L.registry)
      if (!isLeft(r)) throw new Error('expected a Left')
      return r.left
    }
    expect(msg(42)).toBe('$: expected a layer spec (an object with a kind), found 42')
    expect(msg({ kind: 'conv' })).toMatch(/^\$\.kind: expected one of dense, perceptron, activation, sequential, found "conv"$/)
    expect(msg({ kind: 'dense', in: 2, out: -1 })).toBe('$.out: expected a positive integer, found -1')
    expect(msg({ kind: 'sequential', layers: [{ kind: 'dense', in: 2, out: 2 }, { kind: 'activation', name: 'mish' }] })).toMatch(
      /^\$\.layers\[1\]\.name: expected one of .*relu.*, found "mish"$/,
    )
    expect(msg({ kind: 'sequential', layers: [{ kind: 'dense', in: 2, out: 2 }, { kind: 'dense', in: 3, out: 2 }] })).toMatch(
      /^\$: sequential, layer 1 \(dense\(3 → 2\)\): an input of width 3, but layer 0 \(dense\(2 → 2\)\) gives width 2/,
    )
    expect(msg({ kind: 'dense', in: 2, out: 2, init: 'lecun' })).toMatch(/^\$\.init: expected one of glorot/)
  })

  it('a user registers their own layer kinds and activations', () => {
    const cube = { name: 'cube', diff: D.fromRules<Tensor, Tensor>({
      value: (x) => fromData(x.shape, x.data.map((v) => v ** 3)),
      jvp: (x, _y, dx) => fromData(x.shape, x.data.map((v, i) => 3 * v * v * dx.data[i]!)),
      pullback: (x, _y, g) => fromData(x.shape, x.data.map((v, i) => 3 * v * v * g.data[i]!)),
    }) }
    const mine = pipe(
      L.registry,
      L.registerActivation(cube),
      L.register('widen', (spec) => right(L.dense(spec['in'] as number, 2 * (spec['in'] as number)) as AnyLayer)),
    )
    const spec = { kind: 'sequential', layers: [{ kind: 'widen', in: 2 }, { kind: 'activation', name: 'cube' }] }
    const m = ok(L.fromSpec(spec, mine))
    expect(isRight(L.fromSpec(spec))).toBe(false)
    const p = m.init(key(0))
    const x = tensor([[1, 2]])
    const h = denseRef(x, p[0].w, p[0].b)
    close(m.apply([p, x]), fromData(h.shape, h.data.map((v) => v ** 3)), 1e-14)
    // the built-in registry is untouched
    expect(L.registry.activations['cube']).toBeUndefined()
  })
})

// ---------------------------------------------------------------------------------------------
// MLP gradients against PyTorch (test/fixtures/mlp.py, float64)

type Grads = readonly { readonly w: readonly (readonly number[])[]; readonly b: readonly number[] }[]
type MlpCase = {
  readonly name: string
  readonly activation: 'tanh' | 'relu' | 'sigmoid'
  readonly loss: 'mse' | 'bce' | 'sce'
  readonly x: readonly (readonly number[])[]
  readonly target: readonly (readonly number[])[] | readonly number[]
  readonly layers: Grads
  readonly logitsMaxAbs: number
  readonly value: number
  readonly grads: Grads
  readonly gradX: readonly (readonly number[])[]
  readonly exactValue: number
  readonly exactGrads: Grads
  readonly exactGradX: readonly (readonly number[])[]
}
const mlpFixture = JSON.parse(readFileSync(new URL('./fixtures/mlp.json', import.meta.url), 'utf8')) as {
  readonly torch: string
  readonly sizes: readonly number[]
  readonly cases: readonly MlpCase[]
}

const relErr = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.abs(b))

describe('MLP gradients match PyTorch (float64, relative 1e-9)', () => {
  const acts = { tanh: Act.tanh, relu: Act.relu, sigmoid: Act.sigmoid }
  const denseOf = (l: Grads[number]) => ({ w: tensor(l.w), b: tensor(l.b) })
  const mlpParams = (g: Grads) => ({ 0: denseOf(g[0]!), 2: denseOf(g[1]!), 4: denseOf(g[2]!) })

  it('the fixture covers every hidden activation with every loss, and large logits', () => {
    const combos = new Set(mlpFixture.cases.map((c) => `${c.activation}/${c.loss}`))
    expect(combos.size).toBe(9)
    expect(Math.max(...mlpFixture.cases.map((c) => c.logitsMaxAbs))).toBeGreaterThan(900)
  })

  for (const c of mlpFixture.cases) {
    it(c.name, () => {
      const [n0, n1, n2, n3] = mlpFixture.sizes as [number, number, number, number]
      const a = L.activation(acts[c.activation])
      const model = L.sequential(L.dense(n0, n1), a, L.dense(n1, n2), a, L.dense(n2, n3))
      const params = mlpParams(c.layers) as unknown as L.ParamsOf<typeof model>
      const x = tensor(c.x)
      const loss =
        c.loss === 'mse'
          ? Loss.mse(tensor(c.target as readonly (readonly number[])[]))
          : c.loss === 'bce'
            ? Loss.binaryCrossEntropyWithLogits(tensor(c.target as readonly (readonly number[])[]))
            : Loss.softmaxCrossEntropy(c.target as readonly number[])
      const [out, pb] = model.vjp([params, x])
      const [value, pbLoss] = loss.vjp(out)
      expect(relErr(value, c.value)).toBeLessThanOrEqual(1e-9)
      expect(relErr(value, c.exactValue)).toBeLessThanOrEqual(1e-9)
      const [dp, dx] = pb(pbLoss(1))
      const [ours] = T.ravel([dp, dx])
      const [torch] = T.ravel([mlpParams(c.grads), tensor(c.gradX)])
      const [exact] = T.ravel([mlpParams(c.exactGrads), tensor(c.exactGradX)])
      expect(ours.length).toBe(torch.length)
      let compared = 0
      for (let i = 0; i < ours.length; i++) {
        // every element is within 1e-9 of the exact value (1000-bit arithmetic, rounded)
        expect(relErr(ours[i]!, exact[i]!)).toBeLessThanOrEqual(1e-9)
        // and of PyTorch's, wherever PyTorch's float64 is itself within 1e-9 of the exact value
        if (relErr(torch[i]!, exact[i]!) <= 1e-9) {
          expect(relErr(ours[i]!, torch[i]!)).toBeLessThanOrEqual(1e-9)
          compared++
        }
      }
      // PyTorch is accurate everywhere but at a few input-gradient elements of confident rows with
      // large logits, where the true value is ~1e-50 or less and float64 sums cancel to noise
      if (!c.name.includes('large logits')) expect(compared).toBe(ours.length)
      else expect(compared).toBeGreaterThanOrEqual(ours.length - 10)
      // the parameters-only path gives the same gradient, bit for bit
      const [, pbP] = model.vjpParams(params, x)
      expect(bits(pbP(pbLoss(1)))).toEqual(bits(dp))
    })
  }
})

describe('dense adds its bias over the product it just made', () => {
  it('gives the bits of add(matmul(x, w), b) in apply, vjp and vjpParams, and writes into neither x nor the parameters', async () => {
    const { add } = await import('../src/ops/arithmetic.js')
    const { matmul } = await import('../src/ops/linalg.js')
    const d = L.dense(7, 5)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer(), (batch, seed) => {
        const ks = split(key(seed >>> 0), 3)
        const p = d.init(ks[0]!)
        const b = fromData([5], Array.from({ length: 5 }, (_, i) => Math.sin(seed + i)))
        const ps = { w: p.w, b }
        const x = fromData([batch, 7], Array.from({ length: batch * 7 }, (_, i) => Math.cos(seed * 3 + i)))
        const dy = fromData([batch, 5], Array.from({ length: batch * 5 }, (_, i) => Math.sin(seed * 7 + i)))
        const copies = [x, ps.w, ps.b].map((t) => [...t.data])
        const want = add.apply([matmul.apply([x, ps.w]), ps.b])
        const [wantX, wantW] = matmul.vjp([x, ps.w])[1](dy)
        const wantB = add.vjp([matmul.apply([x, ps.w]), ps.b])[1](dy)[1]
        const [y, pb] = d.vjp([ps, x])
        const [dps, dx] = pb(dy)
        const [y2, pb2] = d.vjpParams(ps, x)
        const dps2 = pb2(dy)
        const same = (a: Tensor, c: Tensor) => a.data.length === c.data.length && a.data.every((v, i) => Object.is(v, c.data[i]))
        expect(same(d.apply([ps, x]), want) && same(y, want) && same(y2, want)).toBe(true)
        expect(same(dx, wantX) && same(dps.w, wantW) && same(dps2.w, wantW)).toBe(true)
        expect(same(dps.b, wantB) && same(dps2.b, wantB)).toBe(true)
        expect([x, ps.w, ps.b].map((t) => [...t.data])).toEqual(copies)
      }),
      { numRuns: 40 },
    )
  })
})
