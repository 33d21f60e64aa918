/**
 * The law kit, `autodiff-ts/laws`: fast-check arbitraries and checkers that prove a derivative
 * rule right, for the library's own primitives and for yours. Each checker names the law, the
 * input and both numbers when it fails.
 *
 * @module autodiff-ts/laws
 */
export * from './law-runner.js'
export * from './arbitraries.js'
export * from './arbitraries-tensor.js'
export * from './scalar.js'
export * from './tensor.js'
export * from './tensor-rules.js'
export * from './tensor-compose.js'
export * from './program.js'
export * from './program-vmap.js'
export * from './program-cases.js'
export * from './program-fused.js'
