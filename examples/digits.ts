/**
 * The digits classifier: a 64-64-10 ReLU network trained with Adam on the 1,797 handwritten
 * digits that ship with the library (8x8 images, UCI, CC BY 4.0), tested on a held-out fifth.
 *
 * Run it with `npx tsx examples/digits.ts`. Everything random (the split, the initial weights,
 * the batches) comes from one seed, so the same seed prints the same accuracy every time.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { fileURLToPath } from 'node:url'
import * as Act from '../src/Activation.js'
import * as Data from '../src/data/index.js'
import * as Layer from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import * as Optimizer from '../src/Optimizer.js'
import * as Random from '../src/Random.js'
import * as Train from '../src/Train.js'

/** What {@link trainDigits} returns: the model, its trained parameters and how it did. */
export interface DigitsResult {
  readonly model: ReturnType<typeof digitsModel>
  readonly params: ReturnType<ReturnType<typeof digitsModel>['init']>
  /** The fraction of held-out test images classified correctly. */
  readonly testAccuracy: number
  /** Loss and accuracy per epoch, on the training and the test images. */
  readonly history: readonly Train.EpochRecord[]
  /** The held-out test images as loaded (pixels 0..16, not scaled) and their labels. */
  readonly test: Data.Dataset
}

/** 64 pixels in, two hidden ReLU layers of 64, 10 logits out. */
export const digitsModel = () =>
  Layer.sequential(
    Layer.dense(64, 64, { init: 'he' }),
    Layer.activation(Act.relu),
    Layer.dense(64, 64, { init: 'he' }),
    Layer.activation(Act.relu),
    Layer.dense(64, 10),
  )

/** Pixels 0..16 scaled to [0, 1]. */
export const scale = Data.rescale(16)

/** Loads the digits, splits them by key, and trains the model; a `Left` if the data is missing. */
export const trainDigits = (seed = 0, epochs = 20): E.Either<string, DigitsResult> =>
  pipe(
    Data.loadDigits(),
    E.chain((digits) => {
      const [splitKey, initKey, batchKey] = Random.split(Random.key(seed), 3) as [Random.Key, Random.Key, Random.Key]
      const { train, test } = Data.trainTestSplit(splitKey, digits, { testFraction: 0.2 })
      const trainSet = Data.mapX(scale)(train)
      const testSet = Data.mapX(scale)(test)
      const model = digitsModel()
      return pipe(
        Train.fit(model, model.init(initKey), trainSet, {
          loss: Loss.softmaxCrossEntropy,
          metrics: { accuracy: Loss.accuracy },
          optimizer: (lr) => Optimizer.adam({ lr }),
          learningRate: 1e-3,
          batchSize: 32,
          epochs,
          key: batchKey,
          validation: testSet,
        }),
        E.bimap(
          (e) => e.message,
          ({ params, history }) => ({
            model,
            params,
            history,
            test,
            testAccuracy: Loss.accuracy(testSet.y)(model.apply([params, testSet.x])),
          }),
        ),
      )
    }),
  )

// Run as a script: train, print a line per epoch and the test accuracy.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  pipe(
    trainDigits(),
    E.match(
      (message) => {
        console.error(message)
        process.exitCode = 1
      },
      ({ history, testAccuracy }) => {
        for (const h of history)
          console.log(
            `epoch ${String(h.epoch + 1).padStart(2)}  loss ${h.loss.toFixed(4)}  test accuracy ${h.validation?.metrics['accuracy']?.toFixed(4)}`,
          )
        console.log(`test accuracy: ${testAccuracy.toFixed(4)}`)
      },
    ),
  )
}
