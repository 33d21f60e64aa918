import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isLeft, isRight, right } from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Act from '../src/Activation.js'
import * as L from '../src/Layer.js'
import type { AnyLayer, Init, Layer } from '../src/Layer.js'
import * as Model from '../src/Model.js'
import { loadModel, saveModel } from '../src/node/index.js'
import { key } from '../src/Random.js'
import { ShapeError } from '../src/ShapeError.js'
import { fromData, zeros } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import { scalarValue } from '../laws/index.js'
import { ok, err } from './either.js'


/** The bytes of every float64 of a tree, in flatten order: equal bytes means bit-identical. */
const bytes = (t: Tree): readonly number[] => [...new Uint8Array(T.ravel(t)[0].buffer)]

type Mlp = Layer<Tree, Tensor, Tensor>

// ---------------------------------------------------------------------------------------------
// Random models

const INITS: readonly Init[] = ['glorot', 'glorotNormal', 'he', 'heNormal', 'zeros']

interface ModelPlan {
  readonly widths: readonly number[]
  readonly acts: readonly (number | null)[]
  readonly inits: readonly Init[]
  readonly bias: readonly boolean[]
}

/** A random MLP plan: 1 to 4 dense layers of widths 1..7, each followed by an activation or none. */
const plan: fc.Arbitrary<ModelPlan> = fc.integer({ min: 1, max: 4 }).chain((depth) =>
  fc.record({
    widths: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: depth + 1, maxLength: depth + 1 }),
    acts: fc.array(fc.option(fc.integer({ min: 0, max: Act.all.length - 1 }), { nil: null }), { minLength: depth, maxLength: depth }),
    inits: fc.array(fc.constantFrom(...INITS), { minLength: depth, maxLength: depth }),
    bias: fc.array(fc.boolean(), { minLength: depth, maxLength: depth }),
  }),
)

const build = (p: ModelPlan): Mlp => {
  const layers: AnyLayer[] = []
  for (let i = 0; i < p.acts.length; i++) {
    const [nIn, nOut] = [p.widths[i]!, p.widths[i + 1]!]
    layers.push(p.bias[i] ? L.dense(nIn, nOut, { init: p.inits[i]! }) : L.dense(nIn, nOut, { init: p.inits[i]!, bias: false }))
    const a = p.acts[i]
    if (a !== null && a !== undefined) layers.push(L.activation(Act.all[a]!))
  }
  return L.sequential(...layers) as unknown as Mlp
}

/**
 * Any float64 but NaN payloads other than the canonical one, with -0 and the infinities often,
 * and ordinary magnitudes spread evenly (fc.double draws mostly tiny or huge ones).
 */
const anyDouble = fc.oneof(
  fc.double(),
  scalarValue({ min: -10, max: 10 }),
  fc.constantFrom(-0, 0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MAX_VALUE, 5e-324, 0.1),
)

/** A random model, its freshly initialised parameters, and the same with arbitrary float64 values. */
const modelAndParams = fc
  .tuple(plan, fc.integer({ min: 0, max: 2 ** 31 - 1 }))
  .chain(([p, seed]) => {
    const layer = build(p)
    const params = layer.init(key(seed))
    const n = T.size(params)
    return fc
      .array(anyDouble, { minLength: n, maxLength: n })
      .map((values) => ({ layer, params, wild: T.ravel(params)[1](Float64Array.from(values)) }))
  })

// ---------------------------------------------------------------------------------------------

describe('save and load round trips', () => {
  it('are bit-exact for random models, keys and parameter values (including -0, infinities, NaN)', () => {
    fc.assert(
      fc.property(modelAndParams, ({ layer, params, wild }) => {
        for (const p of [params, wild]) {
          const loaded = ok(Model.load(Model.save(layer, p)))
          expect(loaded.layer.spec).toEqual(layer.spec)
          expect(T.structureEq(loaded.params, p)).toBe(true)
          expect(bytes(loaded.params)).toEqual(bytes(p))
          expect(loaded.meta).toBeUndefined()
        }
      }),
      { numRuns: 200 },
    )
  })

  it('give a layer that computes the same outputs, bit for bit', () => {
    fc.assert(
      fc.property(modelAndParams, fc.integer({ min: 1, max: 5 }), ({ layer, params }, batch) => {
        const nIn = layer.widths.in!
        const x = fromData([batch, nIn], Array.from({ length: batch * nIn }, (_, i) => Math.sin(3.7 * i + batch)))
        const loaded = ok(Model.load(Model.save(layer, params, { indent: 2 })))
        expect(bytes(loaded.layer.apply([loaded.params, x]))).toEqual(bytes(layer.apply([params, x])))
      }),
      { numRuns: 100 },
    )
  })

  it('keep the meta JSON', () => {
    const layer = L.dense(2, 3)
    const meta = { classes: ['a', 'b', 'c'], mean: [0.5, -1.25], nested: { ok: true, none: null } }
    const loaded = ok(Model.load(Model.save(layer, layer.init(key(3)), { meta })))
    expect(loaded.meta).toEqual(meta)
  })

  it('save refuses parameters that do not fit the layer, naming the path', () => {
    const layer = L.sequential(L.dense(2, 3), L.activation(Act.relu), L.dense(3, 1))
    const p = layer.init(key(0))
    const bad = { 0: p[0], 2: { w: zeros([3, 2]), b: zeros([1]) } } as unknown as typeof p
    expect(() => Model.save(layer, bad)).toThrow(ShapeError)
    expect(() => Model.save(layer, bad)).toThrow('params[2].w.shape: expected [3, 1], found [3, 2]')
  })

  it('works with a registry extended by a user layer', () => {
    // y = x + c, a learnable shift of width n
    const shift = (n: number): Layer<{ readonly c: Tensor }> =>
      L.make({
        spec: { kind: 'shift', n },
        widths: { in: n, out: n },
        init: () => ({ c: zeros([n]) }),
        diff: {
          apply: ([p, x]) => fromData(x.shape, x.data.map((v, i) => v + p.c.data[i % n]!)),
          jvp: () => {
            throw new Error('not used')
          },
          vjp: () => {
            throw new Error('not used')
          },
        },
      })
    const registry = pipe(
      L.registry,
      L.register('shift', (spec) => right(shift(spec['n'] as number))),
    )
    const layer = L.sequential(shift(2), L.dense(2, 1)) as unknown as Mlp
    const params = layer.init(key(1))
    const text = Model.save(layer, params)
    expect(err(Model.load(text))).toBe(
      'model.spec.layers[0].kind: expected one of dense, perceptron, activation, sequential, found "shift"',
    )
    const loaded = ok(Model.load(text, registry))
    expect(bytes(loaded.params)).toEqual(bytes(params))
  })
})

// ---------------------------------------------------------------------------------------------

describe('load errors name the path, what was expected and what was found', () => {
  const mlp = L.sequential(L.dense(64, 64), L.activation(Act.relu), L.dense(64, 10)) as unknown as Mlp
  const text = Model.save(mlp, mlp.init(key(0)))
  const edit = (f: (o: { [k: string]: any }) => void): string => {
    const o = JSON.parse(text) as { [k: string]: any }
    f(o)
    return JSON.stringify(o)
  }

  it('wrong version', () => {
    expect(err(Model.load(edit((o) => (o['version'] = 3))))).toBe(
      'model.version: expected 1 or 2 (the format versions this library reads), found 3',
    )
    expect(err(Model.load(edit((o) => (o['version'] = '1'))))).toBe('model.version: expected number, found the string "1"')
  })

  it('wrong format', () => {
    expect(err(Model.load(edit((o) => (o['format'] = 'keras'))))).toBe(
      'model.format: expected "autodiff-ts/model", found the string "keras"',
    )
  })

  it('unknown layer kind or activation', () => {
    expect(err(Model.load(edit((o) => (o['spec'].layers[1].kind = 'conv2d'))))).toBe(
      'model.spec.layers[1].kind: expected one of dense, perceptron, activation, sequential, found "conv2d"',
    )
    expect(err(Model.load(edit((o) => (o['spec'].layers[1].name = 'swish'))))).toMatch(
      /^model\.spec\.layers\[1\]\.name: expected one of step, sigmoid, tanh, relu, .*found "swish"$/,
    )
    expect(err(Model.load(edit((o) => (o['spec'].layers[0].out = -3))))).toBe(
      'model.spec.layers[0].out: expected a positive integer, found -3',
    )
  })

  it('wrong parameter shape', () => {
    const wrong = edit((o) => (o['params'][2].w = { dtype: 'float64', shape: [64, 12], data: new Array(64 * 12).fill(0) }))
    expect(err(Model.load(wrong))).toBe('model.params[2].w.shape: expected [64, 10], found [64, 12]')
    const ragged = edit((o) => o['params'][0].b.data.pop())
    expect(err(Model.load(ragged))).toBe('model.params[0].b.data: expected 64 entries for shape [64], found an array of length 63')
    const spare = edit((o) => (o['params'][0].scale = 1))
    expect(err(Model.load(spare))).toBe('model.params[0].scale: expected nothing (no such parameter), found a number')
    const notEmpty = edit((o) => (o['params'][1] = { scale: 1 }))
    expect(err(Model.load(notEmpty))).toBe('model.params[1]: expected nothing (no such parameter), found an object')
    const placeholder = edit((o) => (o['params'][1] = []))
    expect(err(Model.load(placeholder))).toBe('model.params[1]: expected nothing (no such parameter), found an array of length 0')
    const short = edit((o) => delete o['params'][2])
    expect(err(Model.load(short))).toBe('model.params[2]: expected an object, found nothing (missing)')
    const asArray = edit((o) => (o['params'] = [o['params'][0], [], o['params'][2]]))
    expect(err(Model.load(asArray))).toBe('model.params: expected an object, found an array of length 3')
  })

  it('missing field', () => {
    expect(err(Model.load(edit((o) => delete o['params'])))).toBe(
      'model.params: expected a parameter tree (numbers and tensors in arrays and objects), found nothing (missing)',
    )
    expect(err(Model.load(edit((o) => delete o['spec'])))).toBe(
      'model.spec: expected a layer spec (an object with a kind), found nothing (missing)',
    )
    expect(err(Model.load(edit((o) => delete o['params'][2].b)))).toBe(
      'model.params[2].b: expected a tensor of shape [10], found nothing (missing)',
    )
    expect(err(Model.load(edit((o) => delete o['version'])))).toBe('model.version: expected number, found nothing (missing)')
  })

  it('not JSON at all', () => {
    expect(err(Model.load('PK\u0003\u0004 this is a zip file'))).toMatch(
      /^model: expected JSON text of a saved model, found text that is not JSON \(.+\)$/,
    )
    expect(err(Model.load(''))).toMatch(/^model: expected JSON text of a saved model, found text that is not JSON/)
    expect(err(Model.load('[1, 2]'))).toBe('model: expected a saved model (a JSON object with format "autodiff-ts/model"), found an array')
    expect(err(Model.load('null'))).toBe('model: expected a saved model (a JSON object with format "autodiff-ts/model"), found the JSON value null')
  })

  it('a bad entry deep in a tensor', () => {
    expect(err(Model.load(edit((o) => (o['params'][0].w.data[70] = 'one'))))).toBe(
      'model.params[0].w.data[70]: expected a number or one of the strings "-0", "NaN", "Infinity", "-Infinity", found the string "one"',
    )
  })

  it('never throws and never returns a model that does not fit: truncations and random JSON', () => {
    const small = L.sequential(L.dense(3, 2), L.activation(Act.tanh), L.dense(2, 2)) as unknown as Mlp
    const good = Model.save(small, small.init(key(5)))
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), (n) => {
        expect(isLeft(Model.load(good.slice(0, n)))).toBe(true)
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.json(), (j) => {
        expect(isLeft(Model.load(j))).toBe(true)
      }),
    )
    // random edits of a valid file: either refused, or a model whose parameters fit its layer
    const o = JSON.parse(good) as { [k: string]: unknown }
    fc.assert(
      fc.property(fc.constantFrom('format', 'version', 'spec', 'params'), fc.jsonValue(), (field, v) => {
        const r = Model.load(JSON.stringify({ ...o, [field]: v }))
        if (isRight(r)) expect(T.structureEq(r.right.params, r.right.layer.init(key(0)))).toBe(true)
      }),
    )
  })
})

describe('files', () => {
  it('saveModel then loadModel (autodiff-ts/node) round trips; errors name the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-test-'))
    try {
      const layer = L.sequential(L.dense(3, 4), L.activation(Act.gelu), L.dense(4, 2)) as unknown as Mlp
      const params = layer.init(key(9))
      const path = join(dir, 'nested', 'm.json')
      expect(isRight(saveModel(path, layer, params))).toBe(true)
      expect(bytes(ok(loadModel(path)).params)).toEqual(bytes(params))
      expect(err(loadModel(join(dir, 'missing.json')))).toMatch(/missing\.json: cannot read the model \(ENOENT/)
      writeFileSync(join(dir, 'v3.json'), '{"format":"autodiff-ts/model","version":3}')
      expect(err(loadModel(join(dir, 'v3.json')))).toBe(
        `${join(dir, 'v3.json')}: model.version: expected 1 or 2 (the format versions this library reads), found 3`,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
