/**
 * autodiff-ts/node: file access for Node (and engines with `node:fs`): data sets read from CSV,
 * IDX and MNIST-format files, and models saved to and loaded from paths. Everything else,
 * including the decoders these call, is in the core entry `autodiff-ts`, which runs in any JS
 * engine; a browser bundle that imports this entry fails at build time, naming `node:fs`.
 *
 * @module autodiff-ts/node
 */
export * from './Files.js'
export * from './Data.js'
export * from './Model.js'
