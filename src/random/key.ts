/**
 * Keys of the random functions: {@link Key}, how to make one ({@link key}, {@link fromWords}),
 * derive more ({@link split}, {@link foldIn}), and how every public entry that takes a key checks
 * it ({@link isKey}, {@link decodeKey}, {@link assertKey}), so that `{}` or `{ k0: 1.5 }` from
 * plain JavaScript is refused rather than read as the key `(0, 0)`.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { describeValue } from '../describe.js'
import { threefryBlock } from './threefry.js'

const TWO32 = 4294967296

const isWord = (w: unknown): w is number => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w < TWO32

/**
 * Whether a value is a {@link Key}: a record tagged `_tag: 'Key'` whose words `k0` and `k1` are
 * integers in `[0, 2^32)`. Every key this module makes is one; so is a key that went through
 * `structuredClone` or JSON.
 *
 * @example
 * ```ts
 * isKey(key(0)) // true
 * isKey({}) // false
 * isKey({ _tag: 'Key', k0: 1.5, k1: -3 }) // false
 * ```
 * @category guards
 */
export const isKey = (u: unknown): u is Key =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === 'Key' && isWord((u as Key).k0) && isWord((u as Key).k1)

const KEY_EXPECTED = "a Random.Key (made by Random.key(seed), fromWords, split or foldIn: { _tag: 'Key', k0, k1 } with integer words in [0, 2^32))"

/**
 * Checks a key from outside (an option, a deserialised value): a Right holding it, or a Left
 * naming `where`, what a key is and what was found.
 *
 * @example
 * ```ts
 * decodeKey(key(1))._tag // 'Right'
 * const r = decodeKey({}, 'fit: options.key')
 * r._tag === 'Left' && r.left.endsWith('found an empty object') // true
 * ```
 * @category guards
 */
export const decodeKey = (u: unknown, where = 'key'): Either<string, Key> =>
  isKey(u) ? right(u) : left(`${where}: expected ${KEY_EXPECTED}, found ${describeKeyLike(u)}`)

const describeKeyLike = (u: unknown): string =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && ('k0' in u || 'k1' in u)
    ? `{ _tag: ${describeValue((u as { _tag?: unknown })._tag)}, k0: ${describeValue((u as { k0?: unknown }).k0)}, k1: ${describeValue((u as { k1?: unknown }).k1)} }`
    : describeValue(u)

/**
 * Throws a `TypeError` naming `op` unless `u` is a {@link Key}: what every function of `Random`
 * (and `fit`, layer initialisers, splits) does with the key it is given.
 *
 * @throws TypeError if `u` is not a key.
 * @example
 * ```ts
 * assertKey('mine', key(0)) // fine
 * // assertKey('mine', {}) throws TypeError: mine: expected a Random.Key (...), found an empty object
 * ```
 * @category guards
 */
export function assertKey(op: string, u: unknown): asserts u is Key {
  if (!isKey(u)) throw new TypeError(`${op}: expected ${KEY_EXPECTED}, found ${describeKeyLike(u)}`)
}

/**
 * A pseudo-random key: two unsigned 32-bit words, like JAX's raw `uint32[2]` keys. Immutable;
 * make one with {@link key}, derive more with {@link split} or {@link foldIn}.
 *
 * @example
 * ```ts
 * const k: Key = key(7)
 * k.k1 // 7
 * ```
 * @category model
 */
export interface Key {
  /** Always `'Key'`: tells a key apart from other records of two numbers. */
  readonly _tag: 'Key'
  /** The first word, an integer in `[0, 2^32)`. */
  readonly k0: number
  /** The second word, an integer in `[0, 2^32)`. */
  readonly k1: number
}

const mk = (k0: number, k1: number): Key => Object.freeze({ _tag: 'Key' as const, k0: k0 >>> 0, k1: k1 >>> 0 })

/**
 * The key of an integer seed, as JAX's `PRNGKey(seed)`: the upper and lower 32 bits of the seed
 * as a 64-bit two's complement integer. `key(0)` is `(0, 0)`; `key(-1)` is
 * `(0xffffffff, 0xffffffff)`.
 *
 * @throws RangeError if `seed` is not a safe integer.
 * @example
 * ```ts
 * const k = key(42) // { _tag: 'Key', k0: 0, k1: 42 }
 * ```
 * @category constructors
 */
export const key = (seed: number): Key => {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`Random.key: expected a safe integer seed, got ${seed}`)
  const hi = Math.floor(seed / TWO32)
  return mk(hi, seed - hi * TWO32)
}

/**
 * The key with the given two 32-bit words, for keys saved as data (for example JAX's
 * `random.key_data`).
 *
 * @throws RangeError unless both words are integers in `[0, 2^32)`.
 * @example
 * ```ts
 * fromWords(0, 42) // the same key as key(42)
 * ```
 * @category constructors
 */
export const fromWords = (k0: number, k1: number): Key => {
  if (!isWord(k0) || !isWord(k1))
    throw new RangeError(`Random.fromWords: expected two integers in [0, 2^32), got ${k0} and ${k1}`)
  return mk(k0, k1)
}

/**
 * `n` new keys derived from `key` (default two), statistically independent of each other. The
 * `i`-th is the Threefry hash of counter `i` under `key`, as JAX's `random.split`.
 *
 * @throws RangeError if `n` is not a non-negative integer.
 * @example
 * ```ts
 * const [k1, k2] = split(key(0))
 * const keys = split(key(0), 10)
 * ```
 * @category derivation
 */
export const split = (key: Key, n = 2): readonly Key[] => {
  assertKey('Random.split', key)
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Random.split: expected a non-negative integer count, got ${n}`)
  const out = new Uint32Array(2 * n)
  threefryBlock(key.k0, key.k1, 0, 0, n, out)
  const keys = new Array<Key>(n)
  for (let i = 0; i < n; i++) keys[i] = mk(out[2 * i]!, out[2 * i + 1]!)
  return Object.freeze(keys)
}

/**
 * A new key derived from `key` and an integer, as JAX's `random.fold_in`: handy for a key per
 * epoch or per step, `foldIn(k, epoch)`. As in JAX it equals `split(key, n)[data]`, so derive a
 * key's children either by folding or by splitting, not both.
 *
 * @throws RangeError unless `data` is an integer in `[0, 2^32)`.
 * @example
 * ```ts
 * const epochKey = foldIn(key(0), 3)
 * ```
 * @category derivation
 */
export const foldIn = (key: Key, data: number): Key => {
  assertKey('Random.foldIn', key)
  if (!Number.isInteger(data) || data < 0 || data >= TWO32)
    throw new RangeError(`Random.foldIn: expected an integer in [0, 2^32), got ${data}`)
  const out = new Uint32Array(2)
  threefryBlock(key.k0, key.k1, 0, data, 1, out)
  return mk(out[0]!, out[1]!)
}

