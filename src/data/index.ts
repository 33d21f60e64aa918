/**
 * Data: CSV and IDX (MNIST-format) decoders of text and bytes, bounded gzip, the embedded
 * digits, labelled data sets, one-hot encoding, normalisation, train/test splits and
 * mini-batches. Decoders return an `Either` whose Left names the file, the row or byte offset
 * and the problem; they never return half a data set. Reading files is `autodiff-ts/node`'s.
 *
 * @packageDocumentation
 */
export { DEFAULT_MAX_BYTES, gunzip, gunzipIfNeeded, gunzipPrefix, isGzip } from './Gzip.js'
export type { GunzipOptions } from './Gzip.js'
export { asBytes } from './Bytes.js'
export type { Bytes } from './Bytes.js'
export * from './Csv.js'
export { classCounts, dataset, features, mapX, size, take } from './Dataset.js'
export type { Dataset, ReadonlyInt32Array } from './Dataset.js'
export * from './digits.js'
export * from './Encode.js'
export * from './Idx.js'
export * from './Mnist.js'
export * from './Normalize.js'
export * from './Split.js'
