/**
 * Limits every decoder shares: how deep JSON-like input may nest, checked by a loop (never by
 * recursion) before any decoder walks the input recursively.
 *
 * @packageDocumentation
 */

/**
 * The deepest nesting a decoder accepts unless told otherwise: 64 levels of arrays and objects
 * (layer specs, parameter trees) or of nested arrays (tensors).
 *
 * @example
 * ```ts
 * DEFAULT_MAX_DEPTH // 64
 * ```
 * @category limits
 */
export const DEFAULT_MAX_DEPTH = 64

/**
 * The largest `maxDepth` a recursive decoder (layer specs, parameter trees) accepts as an option:
 * past it the call stack itself would be at risk.
 *
 * @example
 * ```ts
 * MAX_RECURSIVE_DEPTH // 2000
 * ```
 * @category limits
 */
export const MAX_RECURSIVE_DEPTH = 2000

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const INDEX = /^(0|[1-9][0-9]*)$/

/**
 * One step of a path in a message: `[i]` for an array index or a record key that is one (a
 * sequential's parameters are keyed by layer index: `params[2].w`, as JavaScript reads it),
 * `.key` for a key that is an identifier, `["a key"]` for any other key.
 *
 * @example
 * ```ts
 * pathStep(2) // '[2]'
 * pathStep('2') // '[2]'
 * pathStep('w') // '.w'
 * pathStep('a key') // '["a key"]'
 * ```
 * @internal
 */
export const pathStep = (key: string | number): string =>
  typeof key === 'number' || INDEX.test(key) ? `[${key}]` : IDENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`

/**
 * The Left message if `u` nests arrays and objects deeper than `maxDepth` (a value that is not
 * an array or object has depth 0, `[1]` depth 1), else undefined. Walks with an explicit stack
 * and visits an object again only deeper than before, so shared objects cost at most `maxDepth`
 * visits each and a cyclic one is too deep. The message names the path from `root`.
 *
 * @example
 * ```ts
 * tooDeep({ a: [[1]] }, 2, 'spec') // 'spec.a[0]: expected at most 2 levels of nested arrays and objects (the maxDepth option), found more'
 * tooDeep({ a: [[1]] }, 3, 'spec') // undefined
 * ```
 * @internal
 */
export const tooDeep = (u: unknown, maxDepth: number, root: string): string | undefined => {
  type Frame = { readonly value: object; readonly path: string; readonly depth: number }
  // an object met again no deeper than before adds nothing: skip it (so shared objects cost at most
  // maxDepth visits each, and a cycle goes deeper on every turn until it passes the limit)
  const deepest = new Map<object, number>()
  const stack: Frame[] = []
  const push = (value: unknown, path: string, depth: number): string | undefined => {
    if (typeof value !== 'object' || value === null) return undefined
    if (depth > maxDepth) return `${path}: expected at most ${maxDepth} levels of nested arrays and objects (the maxDepth option), found more`
    const seen = deepest.get(value)
    if (seen !== undefined && seen >= depth) return undefined
    deepest.set(value, depth)
    stack.push({ value, path, depth })
    return undefined
  }
  const first = push(u, root, 1)
  if (first !== undefined) return first
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const e = push(value[i], `${path}${pathStep(i)}`, depth + 1)
        if (e !== undefined) return e
      }
    } else if (!ArrayBuffer.isView(value))
      for (const k of Object.keys(value)) {
        const e = push((value as { readonly [k: string]: unknown })[k], `${path}${pathStep(k)}`, depth + 1)
        if (e !== undefined) return e
      }
  }
  return undefined
}

/**
 * A `maxDepth` option checked: a positive integer up to `ceiling`, or the default.
 *
 * @throws RangeError naming `op` for any other value.
 * @example
 * ```ts
 * depthOption('Model.load', undefined) // 64
 * depthOption('Model.load', 100) // 100
 * ```
 * @internal
 */
export const depthOption = (op: string, d: number | undefined, ceiling = MAX_RECURSIVE_DEPTH): number => {
  if (d === undefined) return DEFAULT_MAX_DEPTH
  if (!(Number.isSafeInteger(d) && d >= 1 && d <= ceiling))
    throw new RangeError(`${op}: expected maxDepth to be an integer in [1, ${ceiling}], found ${String(d)}`)
  return d
}
