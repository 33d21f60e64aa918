/**
 * The residual block `x + inner(x)` as a layer, with the spec `{ kind: 'residual', inner }` (the
 * convention of `examples/custom.ts`), which the importer builds when it finds a residual `Add`.
 *
 * @packageDocumentation
 */
import { compose, fanout, snd } from '../Diff.js'
import type { Layer } from '../layer/model.js'
import { make } from '../layer/model.js'
import { add } from '../ops/arithmetic.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'

/** `x => x + inner(x)`, with the inner layer's parameters. */
export const residual = <P extends Tree>(inner: Layer<P, Tensor, Tensor>): Layer<P, Tensor, Tensor> =>
  make<P, Tensor, Tensor>({
    spec: { kind: 'residual', inner: inner.spec },
    widths: { in: inner.widths.in, out: 'same' },
    init: inner.init,
    diff: compose(add, fanout(snd<P, Tensor>(), inner)),
  })
