/**
 * Data sets from files: CSV, IDX and MNIST-format directories, decoded by the core's byte
 * decoders (`Data.parseCsvBytes`, `Data.parseIdx`, `Data.fromIdx`).
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { Do, bind, chain, left, mapLeft, right } from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Tensor } from '../Tensor.js'
import type { CsvOptions, LabelledCsvOptions } from '../data/Csv.js'
import { parseCsvBytes, parseLabelledCsvBytes } from '../data/Csv.js'
import type { Dataset } from '../data/Dataset.js'
import type { Idx, IdxOptions } from '../data/Idx.js'
import { parseIdx } from '../data/Idx.js'
import { fromIdx } from '../data/Mnist.js'
import { readRaw } from './Files.js'

const named = <O extends { readonly name?: string }>(path: string, options: O): O => ({ ...options, name: options.name ?? basename(path) })

/**
 * Reads a numeric CSV file (gzip-compressed or plain, detected by its first bytes) into a
 * matrix, as `Data.parseCsv`. Messages name the file by its base name.
 *
 * @example
 * ```ts
 * import { loadCsv } from 'autodiff-ts/node'
 * import { mkdtempSync, writeFileSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 *
 * const path = join(mkdtempSync(join(tmpdir(), 'autodiff-ts-')), 'scores.csv')
 * writeFileSync(path, '1,2\n3,4\n5\n')
 * const r = loadCsv(path)
 * r._tag === 'Left' && r.left // 'scores.csv row 3: expected 2 cells, found 1'
 * ```
 * @category files
 */
export const loadCsv = (path: string, options: CsvOptions = {}): Either<string, Tensor> =>
  pipe(
    readRaw(path),
    chain((bytes) => parseCsvBytes(bytes, named(path, options))),
  )

/**
 * Reads a numeric CSV file with a label column (gzip-compressed or plain) into a data set, as
 * `Data.parseLabelledCsv`.
 *
 * @example
 * ```ts
 * import { loadLabelledCsv } from 'autodiff-ts/node'
 * import { mkdtempSync, writeFileSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 *
 * const path = join(mkdtempSync(join(tmpdir(), 'autodiff-ts-')), 'points.csv')
 * writeFileSync(path, '0.5,1\n0.25,0\n')
 * const r = loadLabelledCsv(path, { classes: 2 })
 * r._tag === 'Right' && r.right.y // [1, 0]
 * ```
 * @category files
 */
export const loadLabelledCsv = (path: string, options: LabelledCsvOptions = {}): Either<string, Dataset> =>
  pipe(
    readRaw(path),
    chain((bytes) => parseLabelledCsvBytes(bytes, named(path, options))),
  )

/**
 * Reads and decodes an IDX file (gzip-compressed or plain), as `Data.parseIdx`; messages name
 * the file by its base name.
 *
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 * import { loadIdx } from 'autodiff-ts/node'
 * import { mkdtempSync, writeFileSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 *
 * const path = join(mkdtempSync(join(tmpdir(), 'autodiff-ts-')), 'labels-idx1-ubyte')
 * writeFileSync(path, Data.encodeIdx(tensor([7, 2, 1]), 'ubyte'))
 * const r = loadIdx(path, { type: 'ubyte', rank: 1 })
 * r._tag === 'Right' && r.right.tensor // [7, 2, 1]
 * ```
 * @category files
 */
export const loadIdx = (path: string, options: IdxOptions = {}): Either<string, Idx> =>
  pipe(
    readRaw(path),
    chain((bytes) => parseIdx(bytes, named(path, options))),
  )

/**
 * Which half of an MNIST-format data set: `'train'` (files `train-*`) or `'test'` (`t10k-*`).
 *
 * @example
 * ```ts
 * import { loadMnist, type MnistSplit } from 'autodiff-ts/node'
 *
 * const split: MnistSplit = 'test'
 * const r = loadMnist('/no/such/dir', split)
 * r._tag === 'Left' && r.left // '/no/such/dir: cannot find t10k-images-idx3-ubyte.gz or t10k-images-idx3-ubyte'
 * ```
 * @category files
 */
export type MnistSplit = 'train' | 'test'

const findFile = (dir: string, stem: string): Either<string, string> => {
  for (const f of [`${stem}.gz`, stem]) if (existsSync(join(dir, f))) return right(join(dir, f))
  return left(`${dir}: cannot find ${stem}.gz or ${stem}`)
}

/**
 * Loads one half of an MNIST-format data set from a directory holding the four standard files
 * (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 * `t10k-labels-idx1-ubyte`, each gzip-compressed with a `.gz` suffix or plain). Checks both
 * magic numbers (`0x00000803` images, `0x00000801` labels), every dimension, the lengths, that
 * the counts agree and that labels are in `0..9` (`Data.fromIdx`). `x` holds raw pixel values
 * 0..255, shape `[n, rows * columns]`.
 *
 * @example
 * ```ts
 * import { loadMnist } from 'autodiff-ts/node'
 *
 * loadMnist('/usr/share/datasets/fashion-mnist', 'test') // ... right({ x: [10000, 784], y, classes: 10 }) where installed
 * ```
 * @category files
 */
export const loadMnist = (dir: string, split: MnistSplit): Either<string, Dataset> => {
  const prefix = split === 'train' ? 'train' : 't10k'
  return pipe(
    Do,
    bind('imagesPath', () => findFile(dir, `${prefix}-images-idx3-ubyte`)),
    bind('labelsPath', () => findFile(dir, `${prefix}-labels-idx1-ubyte`)),
    bind('images', ({ imagesPath }) => loadIdx(imagesPath, { type: 'ubyte', rank: 3 })),
    bind('labels', ({ labelsPath }) => loadIdx(labelsPath, { type: 'ubyte', rank: 1 })),
    chain(({ imagesPath, labelsPath, images, labels }) =>
      fromIdx(images, labels, { imagesName: basename(imagesPath), labelsName: basename(labelsPath) }),
    ),
  )
}

/**
 * Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
 *
 * @example
 * ```ts
 * import { FASHION_MNIST_DIR } from 'autodiff-ts/node'
 *
 * FASHION_MNIST_DIR // '/usr/share/datasets/fashion-mnist'
 * ```
 * @category files
 */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist'

/**
 * Loads Fashion-MNIST (Zalando, MIT license) as {@link loadMnist} from `dir` (default
 * {@link FASHION_MNIST_DIR}). When the files are missing the Left says how to install them.
 *
 * @example
 * ```ts
 * import { loadFashionMnist } from 'autodiff-ts/node'
 *
 * const r = loadFashionMnist('train', '/no/such/dir')
 * r._tag === 'Left' && r.left.includes('apt-get install dataset-fashion-mnist') // true
 * ```
 * @category files
 */
export const loadFashionMnist = (split: MnistSplit, dir: string = FASHION_MNIST_DIR): Either<string, Dataset> =>
  pipe(
    loadMnist(dir, split),
    mapLeft((e) =>
      e.includes('cannot find')
        ? `${e}. Fashion-MNIST is in Debian's dataset-fashion-mnist package: ` +
          `apt-get install dataset-fashion-mnist (files under ${FASHION_MNIST_DIR}), or give the directory that holds the files`
        : e,
    ),
  )
