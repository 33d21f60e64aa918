/**
 * Issue 13, rows "model spec with kind `toString`/`constructor`, activation name
 * `constructor`/`__proto__`/`toString`", "a model spec nested 10,000 deep", and item 2's "a model
 * file whose parameters are missing is rejected before any big layer is initialised".
 */
import { describe, expect, it } from 'vitest'
import { isLeft } from 'fp-ts/lib/Either.js'
import * as Layer from '../../src/Layer.js'
import * as Model from '../../src/Model.js'
import * as Codec from '../../src/Codec.js'
import { key } from '../../src/Random.js'
import { err, ok } from '../either.js'

const HOSTILE = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'propertyIsEnumerable']
const fromSpec = (spec: unknown) => Layer.fromSpec(spec)
const file = (spec: unknown, params: unknown = []): string => JSON.stringify({ format: Model.FORMAT, version: Model.VERSION, spec, params })
// JSON.stringify itself recurses: deep specs are written as text
const fileOfText = (spec: string): string => `{"format":"${Model.FORMAT}","version":${Model.VERSION},"spec":${spec},"params":[]}`

describe('decoders look names up among their own keys only', () => {
  it('a kind inherited from Object.prototype is an unknown kind, listed against the known ones', () => {
    for (const kind of HOSTILE) {
      // JSON.parse makes "__proto__" an own key, as a file would
      const spec = JSON.parse(`{"kind": ${JSON.stringify(kind)}}`)
      expect(err(fromSpec(spec))).toBe(`$.kind: expected one of dense, perceptron, activation, sequential, found ${JSON.stringify(kind)}`)
      expect(err(Model.load(file(spec)))).toBe(`model.spec.kind: expected one of dense, perceptron, activation, sequential, found ${JSON.stringify(kind)}`)
    }
  })
  it('an activation name inherited from Object.prototype is unknown, also as a parameterised name', () => {
    for (const name of [...HOSTILE, ...HOSTILE.map((n) => `${n}(1)`)]) {
      const e = err(fromSpec({ kind: 'activation', name }))
      expect(e).toMatch(/^\$\.name: expected one of .*relu.* \(or leakyRelu\(a\), elu\(a\)\), found /)
      expect(e.endsWith(`found ${JSON.stringify(name)}`)).toBe(true)
    }
  })
  it('an init inherited from Object.prototype is unknown', () => {
    for (const init of HOSTILE) expect(err(fromSpec({ kind: 'dense', in: 2, out: 2, init }))).toMatch(/^\$\.init: expected one of glorot, glorotNormal, he, heNormal, zeros, found /)
  })
  it('a registry a user extends keeps answering by own keys', () => {
    const mine = Layer.registerActivation({ ...Layer.registry.activations['tanh']!, name: 'mine' })(Layer.registry)
    expect(ok(Layer.fromSpec({ kind: 'activation', name: 'mine' }, mine)).spec).toEqual({ kind: 'activation', name: 'mine' })
    expect(isLeft(Layer.fromSpec({ kind: 'activation', name: 'constructor' }, mine))).toBe(true)
  })
})

describe('nesting depth of specs and parameter trees', () => {
  const nestedSpec = (depth: number): string =>
    '{"kind":"sequential","layers":['.repeat(depth) + '{"kind":"activation","name":"relu"}' + ']}'.repeat(depth)
  it('a spec nested 10,000 deep is a Left naming the path and the option, not a RangeError', () => {
    const spec = JSON.parse(nestedSpec(10_000))
    const e = err(fromSpec(spec))
    expect(e).toMatch(/^\$(\.layers\[0\]){32}: expected at most 64 levels of nested arrays and objects \(the maxDepth option\), found more$/)
    expect(err(Model.load(fileOfText(nestedSpec(10_000))))).toMatch(/^model\.spec(\.layers\[0\]){32}: expected at most 64 levels/)
  })
  it('maxDepth raises the limit, checked as an option', () => {
    const spec = JSON.parse(nestedSpec(100))
    expect(isLeft(fromSpec(spec))).toBe(true)
    const layer = ok(Layer.fromSpec(spec, Layer.registry, { maxDepth: 202 }))
    expect(layer.spec.kind).toBe('sequential')
    expect(() => Layer.fromSpec(spec, Layer.registry, { maxDepth: 0 })).toThrow(RangeError)
    expect(() => Layer.fromSpec(spec, Layer.registry, { maxDepth: 1e9 })).toThrow('Layer.fromSpec: expected maxDepth to be an integer in [1, 2000], found 1000000000')
  })
  it('a cyclic spec in memory ends the walk', () => {
    const spec: { kind: string; layers: unknown[] } = { kind: 'sequential', layers: [] }
    spec.layers.push(spec)
    expect(err(fromSpec(spec))).toMatch(/expected at most 64 levels/)
  })
  it('parameter trees nested past maxDepth are refused; Model.load passes the option on', () => {
    const layer = Layer.dense(1, 1)
    const saved = JSON.parse(Model.save(layer, layer.init(key(0))))
    let deep: unknown = 1
    for (let i = 0; i < 200; i++) deep = [deep]
    const text = JSON.stringify({ ...saved, meta: undefined, params: deep })
    expect(err(Model.load(text))).toMatch(/^model\.params(\[0\]){65}: expected a tree nested at most 64 levels deep \(the maxDepth option\)/)
    expect(err(Model.load(text, Layer.registry, { maxDepth: 300 }))).toMatch(/^model\.params: expected an object, found an array/)
    expect(isLeft(Codec.treeCodec({ maxDepth: 300 }).decode(deep))).toBe(false)
  })
})

describe('a model file whose parameters are missing', () => {
  it('is a Left before any big layer is initialised (no allocation of 1e10 numbers, no RangeError)', () => {
    const t0 = Date.now()
    const spec = { kind: 'sequential', layers: [{ kind: 'dense', in: 100_000, out: 100_000 }, { kind: 'activation', name: 'relu' }] }
    expect(err(Model.load(file(spec, [])))).toBe('model.params: expected 10000100000 numbers in all for the layers of the spec, found 0')
    expect(err(Model.load(file({ kind: 'dense', in: 4096, out: 4096 }, {})))).toBe('model.params: expected 16781312 numbers in all for the layers of the spec, found 0')
    expect(Date.now() - t0).toBeLessThan(1000)
  })
  it('a small layer still gets the exact structural message', () => {
    expect(err(Model.load(file({ kind: 'dense', in: 2, out: 1 }, {})))).toBe('model.params.w: expected a tensor of shape [2, 1], found nothing (missing)')
  })
})
