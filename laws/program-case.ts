/**
 * A function of tensors under test ({@link ProgramCase}) and the helpers the program laws share:
 * tangents of a shape, points moved along them, and the function seen as a program of one tuple.
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import type { Algebra, TensorFn } from '../src/program/index.js'
import type { Shape, Tensor } from '../src/Tensor.js'
import { fromData } from '../src/Tensor.js'
import { tensorOf } from './arbitraries-tensor.js'

/**
 * A function of tensors under test, with an arbitrary of its arguments (drawn away from its
 * kinks, where the finite-difference laws do not hold).
 *
 * @example
 * ```ts
 * import { tensorOf, type ProgramCase } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * const c: ProgramCase = { name: 'exp', f: (A) => (x) => A.exp(x!), args: fc.tuple(tensorOf([2, 3], { min: -2, max: 2 })) }
 * ```
 * @category laws
 */
export interface ProgramCase {
  /** The name in law messages. */
  readonly name: string
  /** The function, written against the algebra. */
  readonly f: TensorFn
  /** Its arguments. */
  readonly args: Arbitrary<readonly Tensor[]>
}

/** A tensor of shape `s`, entries evenly spread over [-1, 1] (fc.double crowds them near 0). */
export const ofShape = (s: Shape): Arbitrary<Tensor> => tensorOf(s, { min: -1, max: 1 })

/** The entries of tensors, one after the other. */
export const flat = (ts: readonly Tensor[]): Float64Array => Float64Array.from(ts.flatMap((t) => Array.from(t.data)))

/** `xs + h ts`. */
export const along = (xs: readonly Tensor[], ts: readonly Tensor[], h: number): Tensor[] =>
  xs.map((x, i) => fromData(x.shape, Array.from(x.data, (v, j) => v + h * ts[i]!.data[j]!)))

/** `f` as a program of one argument, the tuple of tensors. */
export const tupled = (f: TensorFn) => <T>(A: Algebra<T>) => (xs: readonly T[]) => f(A)(...xs)

/** `<f(xs), c>`, a program returning one number. */
export const paired = (f: TensorFn) => <T>(A: Algebra<T>) => (xs: readonly T[], c: T) => A.sum(A.mul(f(A)(...xs), c))
