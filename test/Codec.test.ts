import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as t from 'io-ts/lib/index.js'
import { isLeft } from 'fp-ts/lib/Either.js'
import { conforms, decode, float64, formatErrors, fromJson, tensor, toJson, tree } from '../src/Codec.js'
import { fromData, isTensor, wrap, zeros } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import type { Tree } from '../src/Tree.js'
import { scalarValue } from '../laws/index.js'
import { ok, err } from './either.js'

const bytes = (x: Tensor): Uint8Array => new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength)
const CANONICAL_NAN = Uint8Array.from(new Uint8Array(Float64Array.of(NaN).buffer))

/** Structure and leaves equal, leaves compared bit for bit (any NaN equal to any NaN). */
const sameTree = (a: Tree, b: Tree): boolean => {
  if (typeof a === 'number') return typeof b === 'number' && Object.is(a, b)
  if (isTensor(a)) {
    if (!isTensor(b) || a.shape.length !== b.shape.length || !a.shape.every((d, i) => d === b.shape[i])) return false
    return Array.from(a.data).every((v, i) => Object.is(v, b.data[i]))
  }
  if (Array.isArray(a)) {
    const xs = a as readonly Tree[]
    return Array.isArray(b) && b.length === xs.length && xs.every((v, i) => sameTree(v, (b as readonly Tree[])[i]!))
  }
  if (typeof b === 'number' || isTensor(b) || Array.isArray(b)) return false
  const ra = a as { readonly [k: string]: Tree }
  const rb = b as { readonly [k: string]: Tree }
  const ka = Object.keys(ra)
  return ka.length === Object.keys(rb).length && ka.every((k, i) => Object.keys(rb)[i] === k && sameTree(ra[k]!, rb[k]!))
}

// every double (fc.double: -0, NaN, the infinities, subnormals, mostly tiny or huge), and
// ordinary magnitudes spread evenly, whose shortest decimal form has many digits
const ordinary = scalarValue({ min: -1e3, max: 1e3 })
const double = fc.oneof(fc.double(), ordinary)
const tensorArb: fc.Arbitrary<Tensor> = fc
  .array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 })
  .chain((shape) => {
    const n = shape.reduce((a, b) => a * b, 1)
    return fc
      .oneof(fc.float64Array({ minLength: n, maxLength: n }), fc.array(ordinary, { minLength: n, maxLength: n }).map((xs) => Float64Array.from(xs)))
      .map((d) => fromData(shape, d))
  })
const { node: treeArb } = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    double,
    tensorArb,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 3 }),
  ),
}))

describe('float64', () => {
  it('round-trips every double through JSON text bit for bit (NaN to the canonical NaN)', () => {
    fc.assert(
      fc.property(double, (x) => {
        const y = ok(fromJson(float64)(toJson(float64)(x)))
        const yb = new Uint8Array(Float64Array.of(y).buffer)
        expect(yb).toEqual(x !== x ? CANONICAL_NAN : new Uint8Array(Float64Array.of(x).buffer))
      }),
      { numRuns: 10_000 },
    )
  })

  it('writes the four values JSON numbers cannot carry as strings', () => {
    expect([-0, NaN, Infinity, -Infinity, 0, 5e-324].map(float64.encode)).toEqual(['-0', 'NaN', 'Infinity', '-Infinity', 0, 5e-324])
    expect(err(decode(float64, 'x')('nan'))).toBe(
      'x: expected a number or one of the strings "-0", "NaN", "Infinity", "-Infinity", found the string "nan"',
    )
  })
})

describe('tensor', () => {
  it('round-trips through JSON text bit for bit, -0 and non-finite values included', () => {
    fc.assert(
      fc.property(tensorArb, (x) => {
        const y = ok(fromJson(tensor)(toJson(tensor)(x)))
        expect(y.shape).toEqual(x.shape)
        const xb = new Float64Array(x.data.length)
        x.data.forEach((v, i) => (xb[i] = v !== v ? NaN : v))
        expect(bytes(y)).toEqual(new Uint8Array(xb.buffer))
      }),
      { numRuns: 500 },
    )
  })

  it('encodes to { dtype, shape, data } and decodes a fresh, frozen tensor', () => {
    const x = fromData([2, 2], [1, -0, NaN, -Infinity])
    expect(tensor.encode(x)).toEqual({ dtype: 'float64', shape: [2, 2], data: [1, '-0', 'NaN', '-Infinity'] })
    expect(toJson(tensor)(fromData([2], [0.1, -0]))).toBe('{"dtype":"float64","shape":[2],"data":[0.1,"-0"]}')
    const json = { dtype: 'float64', shape: [3], data: [1, 2, 3] }
    const y = ok(decode(tensor)(json))
    json.data[0] = 99
    expect(Array.from(y.data)).toEqual([1, 2, 3])
    expect(Object.isFrozen(y)).toBe(true)
    expect(ok(decode(tensor)({ dtype: 'float64', shape: [], data: [7] })).shape).toEqual([])
    expect(ok(decode(tensor)({ dtype: 'float64', shape: [0, 3], data: [] })).shape).toEqual([0, 3])
  })

  it('names the path, the expectation and what it found in malformed input', () => {
    const d = decode(tensor, 'W')
    expect(err(d({ dtype: 'float64', shape: [2, 3], data: [1, 2, 3, 4, 5] }))).toBe(
      'W.data: expected 6 entries for shape [2, 3], found an array of length 5',
    )
    expect(err(d({ dtype: 'float64', shape: [2, -3], data: [] }))).toBe(
      'W.shape[1]: expected a non-negative integer dimension, found the number -3',
    )
    expect(err(d({ dtype: 'float64', shape: [1.5], data: [1] }))).toBe(
      'W.shape[0]: expected a non-negative integer dimension, found the number 1.5',
    )
    expect(err(d({ dtype: 'float64', shape: '2x3', data: [] }))).toBe('W.shape: expected an array of dimensions, found the string "2x3"')
    expect(err(d({ dtype: 'float64', shape: [3], data: [1, 'abc', 3] }))).toBe(
      'W.data[1]: expected a number or one of the strings "-0", "NaN", "Infinity", "-Infinity", found the string "abc"',
    )
    expect(err(d({ dtype: 'float32', shape: [1], data: [1] }))).toBe('W.dtype: expected the string "float64", found the string "float32"')
    expect(err(d({ shape: [1] }))).toBe(
      'W.dtype: expected the string "float64", found nothing (missing)\nW.data: expected an array of numbers, found nothing (missing)',
    )
    expect(err(d([1, 2]))).toBe('W: expected a tensor { dtype: "float64", shape, data }, found an array of length 2')
    expect(err(d(null))).toBe('W: expected a tensor { dtype: "float64", shape, data }, found null')
  })
})

describe('tree', () => {
  it('round-trips any tree through JSON text, leaves bit for bit, key order kept', () => {
    fc.assert(
      fc.property(treeArb, (x) => {
        const text = toJson(tree)(x)
        const y = ok(fromJson(tree, 'params')(text))
        expect(sameTree(x, y)).toBe(true)
        expect(toJson(tree)(y)).toBe(text)
      }),
      { numRuns: 1000 },
    )
  })

  it('decodes to frozen arrays and records, and keeps a "__proto__" key as data', () => {
    const y = ok(fromJson(tree)('{"a":[1,2],"__proto__":{"b":3}}')) as { readonly [k: string]: Tree }
    expect(Object.isFrozen(y)).toBe(true)
    expect(Object.isFrozen(y['a'])).toBe(true)
    expect(Object.keys(y)).toEqual(['a', '__proto__'])
    expect(Object.getPrototypeOf(y)).toBe(Object.prototype)
    expect(toJson(tree)(y)).toBe('{"a":[1,2],"__proto__":{"b":3}}')
  })

  it('tells a tensor from a record of trees by its dtype', () => {
    const records: Tree = { dtype: -0, shape: [2], data: [1, 2] }
    expect(sameTree(ok(decode(tree)(tree.encode(records))), records)).toBe(true)
    const withTensor: Tree = { dtype: zeros([1]) }
    expect(sameTree(ok(decode(tree)(JSON.parse(toJson(tree)(withTensor)))), withTensor)).toBe(true)
  })

  it('names every bad leaf by its path', () => {
    const input = {
      layers: [
        { W: { dtype: 'float64', shape: [2, 2], data: [1, 2, 3, 4] }, b: [0, 0] },
        { W: { dtype: 'float64', shape: [2, -1], data: [] }, b: [true, 'x'] },
      ],
      'learning rate': null,
    }
    expect(err(decode(tree, 'params')(input))).toBe(
      [
        'params.layers[1].W.shape[1]: expected a non-negative integer dimension, found the number -1',
        'params.layers[1].b[0]: expected a number or one of the strings "-0", "NaN", "Infinity", "-Infinity", a tensor, an array or an object, found the boolean true',
        'params.layers[1].b[1]: expected a number or one of the strings "-0", "NaN", "Infinity", "-Infinity", a tensor, an array or an object, found the string "x"',
        'params["learning rate"]: expected a number or one of the strings "-0", "NaN", "Infinity", "-Infinity", a tensor, an array or an object, found null',
      ].join('\n'),
    )
  })

  it('refuses nesting deeper than 64 levels (the default maxDepth) without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(err(fromJson(tree, 'p')(deep))).toMatch(/^p(\[0\]){65}: expected a tree nested at most 64 levels deep \(the maxDepth option\), found an array of length/)
    expect(tree.is(JSON.parse(deep))).toBe(false)
  })

  it('is a guard for trees', () => {
    expect(tree.is({ a: [1, zeros([2])] })).toBe(true)
    expect(tree.is({ a: 'x' })).toBe(false)
    expect(tensor.is(zeros([2]))).toBe(true)
    expect(tensor.is({ shape: [1], data: [1] })).toBe(false)
  })
})

describe('composition and formatErrors', () => {
  const Saved = t.type({ version: t.literal(1), params: tree })

  it('gives paths through an enclosing io-ts codec', () => {
    const r = decode(Saved, 'model')({ version: 2, params: { W: { dtype: 'float64', shape: [1], data: [] } } })
    expect(err(r)).toBe(
      'model.version: expected 1, found the number 2\nmodel.params.W.data: expected 1 entries for shape [1], found an array of length 0',
    )
    expect(err(decode(Saved, 'model')({ params: 1 }))).toBe('model.version: expected 1, found nothing (missing)')
  })

  it('caps the number of lines', () => {
    const r = tree.decode(Array.from({ length: 30 }, () => true))
    if (!isLeft(r)) throw new Error('expected errors')
    const text = formatErrors(r.left, 'xs', 5)
    expect(text.split('\n')).toHaveLength(6)
    expect(text.split('\n')[5]).toBe('... and 25 more errors')
    expect(text.split('\n')[0]).toMatch(/^xs\[0\]: expected /)
  })

  it('reports invalid JSON', () => {
    expect(err(fromJson(tree, 'params')('{"w": [1,'))).toMatch(/^params: invalid JSON \(/)
  })
})

describe('conforms', () => {
  const template: Tree = { layers: [{ W: zeros([64, 10]), b: zeros([10]) }, { scale: 1 }] }

  it('accepts a tree of the same structure and shapes, whatever the record key order', () => {
    const same: Tree = { layers: [{ b: zeros([10]), W: wrap([64, 10], new Float64Array(640).fill(1)) }, { scale: 2 }] }
    expect(ok(conforms(template, 'params')(same))).toBe(same)
  })

  it('names the first difference', () => {
    const c = conforms(template, 'params')
    expect(err(c({ layers: [{ W: zeros([64, 12]), b: zeros([10]) }, { scale: 1 }] }))).toBe(
      'params.layers[0].W.shape: expected [64, 10], found [64, 12]',
    )
    expect(err(c({ layers: [{ W: zeros([64, 10]) }, { scale: 1 }] }))).toBe(
      'params.layers[0].b: expected a tensor of shape [10], found nothing (missing)',
    )
    expect(err(c({ layers: [{ W: zeros([64, 10]), b: zeros([10]) }] }))).toBe(
      'params.layers: expected an array of length 2, found an array of length 1',
    )
    expect(err(c({ layers: [{ W: zeros([64, 10]), b: zeros([10]) }, { scale: zeros([]) }] }))).toBe(
      'params.layers[1].scale: expected a number, found a tensor of shape []',
    )
    expect(err(c({ layers: [{ W: zeros([64, 10]), b: zeros([10]), extra: 1 }, { scale: 1 }] }))).toBe(
      'params.layers[0].extra: expected nothing (no such parameter), found a number',
    )
    expect(err(c([]))).toBe('params: expected an object, found an array of length 0')
  })

  it('accepts every tree against itself and its own decoded copy', () => {
    fc.assert(
      fc.property(treeArb, (x) => {
        expect(conforms(x)(x)._tag).toBe('Right')
        expect(conforms(x)(ok(fromJson(tree)(toJson(tree)(x))))._tag).toBe('Right')
      }),
      { numRuns: 300 },
    )
  })
})

describe('fuzzing the decoders: they return, never throw', () => {
  it('on random JSON values and random text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (u) => {
        for (const c of [tree, tensor, float64]) {
          const r = decode(c as t.Type<unknown, unknown, unknown>, 'v')(u)
          if (r._tag === 'Left') expect(r.left).toMatch(/^v/)
        }
      }),
      { numRuns: 3000 },
    )
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => {
        expect(['Left', 'Right']).toContain(fromJson(tree, 'v')(s)._tag)
      }),
      { numRuns: 2000 },
    )
  })

  it('on mutations of a valid saved tree', () => {
    const text = toJson(tree)({ layers: [{ W: fromData([2, 2], [1, -0, 0.5, NaN]), b: [0, 1] }], step: 3 })
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.constantFrom('[', ']', '{', '}', '"', ',', ':', '-', '1', 'x', '')), { minLength: 1, maxLength: 4 }), (edits) => {
        let s = text
        for (const [at, ch] of edits) {
          const i = at % (s.length + 1)
          s = s.slice(0, i) + ch + s.slice(i + 1)
        }
        const r = fromJson(tree, 'v')(s)
        if (r._tag === 'Left') expect(r.left).toMatch(/^v/)
      }),
      { numRuns: 3000 },
    )
  })
})
