/**
 * A layer of a program: `fromFunction(init, program)` turns a function written against the
 * tensor algebra, `(T) => (p, x) => ...`, into a {@link Layer} (a `Diff` with an `init`), whose
 * modes come from running the program in them, and which keeps the program so that calling it
 * inside another program nests.
 *
 * @packageDocumentation
 */
import { make as makeDiff } from '../Diff.js'
import type { Key } from '../Random.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { plain } from '../program/plain.js'
import type { WithProgram } from '../program/interop.js'
import type { Nested } from '../program/transforms.js'
import { jvpArgs, vjpArgs } from '../program/transforms.js'
import type { Algebra } from '../program/types.js'
import type { Layer, Widths } from './model.js'
import { make } from './model.js'

/**
 * Options of {@link fromFunction}: the name in the layer's spec and its widths.
 *
 * @example
 * ```ts
 * import { Layer } from 'autodiff-ts'
 *
 * const o: Layer.FunctionOptions = { name: 'residual', widths: { in: 4, out: 4 } }
 * ```
 * @category model
 */
export interface FunctionOptions {
  /** The name in the spec (`{ kind: 'function', name }`); default `'function'`. */
  readonly name?: string
  /** The widths, where known; default unknown. */
  readonly widths?: Widths
}

/**
 * A layer from a program over the tensor algebra and an initialiser of its parameters. Its
 * `apply`, `jvp` and `vjp` run the program in plain, forward and reverse mode; it carries the
 * program (`layer.program`), so `Program.call(layer)` inside another program nests (exact
 * Hessians through it). Its spec is `{ kind: 'function', name }`, which a registry does not
 * rebuild: save its parameters, not the layer.
 *
 * @example
 * ```ts
 * import { Layer, Program, Random, tensor } from 'autodiff-ts'
 *
 * const residual = Layer.fromFunction(
 *   (key) => ({ w: Random.normal(key, [2, 2]) }),
 *   <T>(A: Program.Algebra<T>) => (p: { w: T }, x: T) => A.add(x, A.tanh(A.matmul(x, p.w))),
 *   { name: 'residual' },
 * )
 * residual.apply([{ w: tensor([[0, 0], [0, 0]]) }, tensor([[1, 2]])]) // [[1, 2]]
 * ```
 * @category constructors
 */
export const fromFunction = <P extends Tree>(
  init: (key: Key) => P,
  program: (A: Algebra<Tensor>) => (p: P, x: Tensor) => Tensor,
  options: FunctionOptions = {},
): Layer<P> & WithProgram => {
  const run = program as unknown as (A: unknown) => (p: unknown, x: unknown) => unknown
  const pair = ((A: unknown) => (px: readonly [unknown, unknown]) => run(A)(px[0], px[1])) as unknown as Nested<Tensor>
  const both = run as unknown as Nested<Tensor>
  const name = options.name ?? 'function'
  const layer = make<P, Tensor, Tensor>({
    spec: { kind: 'function', name },
    ...(options.widths === undefined ? {} : { widths: options.widths }),
    init,
    diff: makeDiff({
      apply: ([p, x]) => run(plain)(p, x) as Tensor,
      jvp: (px, dpx) => jvpArgs(plain, name, pair, px, dpx, []) as readonly [Tensor, Tensor],
      vjp: (px) => {
        const [y, back] = vjpArgs(plain, name, pair, [px], [true])
        return [y, (g: Tensor) => back(g)[0] as readonly [P, Tensor]]
      },
    }),
    vjpParams: (p, x) => {
      const [y, back] = vjpArgs(plain, name, both, [p, x], [true, false])
      return [y, (g: Tensor) => back(g)[0] as P]
    },
  })
  return Object.freeze({
    ...layer,
    program: <T>(A: Algebra<T>) => (px: unknown) => run(A)((px as readonly unknown[])[0], (px as readonly unknown[])[1]) as T,
  })
}
