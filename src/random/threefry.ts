/**
 * The Threefry-2x32 block cipher with 20 rounds (Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3", SC 2011), the hash behind JAX's default PRNG. It encrypts a
 * 64-bit counter, given as two 32-bit words, under a 64-bit key. Only 32-bit additions, rotations
 * and exclusive ors are used, so every JavaScript engine computes the same bits.
 *
 * @packageDocumentation
 */

const PARITY = 0x1bd11bda

/**
 * Fills `out[2i]`, `out[2i + 1]` with the two words of Threefry-2x32-20 under the key `(k0, k1)`
 * of the 64-bit counter `(c0, c1) + i`, for `i` in `[0, n)`: the words are the upper and lower 32
 * bits of the counter, so counting from `(0, 0)` is JAX's "partitionable" layout.
 *
 * @internal
 */
export const threefryBlock = (k0: number, k1: number, c0: number, c1: number, n: number, out: Uint32Array): void => {
  const ks0 = k0 | 0
  const ks1 = k1 | 0
  const ks2 = (k0 ^ k1 ^ PARITY) | 0
  for (let i = 0; i < n; i++) {
    const lo = (c1 >>> 0) + i
    let x0 = ((c0 >>> 0) + Math.floor(lo / 4294967296) + ks0) | 0
    let x1 = ((lo >>> 0) + ks1) | 0
    // 20 rounds in five groups of four, each group followed by a key injection. A round is
    // x0 += x1; x1 = rotl(x1, R) ^ x0, with the rotations R = 13, 15, 26, 6 in even groups and
    // 17, 29, 16, 24 in odd ones; injection g adds ks[(g + 1) % 3] and ks[(g + 2) % 3] + g + 1.
    // Written out in full: V8 runs the unrolled form several times faster than the loops.
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0
    x0 = (x0 + ks1) | 0
    x1 = (x1 + ks2 + 1) | 0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0
    x0 = (x0 + ks2) | 0
    x1 = (x1 + ks0 + 2) | 0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0
    x0 = (x0 + ks0) | 0
    x1 = (x1 + ks1 + 3) | 0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0
    x0 = (x0 + ks1) | 0
    x1 = (x1 + ks2 + 4) | 0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0
    x0 = (x0 + ks2) | 0
    x1 = (x1 + ks0 + 5) | 0
    out[2 * i] = x0
    out[2 * i + 1] = x1
  }
}

/**
 * Threefry-2x32-20 of one counter `(c0, c1)` under the key `(k0, k1)`: two unsigned 32-bit words.
 *
 * @example
 * ```ts
 * threefry2x32([0, 0], [0, 0]) // [0x6b200159, 0x99ba4efe], Random123's known answer
 * ```
 * @category generators
 */
export const threefry2x32 = (
  key: readonly [number, number],
  counter: readonly [number, number],
): readonly [number, number] => {
  const out = new Uint32Array(2)
  threefryBlock(key[0], key[1], counter[0], counter[1], 1, out)
  return [out[0]!, out[1]!]
}
