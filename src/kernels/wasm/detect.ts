/**
 * What the engine supports, found by validating tiny modules: SIMD128, and relaxed SIMD (its
 * fused multiply-add). Nothing is compiled or run.
 *
 * @packageDocumentation
 */
import { wasmApi } from './api.js'
import type { Code } from './emit.js'
import { assemble, get, seq, v128 } from './emit.js'

/** The SIMD flavour the Wasm kernels use: relaxed SIMD (with FMA), plain SIMD128, or none. */
export type Simd = 'relaxed' | 'simd128' | 'none'

const validates = (body: Code): boolean => {
  try {
    const bytes = assemble({ shared: false, initial: 1, maximum: 1 }, [
      { name: 'f', params: ['i32'], results: [], locals: [], body: seq(get(0), get(0), body, v128.store()) },
    ])
    return wasmApi !== undefined && wasmApi.validate(bytes)
  } catch {
    return false
  }
}

/** The best SIMD flavour this engine validates. */
export const detectSimd = (): Simd => {
  if (!validates(seq(v128.load(), get(0), v128.load(), v128.add))) return 'none'
  return validates(seq(v128.load(), get(0), v128.load(), get(0), v128.load(), v128.relaxedMadd)) ? 'relaxed' : 'simd128'
}
