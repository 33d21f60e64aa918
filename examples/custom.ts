/**
 * A model from a user's own parts: a custom activation (softsign) and a custom layer (a
 * residual block `x + f(x)` around any inner layer), composed with the library's layers,
 * trained with `Train.fit`, saved as a JSON spec and rebuilt through an extended registry.
 *
 * A layer is just a value: a `Diff` from `[params, input]` to the output, with `init` and a
 * `spec`. The residual block is built with the `Diff` combinators: `fanout(snd(), inner)` runs
 * the identity on the input and the inner layer on `[params, input]` side by side (in reverse
 * mode the cotangents of the shared input are summed), and `add` adds the two outputs. Its
 * derivatives in both modes come from those of its parts; nothing is differentiated by hand.
 *
 * Run it: `npx tsx examples/custom.ts`.
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, map } from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { pathToFileURL } from 'node:url'
import * as Diff from '../src/Diff.js'
import * as Layer from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import * as Optimizer from '../src/Optimizer.js'
import { key, split, uniform } from '../src/Random.js'
import { ShapeError } from '../src/ShapeError.js'
import { wrap } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as Train from '../src/Train.js'
import type { Tree } from '../src/Tree.js'
import { add } from '../src/ops/arithmetic.js'
import * as ops from '../src/ops/index.js'

// ---------------------------------------------------------------------------------------------
// A custom activation: softsign(x) = x / (1 + |x|), declared from its generic definition alone

/**
 * Softsign as a `Diff<Tensor, Tensor>`, from its generic scalar definition: the value from
 * numbers, the derivative `1 / (1 + |x|)^2` from dual numbers (no hand-written loop).
 */
export const softsign: Layer.ActivationLike = {
  name: 'softsign',
  diff: ops.elementwise('softsign', (F) => (x) => F.div(x, F.add(F.one, F.abs(x)))),
}

// ---------------------------------------------------------------------------------------------
// A custom layer: the residual block x + inner(x)

/**
 * The residual block `x => x + inner(x)` around a layer that keeps the width; its parameters
 * are the inner layer's.
 *
 * @throws ShapeError if the inner layer's widths are known and differ.
 */
export const residual = <P extends Tree>(inner: Layer.Layer<P, Tensor, Tensor>): Layer.Layer<P, Tensor, Tensor> => {
  const { in: wIn, out: wOut } = inner.widths
  if (wIn !== null && wOut !== null && wOut !== 'same' && wIn !== wOut)
    throw new ShapeError('residual', `an inner layer that keeps the width, but it maps ${wIn} to ${wOut}`, [[wIn], [wOut]])
  return Layer.make<P, Tensor, Tensor>({
    spec: { kind: 'residual', inner: inner.spec },
    widths: { in: wIn, out: 'same' },
    init: inner.init,
    diff: Diff.compose(add, Diff.fanout(Diff.snd<P, Tensor>(), inner)),
  })
}

/** The registry extended with the residual kind and the softsign activation. */
export const registry: Layer.Registry = pipe(
  Layer.registry,
  Layer.registerActivation(softsign),
  Layer.register('residual', (spec, r, path) =>
    pipe(
      Layer.fromSpecAt(spec['inner'], r, `${path}.inner`),
      map((inner) => residual(inner) as Layer.AnyLayer),
    ),
  ),
)

// ---------------------------------------------------------------------------------------------
// The model and its data: two concentric rings in the plane

/** 2 -> 16, softsign, two residual blocks, -> 2 logits. */
export const model = Layer.sequential(
  Layer.dense(2, 16),
  Layer.activation(softsign),
  residual(Layer.sequential(Layer.dense(16, 16), Layer.activation(softsign), Layer.dense(16, 16))),
  residual(Layer.sequential(Layer.dense(16, 16), Layer.activation(softsign), Layer.dense(16, 16))),
  Layer.activation(softsign),
  Layer.dense(16, 2),
)

/** `n` points: class 0 inside radius 0.6, class 1 in the ring between 0.9 and 1.4. */
export const rings = (seed: number, n: number): { readonly x: Tensor; readonly y: Int32Array } => {
  const [k1, k2, k3] = split(key(seed), 3)
  const angle = uniform(k1!, [n], { low: 0, high: 2 * Math.PI }).data
  const r = uniform(k2!, [n]).data
  const cls = uniform(k3!, [n]).data
  const x = new Float64Array(2 * n)
  const y = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    y[i] = cls[i]! < 0.5 ? 0 : 1
    const radius = y[i] === 0 ? 0.6 * r[i]! : 0.9 + 0.5 * r[i]!
    x[2 * i] = radius * Math.cos(angle[i]!)
    x[2 * i + 1] = radius * Math.sin(angle[i]!)
  }
  return { x: wrap([n, 2], x), y }
}

/** Trains the model, then rebuilds it from its JSON spec and checks that it predicts the same. */
export const main = (epochs = 30) => {
  const train = rings(1, 256)
  const test = rings(2, 256)
  const r = Train.fit(model, model.init(key(0)), train, {
    loss: Loss.softmaxCrossEntropy,
    metrics: { accuracy: Loss.accuracy },
    epochs,
    batchSize: 32,
    learningRate: 0.01,
    optimizer: (lr) => Optimizer.adam({ lr }),
    key: key(3),
    validation: test,
  })
  if (isLeft(r)) throw new Error(r.left.message)
  const { params, history } = r.right
  const saved = JSON.stringify(model.spec)
  const rebuilt: Either<string, Layer.AnyLayer> = Layer.fromSpec(JSON.parse(saved), registry)
  if (isLeft(rebuilt)) return { history, rebuiltAgrees: left(rebuilt.left) }
  const a = model.apply([params, test.x]).data
  const b = rebuilt.right.apply([params, test.x]).data
  return { history, saved, rebuiltAgrees: a.every((v, i) => v === b[i]) }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { history, rebuiltAgrees } = main()
  for (const h of history.filter((_, i) => i % 10 === 9))
    console.log(`epoch ${h.epoch + 1}: loss ${h.loss.toFixed(4)}, accuracy ${h.metrics['accuracy']!.toFixed(3)}, test accuracy ${h.validation!.metrics['accuracy']!.toFixed(3)}`)
  console.log(`rebuilt from its JSON spec, same predictions: ${String(rebuiltAgrees)}`)
}
