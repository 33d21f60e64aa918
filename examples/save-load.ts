/**
 * Save, load and predict: train the digits classifier, save it to a JSON file together with how
 * its inputs were scaled, load it back from that file alone and classify raw test images with
 * it. A file that does not fit its model (here, a weight of the wrong shape) is refused with a
 * message naming the place, what was expected and what was found.
 *
 * Run it with `npx tsx examples/save-load.ts [path]` (default `out/digits-example-model.json`).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as t from 'io-ts/lib/index.js'
import * as Codec from '../src/Codec.js'
import * as Data from '../src/data/index.js'
import * as Model from '../src/Model.js'
import { loadModel, saveModel } from '../src/node/index.js'
import type { Tensor } from '../src/Tensor.js'
import { trainDigits } from './digits.js'

/** The class of each row of logits `[n, classes]`: the index of its largest entry. */
export const predictClasses = (logits: Tensor): readonly number[] => {
  const [n, k] = logits.shape as [number, number]
  const out: number[] = []
  for (let r = 0; r < n; r++) {
    let best = 0
    for (let j = 1; j < k; j++) if (logits.data[r * k + j]! > logits.data[r * k + best]!) best = j
    out.push(best)
  }
  return out
}

/** An 8x8 digit (pixels 0..16) drawn in characters. */
export const draw = (pixels: ArrayLike<number>): string =>
  Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, c) => ' .:-=+*#%@'[Math.round((pixels[r * 8 + c]! / 16) * 9)]!).join('')).join('\n')

/** What {@link saveLoadPredict} found. */
export interface SaveLoadResult {
  /** The classes the loaded model predicts for the test images. */
  readonly predictions: readonly number[]
  /** The classes the model predicted before it was saved. */
  readonly before: readonly number[]
  /** The true labels. */
  readonly labels: readonly number[]
  /** The raw pixels of the test images. */
  readonly images: Tensor
  /** The message of loading a file with a wrong weight shape. */
  readonly refused: string
}

/** Trains (briefly), saves to `path`, loads back and predicts; a `Left` on any failure. */
export const saveLoadPredict = (path: string, epochs = 10): E.Either<string, SaveLoadResult> =>
  pipe(
    trainDigits(0, epochs),
    // save: the layer's spec, its parameters, and in meta how raw pixels become inputs
    E.chainFirst(({ model, params }) => saveModel(path, model, params, { meta: { pixelScale: 16 } })),
    E.chain(({ model, params, test }) =>
      pipe(
        // load from the file alone: no code of the training run is needed
        loadModel(path),
        E.bindTo('file'),
        // what the file says about the inputs, decoded (and checked) like the rest of the file
        E.bind('meta', ({ file }) => Codec.decode(t.type({ pixelScale: t.number }), `${path}: meta`)(file.meta)),
        E.chain(({ file: { layer, params: loaded }, meta }) => {
          const x = Data.rescale(meta.pixelScale)(test.x)
          // refuse a file whose weights do not fit the layer it describes
          const tampered = JSON.parse(readFileSync(path, 'utf8')) as { params: { [index: string]: unknown } }
          tampered.params[4] = { ...(tampered.params[4] as object), w: { dtype: 'float64', shape: [64, 12], data: new Array(768).fill(0) } }
          const refused = pipe(
            Model.load(JSON.stringify(tampered)),
            E.match(
              (message) => message,
              () => 'loaded!',
            ),
          )
          return E.right({
            predictions: predictClasses(layer.apply([loaded, x])),
            before: predictClasses(model.apply([params, x])),
            labels: Array.from(test.y as ArrayLike<number>),
            images: test.x,
            refused,
          })
        }),
      ),
    ),
  )

// Run as a script: save, load, and show a few predictions.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? 'out/digits-example-model.json'
  pipe(
    saveLoadPredict(path),
    E.match(
      (message) => {
        console.error(message)
        process.exitCode = 1
      },
      ({ predictions, before, labels, images, refused }) => {
        console.log(`saved and loaded ${path}`)
        for (let i = 0; i < 3; i++) {
          console.log(draw(images.data.subarray(i * 64, i * 64 + 64)))
          console.log(`label ${labels[i]}, predicted ${predictions[i]}\n`)
        }
        const correct = predictions.filter((p, i) => p === labels[i]).length
        const same = predictions.every((p, i) => p === before[i])
        console.log(`the loaded model classifies ${correct} of ${labels.length} test images correctly`)
        console.log(`its predictions are ${same ? 'the same as' : 'NOT the same as'} the model's before saving`)
        console.log(`a file with a wrong weight shape is refused: ${refused}`)
      },
    ),
  )
}
