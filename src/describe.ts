/**
 * How boundaries name what they found, in messages: `the number -2`, `the string "abc"`,
 * `an object with keys {a, b}`. One wording for every decoder.
 *
 * @packageDocumentation
 */

/**
 * A short phrase for any value, for the "found ..." half of a boundary's message. Long strings
 * are cut at 40 characters; objects list at most six of their own keys.
 *
 * @example
 * ```ts
 * describeValue(-0) // 'the number -0'
 * describeValue({}) // 'an empty object'
 * ```
 * @internal
 */
export const describeValue = (u: unknown): string => {
  if (u === undefined) return 'nothing (missing)'
  if (u === null) return 'null'
  if (typeof u === 'number') return `the number ${Object.is(u, -0) ? '-0' : String(u)}`
  if (typeof u === 'string') return `the string ${JSON.stringify(u.length > 40 ? `${u.slice(0, 40)}...` : u)}`
  if (typeof u === 'boolean') return `the boolean ${String(u)}`
  if (Array.isArray(u)) return `an array of length ${u.length}`
  if (ArrayBuffer.isView(u)) return `a ${Object.prototype.toString.call(u).slice(8, -1)} of length ${(u as unknown as ArrayLike<unknown>).length ?? u.byteLength}`
  if (typeof u === 'object') {
    const keys = Object.keys(u)
    return keys.length === 0
      ? 'an empty object'
      : `an object with keys {${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''}}`
  }
  return `a value of type ${typeof u}`
}
