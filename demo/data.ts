/**
 * The demo's data: the embedded digits, split into train and test by key, or Fashion-MNIST's own
 * train and test files; pixel values scaled to [0, 1] by a fixed factor (so the model file can
 * say how to prepare new images: see {@link Preprocess}).
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Dataset } from '../src/data/Dataset.js'
import { mapX } from '../src/data/Dataset.js'
import { loadDigits } from '../src/data/digits.js'
import { loadFashionMnist } from '../src/node/index.js'
import { rescale } from '../src/data/Normalize.js'
import { trainTestSplit } from '../src/data/Split.js'
import type { Key } from '../src/Random.js'
import type { DataName } from './options.js'

/** How raw pixels become model inputs: divided by `high` (16 for digits, 255 for Fashion-MNIST). */
export interface Preprocess {
  readonly kind: 'rescale'
  readonly high: number
}

/** Raw examples prepared for the model. */
export const prepare = (p: Preprocess, d: Dataset): Dataset => mapX(rescale(p.high))(d)

/** The data of one run: raw train and test sets, how to prepare them, and where they come from. */
export interface DemoData {
  readonly train: Dataset
  readonly test: Dataset
  readonly preprocess: Preprocess
  readonly credit: string
}

/** The line that tells a user of a machine without Fashion-MNIST how to get it. */
export const INSTALL_HINT = 'Fashion-MNIST is in Debian\'s dataset-fashion-mnist package: apt-get install -y dataset-fashion-mnist (then run this again), or pass --data-dir DIR with the four IDX files'

const FASHION_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']

/**
 * Loads a data set: digits split 80/20 by `splitKey`, or Fashion-MNIST (60,000 train, 10,000
 * test) from `dataDir`. A `Left` says what is missing or wrong, and how to install Fashion-MNIST.
 */
export const loadData = (data: DataName, dataDir: string, splitKey: Key): Either<string, DemoData> => {
  if (data === 'digits') {
    const d = loadDigits()
    if (isLeft(d)) return d
    const { train, test } = trainTestSplit(splitKey, d.right, { testFraction: 0.2 })
    return right({
      train,
      test,
      preprocess: { kind: 'rescale', high: 16 },
      credit: 'UCI optical recognition of handwritten digits (E. Alpaydin, C. Kaynak, CC BY 4.0), 8x8 images',
    })
  }
  const missing = FASHION_FILES.filter((f) => !existsSync(join(dataDir, `${f}.gz`)) && !existsSync(join(dataDir, f)))
  if (missing.length > 0) return left(`${dataDir}: expected the Fashion-MNIST files, found ${missing.length === 4 ? 'none of them' : `no ${missing.join(', ')}`}.\n${INSTALL_HINT}`)
  const train = loadFashionMnist('train', dataDir)
  if (isLeft(train)) return train
  const test = loadFashionMnist('test', dataDir)
  if (isLeft(test)) return test
  return right({
    train: train.right,
    test: test.right,
    preprocess: { kind: 'rescale', high: 255 },
    credit: 'Fashion-MNIST (Zalando Research, MIT license), 28x28 images',
  })
}
