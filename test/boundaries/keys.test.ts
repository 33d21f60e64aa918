/**
 * Issue 13, row "`Random.normal({})`, keys `{}` or `{k0: 1.5, k1: -3}`": keys are checked at
 * every public entry of Random, and the validator is exported for other entries (fit).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as Random from '../../src/Random.js'
import { err, ok } from '../either.js'

const bad: readonly unknown[] = [{}, { k0: 1.5, k1: -3 }, { _tag: 'Key', k0: 1.5, k1: 0 }, { _tag: 'Key', k0: 0, k1: 2 ** 32 }, null, 3, [0, 0], { _tag: 'Nope', k0: 0, k1: 0 }]
// every entry of Random that takes a key, called with a given key
const entries: ReadonlyArray<readonly [string, (k: never) => unknown]> = [
  ['Random.split', (k) => Random.split(k)],
  ['Random.foldIn', (k) => Random.foldIn(k, 1)],
  ['Random.uniform', (k) => Random.uniform(k, [2])],
  ['Random.normal', (k) => Random.normal(k, [2])],
  ['Random.bernoulli', (k) => Random.bernoulli(k, [2])],
  ['Random.permutation', (k) => Random.permutation(k, 3)],
  ['Random.shuffle', (k) => Random.shuffle(k, [1, 2])],
  ['Random.glorotUniform', (k) => Random.glorotUniform(k, [2, 2])],
  ['Random.glorotNormal', (k) => Random.glorotNormal(k, [2, 2])],
  ['Random.heUniform', (k) => Random.heUniform(k, [2, 2])],
  ['Random.heNormal', (k) => Random.heNormal(k, [2, 2])],
]

describe('keys at the boundary', () => {
  it('Random.normal({}) is a TypeError naming the entry, not the key (0, 0)', () => {
    expect(() => Random.normal({} as never, [3])).toThrow(TypeError)
    expect(() => Random.normal({} as never, [3])).toThrow(/^Random\.normal: expected a Random\.Key .* found an empty object$/)
    expect(() => Random.normal({ k0: 1.5, k1: -3 } as never, [3])).toThrow(/found \{ _tag: nothing \(missing\), k0: the number 1\.5, k1: the number -3 \}/)
  })
  it('every entry of Random refuses every non-key, naming itself', () => {
    for (const [name, f] of entries)
      for (const k of bad) expect(() => f(k as never), `${name}(${JSON.stringify(k)})`).toThrow(new RegExp(`^${name.replace('.', '\\.')}: expected a Random\\.Key`))
  })
  it('every key made by the module passes, also after structuredClone and JSON', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.nat(1000), (seed, d) => {
        for (const k of [Random.key(seed), Random.foldIn(Random.key(seed), d), ...Random.split(Random.key(seed), 3)]) {
          expect(Random.isKey(k)).toBe(true)
          expect(Random.isKey(structuredClone(k))).toBe(true)
          expect(ok(Random.decodeKey(JSON.parse(JSON.stringify(k))))).toEqual(k)
        }
      }),
    )
  })
  it('decodeKey names where, for entries that answer with an Either (fit)', () => {
    expect(err(Random.decodeKey({}, 'fit: options.key'))).toMatch(/^fit: options\.key: expected a Random\.Key .* found an empty object$/)
    for (const k of bad) expect(Random.isKey(k)).toBe(false)
  })
})
