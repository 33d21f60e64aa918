import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import {
  bernoulli, foldIn, fromWords, glorotNormal, glorotUniform, heNormal, heUniform, key, normal,
  permutation, shuffle, split, threefry2x32, uniform,
} from '../src/Random.js'
import type { Key } from '../src/Random.js'
import { log, normalQuantile } from '../src/random/normalQuantile.js'
import { ShapeError } from '../src/ShapeError.js'
import type { Tensor } from '../src/Tensor.js'
import { scalarPoint, scalarValue } from '../laws/index.js'

const bytes = (t: Tensor): Uint8Array => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)
const words = (k: Key): readonly [number, number] => [k.k0, k.k1]
const mean = (xs: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]!
  return s / xs.length
}
const variance = (xs: ArrayLike<number>): number => {
  const m = mean(xs)
  let s = 0
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2
  return s / xs.length
}

const seed = fc.integer({ min: -(2 ** 40), max: 2 ** 40 })
const smallShape = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 3 })

describe('threefry2x32', () => {
  // Random123's known-answer vectors (kat_vectors: threefry2x32 with 20 rounds), as JAX's
  // prng_test.py checks them: (key, counter) -> two words.
  it('matches the Random123 known answers', () => {
    expect(threefry2x32([0, 0], [0, 0])).toEqual([0x6b200159, 0x99ba4efe])
    expect(threefry2x32([0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toEqual([0x1cb996fc, 0xbb002be7])
    expect(threefry2x32([0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3])).toEqual([0xc4923a9c, 0x483df7a0])
  })

  it('gives split keys as the hash of counters 0, 1, ... (JAX partitionable layout)', () => {
    const ks = split(key(0), 3)
    expect(ks.map(words)).toEqual([0, 1, 2].map((i) => threefry2x32([0, 0], [0, i])))
    expect(words(ks[0]!)).toEqual([0x6b200159, 0x99ba4efe])
  })

  it('turns the first 52 of 64 bits into the first uniform', () => {
    // counter 0 under key(0) hashes to (0x6b200159, 0x99ba4efe) by the known answer above
    const expected = (0x6b200159 * 2 ** 20 + (0x99ba4efe >>> 12)) * 2 ** -52
    expect(uniform(key(0), [1]).data[0]).toBe(expected)
  })
})

describe('keys', () => {
  it('splits a seed into its upper and lower 32 bits, as JAX PRNGKey', () => {
    expect(words(key(42))).toEqual([0, 42])
    expect(words(key(-1))).toEqual([0xffffffff, 0xffffffff])
    expect(words(key(2 ** 32 + 5))).toEqual([1, 5])
    expect(words(fromWords(7, 9))).toEqual([7, 9])
    expect(key(3)).toEqual(fromWords(0, 3))
  })

  it('rejects seeds and words that are not integers in range', () => {
    expect(() => key(1.5)).toThrow(/safe integer seed, got 1.5/)
    expect(() => key(2 ** 60)).toThrow(RangeError)
    expect(() => fromWords(-1, 0)).toThrow(/\[0, 2\^32\)/)
    expect(() => split(key(0), -1)).toThrow(/non-negative integer count/)
    expect(() => foldIn(key(0), 2 ** 32)).toThrow(RangeError)
  })

  it('are frozen values', () => {
    const k = key(1)
    expect(Object.isFrozen(k)).toBe(true)
    expect(Object.isFrozen(split(k))).toBe(true)
  })

  it('split gives distinct keys, all different from the parent', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 64 }), (s, n) => {
        const parent = key(s)
        const ks = split(parent, n)
        const seen = new Set(ks.map((k) => `${k.k0},${k.k1}`))
        expect(ks).toHaveLength(n)
        expect(seen.size).toBe(n)
        expect(seen.has(`${parent.k0},${parent.k1}`)).toBe(false)
      }),
    )
  })

  it('split is deterministic and its prefix does not depend on n', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 20 }), (s, n) => {
        expect(split(key(s), n)).toEqual(split(key(s), n))
        expect(split(key(s), n + 3).slice(0, n)).toEqual(split(key(s), n))
      }),
    )
  })

  it('foldIn(k, i) is split(k, n)[i], as in JAX', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 15 }), (s, i) => {
        expect(foldIn(key(s), i)).toEqual(split(key(s), 16)[i])
      }),
    )
  })
})

describe('determinism', () => {
  it('the same key gives bit-identical samples', () => {
    fc.assert(
      fc.property(seed, smallShape, (s, shape) => {
        expect(bytes(uniform(key(s), shape))).toEqual(bytes(uniform(key(s), shape)))
        expect(bytes(normal(key(s), shape))).toEqual(bytes(normal(key(s), shape)))
        expect(bytes(bernoulli(key(s), shape))).toEqual(bytes(bernoulli(key(s), shape)))
        expect(permutation(key(s), 20)).toEqual(permutation(key(s), 20))
      }),
    )
  })

  it('element i does not depend on the shape (a longer sample extends a shorter one)', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 30 }), (s, n) => {
        const short = normal(key(s), [n]).data
        const long = normal(key(s), [n + 7]).data
        expect(Array.from(long.subarray(0, n))).toEqual(Array.from(short))
      }),
    )
  })

  it('different split keys give different streams', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const [a, b] = split(key(s)) as [Key, Key]
        const n = 2000
        const x = uniform(a, [n]).data
        const y = uniform(b, [n]).data
        // the sample correlation of independent uniforms has sd 1/sqrt(n); allow 5 sd
        let sxy = 0
        const mx = mean(x)
        const my = mean(y)
        for (let i = 0; i < n; i++) sxy += (x[i]! - mx) * (y[i]! - my)
        const r = sxy / n / Math.sqrt(variance(x) * variance(y))
        expect(Math.abs(r)).toBeLessThan(5 / Math.sqrt(n))
        expect(bytes(uniform(a, [n]))).not.toEqual(bytes(uniform(b, [n])))
      }),
    )
  })
})

describe('uniform', () => {
  it('stays in [low, high)', () => {
    fc.assert(
      fc.property(
        seed,
        scalarPoint({ min: -1e6, max: 1e6 }),
        scalarPoint({ min: 1e-300, max: 1e6 }),
        (s, low, width) => {
          const high = low + width
          fc.pre(low < high)
          const u = Array.from(uniform(key(s), [200], { low, high }).data)
          expect(Math.min(...u)).toBeGreaterThanOrEqual(low)
          expect(Math.max(...u)).toBeLessThan(high)
        },
      ),
    )
  })

  it('stays below high even where rounding would reach it', () => {
    // a width of one ulp: u * width + low rounds to high for about half of the draws
    const low = 1
    const high = 1 + 2 ** -52
    const u = Array.from(uniform(key(5), [1000], { low, high }).data)
    expect(u.every((v) => v === low)).toBe(true)
  })

  it('has mean 1/2 and variance 1/12 on [0, 1)', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const n = 10_000
        const u = uniform(key(s), [n]).data
        // sd of the mean: sqrt(1/12 / n); sd of the sample variance: sqrt((1/80 - 1/144) / n); 5 sd
        expect(Math.abs(mean(u) - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n))
        expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / n))
      }),
      { numRuns: 50 },
    )
  })

  it('fills each of 10 equal bins with 1/10 of the draws (chi-square)', () => {
    const n = 100_000
    const u = uniform(key(2024), [n]).data
    const counts = new Array<number>(10).fill(0)
    for (let i = 0; i < n; i++) counts[Math.floor(u[i]! * 10)]!++
    const e = n / 10
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0)
    // chi-square with 9 degrees of freedom: P(chi2 > 33.7) = 1e-4
    expect(chi2).toBeLessThan(33.7)
  })

  it('rejects bad shapes and bounds', () => {
    expect(() => uniform(key(0), [2, -1])).toThrow(ShapeError)
    expect(() => uniform(key(0), [1.5])).toThrow(ShapeError)
    expect(() => uniform(key(0), [2], { low: 1, high: 1 })).toThrow(/low < high, got low 1 and high 1/)
    expect(() => uniform(key(0), [2], { low: 0, high: Infinity })).toThrow(RangeError)
    expect(() => uniform(key(0), [2], { low: -Number.MAX_VALUE, high: Number.MAX_VALUE })).toThrow(/overflows/)
  })

  it('returns a frozen tensor of the requested shape', () => {
    const t = uniform(key(0), [2, 3, 0])
    expect(t.shape).toEqual([2, 3, 0])
    expect(t.data.length).toBe(0)
    expect(uniform(key(0), []).data.length).toBe(1)
    expect(Object.isFrozen(t)).toBe(true)
  })
})

describe('normal', () => {
  it('has mean 0 and variance 1, and 5% of draws beyond 1.96', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const n = 10_000
        const z = normal(key(s), [n]).data
        // sd of the mean 1/sqrt(n); of the sample variance sqrt(2/n); of a proportion
        // sqrt(p(1-p)/n); each bound is 5 sd
        expect(Math.abs(mean(z))).toBeLessThan(5 / Math.sqrt(n))
        expect(Math.abs(variance(z) - 1)).toBeLessThan(5 * Math.sqrt(2 / n))
        let tail = 0
        for (let i = 0; i < n; i++) if (Math.abs(z[i]!) > 1.959963984540054) tail++
        expect(Math.abs(tail / n - 0.05)).toBeLessThan(5 * Math.sqrt((0.05 * 0.95) / n))
      }),
      { numRuns: 50 },
    )
  })

  it('scales and shifts by std and mean exactly', () => {
    fc.assert(
      fc.property(seed, scalarPoint({ min: -100, max: 100 }), scalarPoint({ min: 0, max: 100 }), (s, m, sd) => {
        const z = normal(key(s), [50]).data
        const x = normal(key(s), [50], { mean: m, std: sd }).data
        expect(Array.from(x)).toEqual(Array.from(z, (v) => m + sd * v))
      }),
    )
  })

  it('is always finite, with |z| < 8.3', () => {
    const z = normal(key(9), [200_000]).data
    let max = 0
    for (let i = 0; i < z.length; i++) max = Math.max(max, Math.abs(z[i]!))
    expect(max).toBeLessThan(8.3)
  })

  it('rejects a negative or non-finite std', () => {
    expect(() => normal(key(0), [2], { std: -1 })).toThrow(/finite std >= 0, got mean 0 and std -1/)
    expect(() => normal(key(0), [2], { mean: NaN })).toThrow(RangeError)
  })
})

const fromHex = (s: string): number => {
  const m = /^(-?)0x([01])\.([0-9a-f]*)p([+-]\d+)$/.exec(s)
  if (m === null) throw new Error(`not a hex float: ${s}`)
  const frac = m[3]!
  return (m[1] === '-' ? -1 : 1) * (parseInt(m[2]! + frac, 16) / 16 ** frac.length) * 2 ** Number(m[4])
}

describe('normalQuantile (AS 241)', () => {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/Random.ndtri.json', import.meta.url), 'utf8')) as {
    p: string[]
    z: string[]
  }

  it('agrees with torch.special.ndtri to 1e-15 relative, from 1e-295 to 1 - 1e-15', () => {
    // both are documented to about 1e-16 relative accuracy
    expect(fixture.p.length).toBeGreaterThan(100)
    fixture.p.forEach((ps, i) => {
      const p = fromHex(ps)
      const z = fromHex(fixture.z[i]!)
      expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1e-15 * Math.abs(z))
    })
  })

  it('is odd about 1/2 on the grid normal() uses, and increasing', () => {
    fc.assert(
      // m, the top 52 bits of a draw, is a * 2^21 + b in [0, 2^52)
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 21 - 1 }), (a, b) => {
        const m = a * 2 ** 21 + b
        const u = (m + 0.5) * 2 ** -52
        expect(normalQuantile(1 - u)).toBe(-normalQuantile(u))
        const v = Math.min(u + 2 ** -40, 1 - 2 ** -53)
        if (v > u) expect(normalQuantile(u)).toBeLessThan(normalQuantile(v))
      }),
    )
  })

  it('is -Infinity at 0, Infinity at 1 and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity)
    expect(normalQuantile(1)).toBe(Infinity)
    expect(normalQuantile(-0.1)).toBeNaN()
    expect(normalQuantile(NaN)).toBeNaN()
  })
})

describe('log (fdlibm algorithm in plain arithmetic)', () => {
  it('gives the same bits as V8 Math.log (an fdlibm port) on random doubles', () => {
    fc.assert(
      // every non-negative double (fc.double: mostly tiny or huge), and spread evenly over [0, 4]
      // (fdlibm's branches near 1 and sqrt 2) and [0, 1e6]
      fc.property(fc.oneof(fc.double({ min: 0, noNaN: true }), scalarValue({ min: 0, max: 4 }), scalarValue({ min: 0, max: 1e6 })), (x) => {
        expect(Object.is(log(x), Math.log(x))).toBe(true)
      }),
      { numRuns: 20_000 },
    )
  })

  it('handles zero, subnormals, 1, infinity and negatives', () => {
    for (const x of [0, -0, 5e-324, 1e-310, 1, 2, 0.5, Number.MAX_VALUE, Infinity])
      expect(Object.is(log(x), Math.log(x))).toBe(true)
    expect(log(-1)).toBeNaN()
    expect(log(NaN)).toBeNaN()
  })
})

describe('bernoulli', () => {
  it('gives zeros at p = 0, ones at p = 1, and mean p otherwise', () => {
    fc.assert(
      fc.property(seed, scalarPoint({ min: 0, max: 1 }), (s, p) => {
        const n = 5000
        const b = bernoulli(key(s), [n], { p }).data
        expect(Array.from(b).every((v) => v === 0 || v === 1)).toBe(true)
        // sd of a proportion sqrt(p(1-p)/n); 5 sd, plus one draw for p near 0 or 1
        expect(Math.abs(mean(b) - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n) + 1 / n)
      }),
      { numRuns: 50 },
    )
    expect(Array.from(bernoulli(key(1), [100], { p: 0 }).data).every((v) => v === 0)).toBe(true)
    expect(Array.from(bernoulli(key(1), [100], { p: 1 }).data).every((v) => v === 1)).toBe(true)
    expect(() => bernoulli(key(1), [1], { p: 1.5 })).toThrow(/p in \[0, 1\], got 1.5/)
  })
})

describe('permutation and shuffle', () => {
  it('permutation is a permutation', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 300 }), (s, n) => {
        const p = permutation(key(s), n)
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
      }),
    )
  })

  it('gives each of the 6 orders of 3 items with probability 1/6 (chi-square)', () => {
    const trials = 60_000
    const counts = new Map<string, number>()
    for (const k of split(key(11), trials)) {
      const p = permutation(k, 3).join('')
      counts.set(p, (counts.get(p) ?? 0) + 1)
    }
    expect(counts.size).toBe(6)
    const e = trials / 6
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - e) ** 2 / e, 0)
    // chi-square with 5 degrees of freedom: P(chi2 > 25.7) = 1e-4
    expect(chi2).toBeLessThan(25.7)
  })

  it('puts item 0 at each position of 10 equally often (chi-square)', () => {
    const trials = 20_000
    const counts = new Array<number>(10).fill(0)
    for (const k of split(key(12), trials)) counts[permutation(k, 10).indexOf(0)]!++
    const e = trials / 10
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0)
    expect(chi2).toBeLessThan(33.7) // 9 degrees of freedom, P = 1e-4
  })

  it('shuffle returns the same items in a new frozen array and leaves its input alone', () => {
    fc.assert(
      fc.property(seed, fc.array(fc.string()), (s, xs) => {
        const before = [...xs]
        const ys = shuffle(key(s), xs)
        expect(xs).toEqual(before)
        expect([...ys].sort()).toEqual([...xs].sort())
        expect(Object.isFrozen(ys)).toBe(true)
      }),
    )
  })
})

describe('initialisers', () => {
  const dims = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }))

  it('glorotUniform stays within sqrt(6 / (fanIn + fanOut)), times gain', () => {
    fc.assert(
      fc.property(seed, dims, scalarPoint({ min: 0.1, max: 5 }), (s, [i, o], gain) => {
        const a = gain * Math.sqrt(6 / (i + o))
        const w = glorotUniform(key(s), [i, o], { gain })
        expect(w.shape).toEqual([i, o])
        expect(Array.from(w.data).every((v) => Math.abs(v) <= a)).toBe(true)
      }),
    )
  })

  it('glorotUniform reaches its limit and has variance a^2 / 3', () => {
    const [fanIn, fanOut] = [300, 200]
    const a = Math.sqrt(6 / (fanIn + fanOut))
    const w = glorotUniform(key(4), [fanIn, fanOut]).data
    const max = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
    expect(max).toBeGreaterThan(0.999 * a) // P(all 60000 below 0.999a) = 0.999^60000, about 1e-26
    // variance of U(-a, a) is a^2/3; sd of the sample variance sqrt((a^4/5 - a^4/9) / n); 5 sd
    const n = w.length
    expect(Math.abs(variance(w) - a * a / 3)).toBeLessThan(5 * Math.sqrt((a ** 4 / 5 - a ** 4 / 9) / n))
  })

  it('heUniform uses sqrt(6 / fanIn); heNormal and glorotNormal have the stated std', () => {
    const w = heUniform(key(5), [784, 128]).data
    const a = Math.sqrt(6 / 784)
    expect(Array.from(w).every((v) => Math.abs(v) <= a)).toBe(true)
    const n = 784 * 128
    const he = heNormal(key(6), [784, 128]).data
    const gl = glorotNormal(key(7), [784, 128]).data
    for (const [x, sd] of [[he, Math.sqrt(2 / 784)], [gl, Math.sqrt(2 / (784 + 128))]] as const) {
      // sd of the sample variance of a normal: sd^2 sqrt(2/n); 5 sd
      expect(Math.abs(variance(x) - sd * sd)).toBeLessThan(5 * sd * sd * Math.sqrt(2 / n))
      expect(Math.abs(mean(x))).toBeLessThan((5 * sd) / Math.sqrt(n))
    }
  })

  it('glorotNormal is normal(std) bit for bit', () => {
    const std = Math.sqrt(2 / 30)
    expect(bytes(glorotNormal(key(8), [10, 20]))).toEqual(bytes(normal(key(8), [10, 20], { std })))
  })

  it('reject shapes that are not [fanIn, fanOut] and bad gains', () => {
    expect(() => glorotUniform(key(0), [3])).toThrow(ShapeError)
    expect(() => heNormal(key(0), [3, 4, 5])).toThrow(/\[fanIn, fanOut\]; got shape \[3, 4, 5\]/)
    expect(() => heUniform(key(0), [0, 4])).toThrow(/positive fanIn and fanOut/)
    expect(() => glorotNormal(key(0), [2, 2], { gain: 0 })).toThrow(/positive finite gain, got 0/)
  })
})
