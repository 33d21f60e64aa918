/**
 * Arrays that stay unchanged for the length of one synchronous call: the kernels may copy such an
 * array into WebAssembly memory once and read that copy in every product of the call that takes
 * it (the training loop's batch, which the first layer multiplies by its weight going forward and
 * by the output's cotangent going back: `train/machine.ts`).
 *
 * The promise is the caller's, and it covers the call only: nothing that runs inside `f` writes
 * the arrays. A call of {@link withUnchanged} opens a scope with a number of its own, and a kernel
 * keeps its copy under that number, so a copy made in one call is never read in another, even of
 * the same array object (the training loop writes each batch over the last one's array between
 * two calls). An inner call's scope replaces its caller's until it returns: the outer arrays are
 * then copied again.
 *
 * @internal
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array } from '../Tensor.js'

/** The open scope: its number and the arrays it promises unchanged. */
interface Scope {
  readonly id: number
  readonly arrays: readonly ReadonlyFloat64Array[]
}

let opened = 0
let scope: Scope | undefined

/** Runs `f`, promising that nothing it runs writes any of `arrays` before it returns. */
export const withUnchanged = <A>(arrays: readonly ReadonlyFloat64Array[], f: () => A): A => {
  const outer = scope
  scope = { id: ++opened, arrays: arrays.slice() }
  try {
    return f()
  } finally {
    scope = outer
  }
}

/** The open scope's number (a copy kept under another number is not to be read), 0 outside any. */
export const unchangedScope = (): number => scope?.id ?? 0

/** Where `a` is among the open scope's unchanged arrays, -1 if it is not one of them. */
export const unchangedIndex = (a: unknown): number => (scope === undefined ? -1 : scope.arrays.indexOf(a as ReadonlyFloat64Array))
