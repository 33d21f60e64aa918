/**
 * MNIST-format data sets (MNIST, Fashion-MNIST): a pair of IDX files, images and labels, made
 * into one {@link Dataset} with one flattened image per row.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { wrap } from '../Tensor.js'
import type { Dataset } from './Dataset.js'
import { unsafeDataset } from './Dataset.js'
import type { Idx } from './Idx.js'

/**
 * Joins an images array `[n, ...]` (IDX magic `0x00000803` for MNIST) and a labels array `[n]`
 * (`0x00000801`) into a data set with `x` of shape `[n, pixels]` (raw values, 0..255 for
 * MNIST) and `y` the labels, which must be integers in `[0, classes)`. The Left names the
 * labels file (`labelsName`), the byte offset and the item of a bad label, or both counts when
 * they differ.
 *
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 * import { isLeft, isRight } from 'fp-ts/lib/Either.js'
 *
 * // two 2x2 images and their labels, as parseIdx or loadIdx give them
 * const images: Data.Idx = { type: 'ubyte', tensor: tensor([[[0, 255], [255, 0]], [[9, 9], [9, 9]]]) }
 * const labels: Data.Idx = { type: 'ubyte', tensor: tensor([3, 7]) }
 * const d = Data.fromIdx(images, labels, { imagesName: 'train-images', labelsName: 'train-labels' })
 * isRight(d) && d.right.x // [[0, 255, 255, 0], [9, 9, 9, 9]]
 * isRight(d) && d.right.y // [3, 7]
 * const bad = Data.fromIdx(images, { type: 'ubyte', tensor: tensor([3, 12]) }, { labelsName: 'train-labels' })
 * isLeft(bad) && bad.left // 'train-labels: byte 9 (item 1): label 12 is out of range 0..9'
 * ```
 * @category mnist
 */
export const fromIdx = (
  images: Idx,
  labels: Idx,
  options: { readonly imagesName?: string; readonly labelsName?: string; readonly classes?: number } = {},
): Either<string, Dataset> => {
  const { imagesName = 'images', labelsName = 'labels', classes = 10 } = options
  const is = images.tensor.shape
  const ls = labels.tensor.shape
  if (is.length < 1) return left(`${imagesName}: expected an array of images [n, ...], found a scalar`)
  if (ls.length !== 1) return left(`${labelsName}: expected a vector of labels [n], found shape [${ls.join(', ')}]`)
  const n = is[0]!
  if (ls[0] !== n) return left(`${imagesName} holds ${n} images but ${labelsName} holds ${ls[0]} labels`)
  const y = new Int32Array(n)
  const header = 8 // magic and one dimension
  for (let i = 0; i < n; i++) {
    const v = labels.tensor.data[i]!
    if (!Number.isInteger(v) || v < 0 || v >= classes)
      return left(`${labelsName}: byte ${header + i} (item ${i}): label ${v} is out of range 0..${classes - 1}`)
    y[i] = v
  }
  const pixels = is.slice(1).reduce((a, b) => a * b, 1)
  if (!Number.isSafeInteger(pixels) || images.tensor.data.length !== n * pixels)
    return left(`${imagesName}: expected images of shape [n, ...] holding n × ${pixels} values, found shape [${is.join(', ')}] holding ${images.tensor.data.length}`)
  // a copy: x shares no memory with the images tensor the caller still holds
  return right(unsafeDataset(wrap([n, pixels], Float64Array.from(images.tensor.data as Float64Array)), y, classes))
}

/**
 * The ten Fashion-MNIST classes, by label.
 *
 * @example
 * ```ts
 * FASHION_MNIST_CLASSES[9] // 'Ankle boot'
 * ```
 * @category mnist
 */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
])
