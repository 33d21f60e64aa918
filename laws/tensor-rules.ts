/**
 * The backward rules of the two arithmetic nodes every reverse mode is built on, checked against
 * a slow reference with NumPy broadcasting: the add node passes the cotangent unchanged to both
 * inputs (summed over broadcast axes), and the mul node sends each input the cotangent times the
 * OTHER input.
 *
 * @packageDocumentation
 */
import type { Arbitrary } from 'fast-check'
import fc from './fc.js'
import type { Diff } from '../src/Diff.js'
import type { Shape, Tensor } from '../src/Tensor.js'
import { sameShapePair, tensorOf } from './arbitraries-tensor.js'
import type { ValueOptions } from './arbitraries-tensor.js'
import { compareVectors, guard, LawViolation, runLaw, showPoint, vectorLike } from './law-runner.js'
import type { LawResult, RunOptions, Tolerances } from './law-runner.js'

/**
 * The names of the rule laws, as they appear in `LawFailure.law`.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { mulRuleLaw, RuleLawNames } from 'autodiff-ts/laws'
 *
 * const r = mulRuleLaw(ops.mul)
 * r._tag === 'Right' && r.right.law.startsWith('mul rule') // true
 * RuleLawNames.addValue // 'add rule (value): add(x, y) = x + y, broadcast'
 * ```
 *
 * @category model
 */
export const RuleLawNames = {
  /** The law addValue. */
  addValue: 'add rule (value): add(x, y) = x + y, broadcast',
  /** The law addForward. */
  addForward: 'add rule (forward mode): jvp(add)([x, y], [dx, dy]) = dx + dy',
  /** The law addReverse. */
  addReverse: 'add rule (reverse mode): the cotangent passes unchanged to both inputs (summed over broadcast axes)',
  /** The law mulValue. */
  mulValue: 'mul rule (value): mul(x, y) = x * y, broadcast',
  /** The law mulForward. */
  mulForward: 'mul rule (forward mode): jvp(mul)([x, y], [dx, dy]) = dx * y + x * dy',
  /** The law mulReverse. */
  mulReverse: 'mul rule (reverse mode): each input gets the cotangent times the other input',
} as const

/**
 * The options of {@link addRuleLaw} and {@link mulRuleLaw}.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { addRuleLaw, broadcastPair, type RuleLawOptions } from 'autodiff-ts/laws'
 *
 * const options: RuleLawOptions = { arbitrary: broadcastPair(), numRuns: 50 }
 * addRuleLaw(ops.add, options)._tag // 'Right'
 * ```
 *
 * @category model
 */
export interface RuleLawOptions extends RunOptions, Tolerances {
  /** Input pairs; default `sameShapePair()`. Use `broadcastPair()` for a broadcasting node. */
  readonly arbitrary?: Arbitrary<readonly [Tensor, Tensor]>
  /** Range of tangents and cotangents; default `[-1, 1]`. */
  readonly direction?: ValueOptions
}

type Pair = readonly [Tensor, Tensor]

// ---------------------------------------------------------------------------------------------
// A slow, obviously correct broadcasting reference

const broadcastShape = (a: Shape, b: Shape): Shape | undefined => {
  const n = Math.max(a.length, b.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const p = a[a.length - n + i] ?? 1
    const q = b[b.length - n + i] ?? 1
    if (p !== q && p !== 1 && q !== 1) return undefined
    out.push(p === 1 ? q : p)
  }
  return out
}

/** The flat index into a tensor of shape `s` read by output position `idx` (of shape `out`). */
const sourceIndex = (s: Shape, out: Shape, idx: readonly number[]): number => {
  let k = 0
  const off = out.length - s.length
  for (let i = 0; i < s.length; i++) k = k * s[i]! + (s[i] === 1 ? 0 : idx[off + i]!)
  return k
}

const positions = (out: Shape): number[][] => {
  const n = out.reduce((p, d) => p * d, 1)
  const all: number[][] = []
  for (let flat = 0; flat < n; flat++) {
    const idx = new Array<number>(out.length)
    let r = flat
    for (let i = out.length - 1; i >= 0; i--) {
      idx[i] = r % out[i]!
      r = Math.floor(r / out[i]!)
    }
    all.push(idx)
  }
  return all
}

/** `t` broadcast to `out`, flat. */
const expand = (t: Tensor, out: Shape): Float64Array => Float64Array.from(positions(out), (idx) => t.data[sourceIndex(t.shape, out, idx)]!)

/** A cotangent of shape `out` summed back onto shape `s`, with the magnitudes of its terms. */
const reduce = (c: Float64Array, out: Shape, s: Shape): readonly [Float64Array, Float64Array] => {
  const n = s.reduce((p, d) => p * d, 1)
  const sum = new Float64Array(n)
  const mag = new Float64Array(n)
  positions(out).forEach((idx, i) => {
    const k = sourceIndex(s, out, idx)
    sum[k] = sum[k]! + c[i]!
    mag[k] = mag[k]! + Math.abs(c[i]!)
  })
  return [sum, mag]
}

// ---------------------------------------------------------------------------------------------

interface RuleSample {
  readonly xy: Pair
  readonly dxy: Pair
  readonly c: Tensor | undefined
}

const samples = (arb: Arbitrary<Pair>, direction: ValueOptions): Arbitrary<RuleSample> =>
  arb.chain(([x, y]) => {
    const out = broadcastShape(x.shape, y.shape)
    return fc.record({
      xy: fc.constant([x, y] as const),
      dxy: fc.tuple(tensorOf(x.shape, direction), tensorOf(y.shape, direction)),
      c: out === undefined ? fc.constant(undefined) : tensorOf(out, direction),
    })
  })

const binaryRuleLaw = (
  names: { readonly value: string; readonly forward: string; readonly reverse: string },
  node: Diff<Pair, Tensor>,
  reference: {
    readonly value: (x: number, y: number) => number
    readonly tangent: (x: number, y: number, dx: number, dy: number) => number
    /** The cotangent of x and of y for an output cotangent c, elementwise before reduction. */
    readonly dx: (x: number, y: number, c: number) => number
    readonly dy: (x: number, y: number, c: number) => number
    /** Whether the same-shape pullback must be bit-for-bit the reference. */
    readonly exact: boolean
  },
  options: RuleLawOptions,
): LawResult => {
  const rtol = options.identityRtol ?? 1e-9
  const atol = options.atol ?? 1e-9
  const arb = options.arbitrary ?? sameShapePair()
  return runLaw(
    names.reverse,
    samples(arb, options.direction ?? { min: -1, max: 1 }),
    ({ xy, dxy, c }) => {
      const [x, y] = xy
      const [dx, dy] = dxy
      const input = showPoint({ x, y, dx, dy, c })
      const out = broadcastShape(x.shape, y.shape)
      if (out === undefined || c === undefined)
        throw new LawViolation(names.value, input, 'the sampled shapes do not broadcast: fix the arbitrary')
      const xe = expand(x, out)
      const ye = expand(y, out)
      const dxe = expand(dx, out)
      const dye = expand(dy, out)
      const outLike = { shape: out, data: new Float64Array(xe.length) }
      // value
      const z = vectorLike(names.value, input, 'the value', outLike, guard(names.value, input, 'f.apply', () => node.apply(xy)))
      compareVectors(names.value, input, 'the value', xe.map((v, i) => reference.value(v, ye[i]!)), z, { rtol, atol: 0 })
      // forward
      const [, dz] = guard(names.forward, input, 'f.jvp', () => node.jvp(xy, dxy))
      const dzv = vectorLike(names.forward, input, 'the tangent', outLike, dz)
      const dzRef = xe.map((v, i) => reference.tangent(v, ye[i]!, dxe[i]!, dye[i]!))
      const dzMag = xe.map((v, i) => Math.abs(reference.tangent(v, ye[i]!, dxe[i]!, 0)) + Math.abs(reference.tangent(v, ye[i]!, 0, dye[i]!)))
      compareVectors(names.forward, input, 'the tangent', dzRef, dzv, { rtol, atol, scale: dzMag })
      // reverse
      const [, pb] = guard(names.reverse, input, 'f.vjp', () => node.vjp(xy))
      const g = guard(names.reverse, input, 'the pullback', () => pb(c))
      const gv = vectorLike(names.reverse, input, 'the input cotangents', xy, g)
      const [gx, gy] = [gv.subarray(0, x.data.length), gv.subarray(x.data.length)]
      const cv = c.data
      const [rx, mx] = reduce(xe.map((v, i) => reference.dx(v, ye[i]!, cv[i]!)), out, x.shape)
      const [ry, my] = reduce(xe.map((v, i) => reference.dy(v, ye[i]!, cv[i]!)), out, y.shape)
      const exact = reference.exact && x.data.length === cv.length && y.data.length === cv.length
      const tol = exact ? { rtol: 0, atol: 0 } : { rtol, atol }
      compareVectors(names.reverse, input, 'the cotangent of x', rx, Float64Array.from(gx), { ...tol, scale: mx })
      compareVectors(names.reverse, input, 'the cotangent of y', ry, Float64Array.from(gy), { ...tol, scale: my })
    },
    options,
  )
}

/**
 * The add node's rules: its value is `x + y` (broadcast), its tangent `dx + dy`, and its pullback
 * passes the cotangent `c` unchanged to both inputs: bit for bit when the shapes are equal, summed
 * over the broadcast axes otherwise (to `identityRtol`).
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { addRuleLaw, broadcastPair } from 'autodiff-ts/laws'
 *
 * addRuleLaw(ops.add, { arbitrary: broadcastPair() })._tag // 'Right'
 * ```
 *
 * @category laws
 */
export const addRuleLaw = (add: Diff<readonly [Tensor, Tensor], Tensor>, options: RuleLawOptions = {}): LawResult =>
  binaryRuleLaw(
    { value: RuleLawNames.addValue, forward: RuleLawNames.addForward, reverse: RuleLawNames.addReverse },
    add,
    {
      value: (x, y) => x + y,
      tangent: (_x, _y, dx, dy) => dx + dy,
      dx: (_x, _y, c) => c,
      dy: (_x, _y, c) => c,
      exact: true,
    },
    options,
  )

/**
 * The mul node's rules: its value is `x * y` (broadcast), its tangent `dx * y + x * dy`, and its
 * pullback sends `c * y` to `x` and `c * x` to `y` (each summed over its broadcast axes), to
 * `identityRtol`.
 *
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { mulRuleLaw, broadcastPair } from 'autodiff-ts/laws'
 *
 * mulRuleLaw(ops.mul, { arbitrary: broadcastPair() })._tag // 'Right'
 * mulRuleLaw(ops.add)._tag // 'Left': add is not mul
 * ```
 *
 * @category laws
 */
export const mulRuleLaw = (mul: Diff<readonly [Tensor, Tensor], Tensor>, options: RuleLawOptions = {}): LawResult =>
  binaryRuleLaw(
    { value: RuleLawNames.mulValue, forward: RuleLawNames.mulForward, reverse: RuleLawNames.mulReverse },
    mul,
    {
      value: (x, y) => x * y,
      tangent: (x, y, dx, dy) => dx * y + x * dy,
      dx: (_x, y, c) => c * y,
      dy: (x, _y, c) => c * x,
      exact: false,
    },
    options,
  )
