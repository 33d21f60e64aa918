/**
 * Fuzzing every decoder (issue 13's "Done when"): fast-check over bytes and JSON for IDX, gzip
 * IDX, CSV and model files, depth and size extremes and hostile keys. Every case is timed. A
 * decoder may answer Right or Left, never throw (the only documented throws are for bad options,
 * which the fuzz does not give) and never hang; every model that loads applies to a batch.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { gzipSync } from 'node:zlib'
import * as Codec from '../src/Codec.js'
import * as Data from '../src/data/index.js'
import * as Layer from '../src/Layer.js'
import * as Model from '../src/Model.js'
import { key } from '../src/Random.js'
import { fromNested, isTensor, zeros, type Tensor } from '../src/Tensor.js'
import { toVersion1 } from './model-v1.js'

const MS = 2000
/** Runs `f`, failing if it throws or takes longer than MS. */
const timed = <A>(what: string, f: () => A): A => {
  const t0 = performance.now()
  let out: A
  try {
    out = f()
  } catch (e) {
    throw new Error(`${what} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)
  }
  const ms = performance.now() - t0
  if (ms > MS) throw new Error(`${what} took ${ms.toFixed(0)} ms`)
  return out
}

const HOSTILE = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', '__defineGetter__']
const hostileKey = fc.constantFrom(...HOSTILE)
const anyKey = fc.oneof(hostileKey, fc.string({ maxLength: 8 }))

/** Nested arrays of a random depth, up to past every default limit. */
const deep = (leaf: unknown) => fc.integer({ min: 0, max: 300 }).map((d) => {
  let a: unknown = leaf
  for (let i = 0; i < d; i++) a = [a]
  return a
})

// ---------------------------------------------------------------------------------------------
// IDX

const idxHeader = fc.record({
  type: fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x00, 0xff),
  dims: fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(0xffffffff, 65536, 1e6)), { maxLength: 5 }),
  extra: fc.integer({ min: -8, max: 8 }),
  junk: fc.uint8Array({ maxLength: 64 }),
})
const idxBytes = idxHeader.map(({ type, dims, extra, junk }) => {
  const header = new Uint8Array(4 + 4 * dims.length)
  const view = new DataView(header.buffer)
  view.setUint32(0, (type << 8) | dims.length)
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d))
  const size = new Map([[0x08, 1], [0x09, 1], [0x0b, 2], [0x0c, 4], [0x0d, 4], [0x0e, 8]]).get(type) ?? 1
  const count = dims.reduce((a, b) => a * b, 1)
  const n = Math.max(0, Math.min(4096, count * size + extra))
  const out = new Uint8Array(header.length + n)
  out.set(header)
  out.set(junk.subarray(0, n), header.length)
  return out
})

const checkIdx = (bytes: Uint8Array | ArrayBuffer) => {
  const r = timed('parseIdx', () => Data.parseIdx(bytes, { name: 'f' }))
  if (r._tag === 'Right') {
    expect(isTensor(r.right.tensor)).toBe(true)
    expect(r.right.tensor.data.length).toBe(r.right.tensor.shape.reduce((a, b) => a * b, 1))
  } else expect(r.left.startsWith('f')).toBe(true)
}

describe('fuzz: IDX', () => {
  it('random bytes, plain and gzip, Uint8Array and ArrayBuffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (b) => {
        checkIdx(b)
        checkIdx(b.slice().buffer)
        checkIdx(gzipSync(b))
      }),
      { numRuns: 300 },
    )
  })
  it('headers of every type and rank with data too short, too long, or absurd dimensions', () => {
    fc.assert(
      fc.property(idxBytes, fc.boolean(), (b, gz) => {
        checkIdx(gz ? gzipSync(b) : b)
      }),
      { numRuns: 500 },
    )
  })
  it('truncated and bit-flipped gzip', () => {
    fc.assert(
      fc.property(idxBytes, fc.nat(), fc.nat(255), (b, cut, flip) => {
        const gz = gzipSync(b)
        checkIdx(gz.subarray(0, cut % (gz.length + 1)))
        const flipped = gz.slice()
        flipped[cut % gz.length] = flipped[cut % gz.length]! ^ flip
        checkIdx(flipped)
      }),
      { numRuns: 300 },
    )
  })
})

// ---------------------------------------------------------------------------------------------
// CSV

const csvText = fc
  .array(fc.oneof(fc.constantFrom('0', '1', '-2.5', '1e3', '1e400', 'x', '', ' ', ',', ';', '\n', '\r\n', '\n\n\n', 'NaN', '0x1f', '"1"'), fc.string({ maxLength: 4 })), { maxLength: 200 })
  .map((parts) => parts.join(''))

describe('fuzz: CSV', () => {
  it('random text, as a matrix and as labelled data, with random options', () => {
    fc.assert(
      fc.property(csvText, fc.constantFrom(',', ';', 'ab'), fc.boolean(), fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 100 })), fc.constantFrom('first', 'last', 0, 1, 7) as fc.Arbitrary<'first' | 'last' | number>, (text, delimiter, header, maxCells, label) => {
        const options = maxCells === undefined ? { delimiter, header } : { delimiter, header, maxCells }
        const m = timed('parseCsv', () => Data.parseCsv(text, options))
        if (m._tag === 'Right') expect(m.right.data.length).toBe(m.right.shape[0]! * m.right.shape[1]!)
        timed('parseLabelledCsv', () => Data.parseLabelledCsv(text, { ...options, label }))
        const bytes = new TextEncoder().encode(text)
        timed('parseCsvBytes', () => Data.parseCsvBytes(gzipSync(bytes), options))
        timed('parseCsvBytes (ArrayBuffer)', () => Data.parseCsvBytes(bytes.slice().buffer, options))
      }),
      { numRuns: 400 },
    )
  })
  it('size extremes: many columns, many blank lines', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 0, max: 50_000 }), (cols, blanks) => {
        const text = new Array(cols).fill('1').join(',') + '\n'.repeat(blanks)
        const m = timed('parseCsv', () => Data.parseCsv(text))
        expect(m._tag === 'Right' && m.right.shape).toEqual([1, cols])
      }),
      { numRuns: 20 },
    )
  })
})

// ---------------------------------------------------------------------------------------------
// model files

const ACTIVATIONS = Object.keys(Layer.registry.activations)
const name = fc.oneof(fc.constantFrom(...ACTIVATIONS, 'leakyRelu(0.1)', 'elu(2)', 'leakyRelu(x)', 'elu()', 'softmax'), hostileKey, hostileKey.map((h) => `${h}(1)`), fc.string({ maxLength: 6 }))
const width = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 1e9, 'two', null) })
const spec: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  layer: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('dense'), in: width, out: width }),
    fc.record({ kind: fc.constant('dense'), in: width, out: width, bias: fc.oneof(fc.boolean(), fc.constant('yes')), init: fc.oneof(fc.constantFrom('glorot', 'he', 'zeros', 'heNormal'), hostileKey) }, { requiredKeys: ['kind', 'in', 'out'] }),
    fc.record({ kind: fc.constant('perceptron'), in: width, out: width }),
    fc.record({ kind: fc.constant('activation'), name }),
    fc.record({ kind: fc.constant('sequential'), layers: fc.array(tie('layer'), { maxLength: 4 }) }),
    fc.record({ kind: fc.oneof(hostileKey, fc.string({ maxLength: 5 })) }),
    fc.dictionary(anyKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  ),
})).layer

/** Parameters: the layer's own (so that files load; in version 1's layout for `version` 1), or something else. */
const paramsFor = (s: unknown, mode: number, junk: unknown, version = 2): unknown => {
  // the test makes parameters only for small layers (the loader is what must cope with big ones)
  if (mode === 0 || JSON.stringify(s).includes('1000000000')) return junk
  const built = Layer.fromSpec(s)
  if (built._tag === 'Left') return junk
  try {
    const p0 = built.right.init(key(mode))
    const p = version === 1 ? toVersion1(built.right.spec, p0) : p0
    return mode === 1 ? Codec.tree.encode(p) : JSON.parse(JSON.stringify(Codec.tree.encode(p)).replace(/"shape":\[(\d+)/, '"shape":[$1,1'))
  } catch {
    return junk
  }
}

/** Every model that loads applies to a batch of two rows of its input width. */
const applies = (m: Model.Loaded) => {
  const w = m.layer.widths.in ?? 3
  const y = m.layer.apply([m.params, zeros([2, w])])
  expect(isTensor(y)).toBe(true)
  expect((y as Tensor).shape[0]).toBe(2)
}

let loaded = 0
const checkModel = (text: string) => {
  const r = timed('Model.load', () => Model.load(text))
  if (r._tag === 'Right') {
    loaded++
    timed('apply', () => applies(r.right))
  } else expect(r.left.startsWith('model')).toBe(true)
}

describe('fuzz: model files', () => {
  it('random specs (hostile kinds, names, inits and keys), with their own or junk parameters', () => {
    loaded = 0
    fc.assert(
      fc.property(spec, fc.constantFrom(0, 1, 1, 1, 1, 2), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(1, 1, 1, 2), (s, mode, junk, version) => {
        const params = paramsFor(s, mode, junk, version)
        checkModel(JSON.stringify({ format: Model.FORMAT, version, spec: s, params }))
      }),
      { numRuns: 1500 },
    )
    // the fuzz reaches the models that load, and each of them applied
    expect(loaded).toBeGreaterThan(150)
  })
  it('hostile keys as raw JSON text (a parsed "__proto__" is an own key)', () => {
    fc.assert(
      fc.property(hostileKey, hostileKey, fc.constantFrom('spec', 'params', 'meta'), (k1, k2, where) => {
        const inner = `{"kind":${JSON.stringify(k1)},${JSON.stringify(k2)}:{"kind":"dense","in":1,"out":1}}`
        const fields = { spec: '{"kind":"dense","in":1,"out":1}', params: '{"w":{"dtype":"float64","shape":[1,1],"data":[1]},"b":{"dtype":"float64","shape":[1],"data":[0]}}', meta: '1' }
        const text = `{"format":"${Model.FORMAT}","version":1,"spec":${where === 'spec' ? inner : fields.spec},"params":${where === 'params' ? `{${JSON.stringify(k1)}:1,"w":{"dtype":"float64","shape":[1,1],"data":[1]},"b":{"dtype":"float64","shape":[1],"data":[0]}}` : fields.params},"meta":${where === 'meta' ? inner : fields.meta}}`
        checkModel(text)
      }),
    )
  })
  it('random bytes and random JSON as a model file', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 100 }), fc.json({ maxDepth: 4 }), fc.uint8Array({ maxLength: 100 }).map((b) => new TextDecoder().decode(b))), (text) => {
        checkModel(text)
      }),
      { numRuns: 500 },
    )
  })
})

// ---------------------------------------------------------------------------------------------
// depth and size extremes

describe('fuzz: depth and size extremes', () => {
  it('nested arrays of any depth to tensors, trees and model files', () => {
    fc.assert(
      fc.property(deep(1), fc.constantFrom(1, [1, 2], {}, 'x'), (d, leaf) => {
        timed('fromNested', () => fromNested(d))
        timed('Codec.tree', () => Codec.tree.decode(d))
        timed('Codec.tensor', () => Codec.tensor.decode({ dtype: 'float64', shape: d, data: [leaf] }))
        checkModel(JSON.stringify({ format: Model.FORMAT, version: 1, spec: { kind: 'sequential', layers: [d] }, params: d }))
      }),
      { numRuns: 200 },
    )
  })
  it('specs nested far past the limit, as text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), (d) => {
        const s = '{"kind":"sequential","layers":['.repeat(d) + '{"kind":"activation","name":"relu"}' + ']}'.repeat(d)
        checkModel(`{"format":"${Model.FORMAT}","version":1,"spec":${s},"params":${'['.repeat(d) + '['.repeat(1) + ']'.repeat(d + 1)}}`)
      }),
      { numRuns: 30 },
    )
  })
  it('tensor JSON whose shape promises more than its data holds', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(10), fc.constantFrom(2 ** 32, 1e15, 2 ** 53 - 1)), { maxLength: 6 }), fc.array(fc.double(), { maxLength: 20 }), (shape, data) => {
        const r = timed('Codec.tensor', () => Codec.tensor.decode({ dtype: 'float64', shape, data }))
        if (r._tag === 'Right') expect(r.right.data.length).toBe(data.length)
      }),
      { numRuns: 300 },
    )
  })
})
