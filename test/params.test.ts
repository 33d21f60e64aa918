/**
 * Parameter trees hold the parameters and nothing else (issue 11): for random models, with
 * activations, nested sequentials and sequentials of activations only, the parameters, the
 * gradients of `Train.lossAndGrad` and the gradients of `vjp` have one structure and no empty
 * subtree (no `[]` placeholder); a saved model round-trips; a version-1 file, written by the
 * code before the change (the fixture) or rebuilt from its spec with a placeholder for every
 * layer without parameters, loads into that structure.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { isRight } from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Act from '../src/Activation.js'
import * as Codec from '../src/Codec.js'
import * as L from '../src/Layer.js'
import type { AnyLayer, Json, Layer } from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import * as Model from '../src/Model.js'
import { adam } from '../src/Optimizer.js'
import { key, uniform } from '../src/Random.js'
import { isTensor, tensor } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as Tr from '../src/Train.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import { Onnx } from '../src/onnx/index.js'
import { err, ok } from './either.js'
import { version1File } from './model-v1.js'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')

/** The path of the first empty array or record inside `t` (not `t` itself), or undefined. */
const emptyInside = (t: Tree, path = '$'): string | undefined => {
  if (typeof t === 'number' || isTensor(t)) return undefined
  const entries: [string, Tree][] = Array.isArray(t) ? (t as readonly Tree[]).map((c, i) => [String(i), c]) : Object.entries(t)
  for (const [k, c] of entries) {
    const at = `${path}[${k}]`
    if (typeof c === 'object' && !isTensor(c) && T.leaves(c).length === 0) return at
    const inner = emptyInside(c, at)
    if (inner !== undefined) return inner
  }
  return undefined
}

/** A random plan of a model of width `w`: dense layers, activations, nested sequentials (some of activations only). */
type Plan = { readonly kind: 'dense'; readonly bias: boolean } | { readonly kind: 'act'; readonly a: number } | { readonly kind: 'seq'; readonly items: readonly Plan[] }

const planArb: fc.Arbitrary<Plan> = fc.letrec<{ plan: Plan }>((tie) => ({
  plan: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('dense' as const), bias: fc.boolean() }),
    fc.record({ kind: fc.constant('act' as const), a: fc.integer({ min: 0, max: Act.all.length - 1 }) }),
    fc.record({ kind: fc.constant('seq' as const), items: fc.array(tie('plan'), { maxLength: 4 }) }),
  ),
})).plan

const modelArb = fc.record({ width: fc.integer({ min: 1, max: 4 }), items: fc.array(planArb, { minLength: 1, maxLength: 6 }), seed: fc.nat(1000) })

const build = (w: number, p: Plan): AnyLayer =>
  p.kind === 'dense' ? (p.bias ? L.dense(w, w) : L.dense(w, w, { bias: false })) : p.kind === 'act' ? L.activation(Act.all[p.a]!) : L.sequential(...p.items.map((q) => build(w, q)))

type Mlp = Layer<Tree, Tensor, Tensor>

/** The model of a plan and its parameters from `seed`. */
const modelOf = (width: number, items: readonly Plan[], seed: number): readonly [Mlp, Tree] => {
  const model = L.sequential(...items.map((p) => build(width, p))) as unknown as Mlp
  return [model, model.init(key(seed))]
}

/** Asserts that two trees have one structure (the same arrays, keys and shapes). */
const expectStructureOf = (t: Tree, like: Tree): void => expect(T.flatten(t)[1]).toEqual(T.flatten(like)[1])

/** The bytes of every float64 of a tree, in flatten order: equal bytes means bit-identical. */
const bytes = (t: Tree): readonly number[] => [...new Uint8Array(T.ravel(t)[0].buffer)]

describe('parameter trees have no placeholders (random models)', () => {
  it('the check finds a placeholder: it fails on version 1 trees', () => {
    expect(emptyInside([{ w: tensor([1]) }, [], { w: tensor([1]) }])).toBe('$[1]')
    expect(emptyInside({ 0: { w: tensor([1]) }, 1: [[], {}] })).toBe('$[1]')
    expect(emptyInside({ 0: { w: tensor([1]) }, 2: { w: tensor([2]) } })).toBeUndefined()
  })

  it('params, lossAndGrad grads and vjp grads have one structure, with no empty subtree', () => {
    fc.assert(
      fc.property(modelArb, ({ width, items, seed }) => {
        const [model, params] = modelOf(width, items, seed)
        expect(emptyInside(params)).toBeUndefined()
        const x = uniform(key(seed + 1), [3, width], { low: -1, high: 1 })
        const target = uniform(key(seed + 2), [3, width])
        const [, grads] = Tr.lossAndGrad(model, Loss.mse)(params, x, target)
        expect(T.structureEq(grads, params)).toBe(true)
        expectStructureOf(grads, params)
        const [, pb] = model.vjp([params, x])
        const [dp] = pb(uniform(key(seed + 3), [3, width]))
        expectStructureOf(dp, params)
        // an optimizer's state is shaped as the parameters too
        const opt = adam({ lr: 1e-3 })
        const [state, next] = opt.update(opt.init(params), params, grads)
        expectStructureOf(next, params)
        expect(state.slots.length).toBe(2)
        for (const slot of state.slots) expectStructureOf(slot, params)
      }),
      { numRuns: 200 },
    )
  })

  it('forward and reverse mode agree through the entries: <jvp(dp, dx), c> = <dp, vjp_p(c)> + <dx, vjp_x(c)>', () => {
    fc.assert(
      fc.property(modelArb, ({ width, items, seed }) => {
        const [model, params] = modelOf(width, items, seed)
        const [flat, unravel] = T.ravel(params)
        const dp = unravel(uniform(key(seed + 4), [flat.length], { low: -1, high: 1 }).data)
        const x = uniform(key(seed + 1), [2, width], { low: -1, high: 1 })
        const dx = uniform(key(seed + 5), [2, width], { low: -1, high: 1 })
        const c = uniform(key(seed + 6), [2, width], { low: -1, high: 1 })
        const [, ydot] = model.jvp([params, x], [dp, dx])
        const [gp, gx] = model.vjp([params, x])[1](c)
        const gp2 = model.vjpParams(params, x)[1](c)
        expectStructureOf(gp2, params)
        expect(bytes(gp2)).toEqual(bytes(gp))
        const lhs = T.dot(ydot, c)
        const rhs = T.dot(dp, gp) + T.dot(dx, gx)
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(lhs)))
      }),
      { numRuns: 200 },
    )
  })

  it('ONNX export then import gives parameters of the same structure and values; version 1 parameters are refused', () => {
    fc.assert(
      fc.property(modelArb, ({ width, items, seed }) => {
        const [model, params] = modelOf(width, items, seed)
        const back = ok(Onnx.import(ok(Onnx.export(model, params, { inputWidth: width }))))
        expectStructureOf(back.params, params)
        expect(bytes(back.params)).toEqual(bytes(params))
      }),
      { numRuns: 100 },
    )
    const mlp = L.sequential(L.dense(2, 3), L.activation(Act.relu), L.dense(3, 1))
    const p = mlp.init(key(0))
    const old = Onnx.export(mlp, [p[0], [], p[2]] as unknown as typeof p)
    expect(old._tag === 'Left' && old.left.message).toBe("$ (sequential): expected its layers' parameters keyed by layer index, found an array of length 3")
    const missing = Onnx.export(mlp, { 0: p[0] } as unknown as typeof p)
    expect(old._tag === 'Left' && missing._tag === 'Left' && missing.left.message).toBe('$.layers[2] (dense): expected a weight w of shape [3, 1], found nothing')
  })

  it('save then load round-trips bit for bit; a version-1 file of the same model loads to the same', () => {
    fc.assert(
      fc.property(modelArb, ({ width, items, seed }) => {
        const [model, params] = modelOf(width, items, seed)
        const text = Model.save(model, params)
        expect(JSON.parse(text).version).toBe(2)
        if (T.size(params) > 0) expect(JSON.stringify(JSON.parse(text).params)).not.toContain('[]')
        const back = ok(Model.load(text))
        expectStructureOf(back.params, params)
        expect(bytes(back.params)).toEqual(bytes(params))
        const old = ok(Model.load(version1File(model, params)))
        expectStructureOf(old.params, params)
        expect(bytes(old.params)).toEqual(bytes(params))
        expect(Model.save(old.layer, old.params)).toBe(text)
      }),
      { numRuns: 200 },
    )
  })
})

describe('version 1 files', () => {
  const text = readFileSync(join(fixtures, 'model-v1.json'), 'utf8')
  const file = JSON.parse(text) as { version: number; params: Json[]; meta: { input: number[][]; output: number[][] } }

  it('the fixture is a version-1 file with placeholders', () => {
    expect(file.version).toBe(1)
    expect(file.params.length).toBe(6)
    expect(file.params[1]).toEqual([])
    expect(file.params[3]).toEqual([[]])
    expect(file.params[5]).toEqual([])
  })

  it('loads into version 2 structure, computes what the old code computed, and saves as version 2', () => {
    const loaded = ok(Model.load(text))
    const p = loaded.params as { readonly [k: string]: Tree }
    expect(Object.keys(p)).toEqual(['0', '2', '4'])
    expect(Object.keys(p[2] as object)).toEqual(['0'])
    expect(emptyInside(loaded.params)).toBeUndefined()
    // the parameters are the file's numbers, bit for bit
    const v1 = ok(Codec.decode(Codec.tree, 'params')(file.params))
    expect(bytes(loaded.params)).toEqual(bytes(v1))
    // the output is the one the version-1 code computed when it wrote the file (bit for bit)
    const y = loaded.layer.apply([loaded.params, tensor(file.meta.input)])
    expect(Array.from(y.data)).toEqual(file.meta.output.flat())
    const again = JSON.parse(Model.save(loaded.layer, loaded.params, { meta: loaded.meta ?? null }))
    expect(again.version).toBe(2)
    expect(Object.keys(again.params)).toEqual(['0', '2', '4'])
    const reloaded = ok(Model.load(JSON.stringify(again)))
    expect(bytes(reloaded.params)).toEqual(bytes(loaded.params))
  })

  it('a placeholder that holds numbers, or a wrong shape, is a Left naming the path', () => {
    const edit = (f: (o: { params: Json[] }) => void): string => {
      const o = JSON.parse(text) as { params: Json[] }
      f(o)
      return JSON.stringify(o)
    }
    expect(err(Model.load(edit((o) => (o.params[1] = [1]))))).toBe(
      "model.params[1]: expected [] (version 1's entry for a layer without parameters), found an array of length 1",
    )
    expect(err(Model.load(edit((o) => ((o.params[4] as { w: { shape: number[] } }).w.shape = [2, 4]))))).toBe(
      'model.params[4].w.shape: expected [4, 2], found [2, 4]',
    )
    expect(err(Model.load(edit((o) => (o.params[4] = []))))).toBe('model.params[4]: expected an object, found an array of length 0')
    expect(isRight(Model.load(edit(() => undefined)))).toBe(true)
    // a key that is not a parameter stays one, even `__proto__`, and is refused by name
    const proto = text.replace('"params": [\n  {', '"params": [\n  { "__proto__": { "dtype": "float64", "shape": [1], "data": [1] },')
    expect(proto).toContain('__proto__')
    expect(err(Model.load(proto))).toBe('model.params[0].__proto__: expected nothing (no such parameter), found a tensor of shape [1]')
  })
})
