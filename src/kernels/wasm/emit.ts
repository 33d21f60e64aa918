/**
 * A small typed emitter of WebAssembly bytecode: just the instructions the kernels use, as
 * functions returning bytes, and a module assembler. The kernels are generated from TypeScript
 * when the library loads (as jax-js does), so there is no build step, no binary in the repository
 * and nothing that can go stale; the same code runs in Node and in browsers.
 *
 * An instruction sequence is a flat `number[]` of bytes; `seq` concatenates sequences, so kernel
 * code reads like the stack machine it is.
 *
 * @packageDocumentation
 */

/** Bytes of an instruction sequence. */
export type Code = readonly number[]

/** A value type. */
export type ValType = 'i32' | 'f64' | 'v128'

const valType: Readonly<Record<ValType, number>> = { i32: 0x7f, f64: 0x7c, v128: 0x7b }

/** Unsigned LEB128. */
export const uleb = (n: number): number[] => {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}

/** Signed LEB128 of a 32-bit integer. */
export const sleb = (n: number): number[] => {
  const out: number[] = []
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte)
      return out
    }
    out.push(byte | 0x80)
  }
}

/** Concatenates instruction sequences. */
export const seq = (...parts: readonly Code[]): Code => parts.flat()

const name = (s: string): number[] => {
  const bytes = Array.from(s, (ch) => ch.charCodeAt(0))
  return [...uleb(bytes.length), ...bytes]
}
const vec = (items: readonly Code[]): number[] => [...uleb(items.length), ...items.flat()]
const section = (id: number, body: Code): number[] => [id, ...uleb(body.length), ...body]
const simd = (op: number): number[] => [0xfd, ...uleb(op)]
/** A memory argument: alignment as a power of two, and a constant byte offset. */
const memarg = (align: number, offset: number): number[] => [...uleb(align), ...uleb(offset)]

/** Local variables, parameters first. */
export const get = (i: number): Code => [0x20, ...uleb(i)]
export const set = (i: number): Code => [0x21, ...uleb(i)]
export const tee = (i: number): Code => [0x22, ...uleb(i)]

/** i32 instructions. */
export const i32 = {
  const: (n: number): Code => [0x41, ...sleb(n | 0)],
  add: [0x6a], sub: [0x6b], mul: [0x6c], shl: [0x74],
  eqz: [0x45], ltS: [0x48], geS: [0x4e], and: [0x71],
} as const satisfies Record<string, Code | ((...a: never[]) => Code)>

/** f64 loads, stores and constants. */
export const f64 = {
  const: (x: number): Code => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)],
  load: (offset = 0): Code => [0x2b, ...memarg(3, offset)],
  store: (offset = 0): Code => [0x39, ...memarg(3, offset)],
} as const satisfies Record<string, Code | ((...a: never[]) => Code)>

/** SIMD128 instructions on two f64 lanes (and the relaxed fused multiply-add): the kernels' subset. */
export const v128 = {
  load: (offset = 0): Code => [...simd(0x00), ...memarg(3, offset)],
  loadSplat64: (offset = 0): Code => [...simd(0x0a), ...memarg(3, offset)],
  store: (offset = 0): Code => [...simd(0x0b), ...memarg(3, offset)],
  zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  add: simd(0xf0), mul: simd(0xf2),
  /** `a * b + c`, fused or not as the engine chooses (relaxed SIMD). */
  relaxedMadd: simd(0x107),
  /** Bitwise operations on the whole vector; `bitselect(a, b, m)` takes `a`'s bits where `m` is set, else `b`'s. */
  not: simd(0x4d), and: simd(0x4e), andNot: simd(0x4f), or: simd(0x50), xor: simd(0x51), bitselect: simd(0x52),
  /** 1 if any bit is set. */
  anyTrue: simd(0x53),
} as const satisfies Record<string, Code | ((...a: never[]) => Code)>

/**
 * The f64x2 (two double lanes) instructions the elementwise kernels use besides `v128.add` and
 * `v128.mul`: comparisons give all-ones lanes where true (false for NaN, except `ne`);
 * `min`/`max` propagate NaN; `nearest` rounds to nearest, ties to even.
 */
export const f64x2 = {
  splat: simd(0x14),
  const: (x: number): Code => [...simd(0x0c), ...new Uint8Array(Float64Array.of(x, x).buffer)],
  eq: simd(0x47), ne: simd(0x48), lt: simd(0x49), gt: simd(0x4a), le: simd(0x4b), ge: simd(0x4c),
  nearest: simd(0x94), trunc: simd(0x7a),
  abs: simd(0xec), neg: simd(0xed), sub: simd(0xf1), div: simd(0xf3), min: simd(0xf4), max: simd(0xf5),
  /** `b < a ? b : a` and `a < b ? b : a`: one instruction each, unlike `min`/`max` (NaN and -0 aside, the same). */
  pmin: simd(0xf6), pmax: simd(0xf7),
} as const satisfies Record<string, Code | ((...a: never[]) => Code)>

/** The i64x2 (two 64-bit integer lanes) instructions used to build powers of two from their bits. */
export const i64x2 = {
  const: (n: bigint): Code => [...simd(0x0c), ...new Uint8Array(BigInt64Array.of(n, n).buffer)],
  shl: simd(0xcb), shrS: simd(0xcc), add: simd(0xce), sub: simd(0xd1),
} as const satisfies Record<string, Code | ((...a: never[]) => Code)>

/** Structured control flow with an empty block type. */
export const block = (...body: readonly Code[]): Code => [0x02, 0x40, ...seq(...body), 0x0b]
export const loop = (...body: readonly Code[]): Code => [0x03, 0x40, ...seq(...body), 0x0b]
export const ifThen = (then: Code, otherwise?: Code): Code =>
  otherwise === undefined ? [0x04, 0x40, ...then, 0x0b] : [0x04, 0x40, ...then, 0x05, ...otherwise, 0x0b]
export const brIf = (depth: number): Code => [0x0d, ...uleb(depth)]
export const select: Code = [0x1b]
export const call = (fn: number): Code => [0x10, ...uleb(fn)]

/**
 * `for (i = start; i < end; i += step) body`, with `i` a local and `start`, `end`, `step` code
 * that pushes one i32 each (re-evaluated every iteration for `end` and `step`).
 */
export const forRange = (i: number, start: Code, end: Code, step: Code, ...body: readonly Code[]): Code =>
  seq(
    start, set(i),
    block(
      get(i), end, i32.geS, brIf(0),
      loop(...body, get(i), step, i32.add, tee(i), end, i32.ltS, brIf(0)),
    ),
  )

/** A function: its parameter and result types, extra locals, body, and export name. */
export interface Func {
  readonly name: string
  readonly params: readonly ValType[]
  readonly results: readonly ValType[]
  readonly locals: readonly ValType[]
  readonly body: Code
}

/**
 * A function builder: declares parameters, then named locals as needed, and returns their
 * indices, so a kernel reads `get(x)` rather than `get(7)`.
 */
export const locals = (params: readonly ValType[]) => {
  const types: ValType[] = []
  return {
    add: (t: ValType): number => params.length + types.push(t) - 1,
    many: (t: ValType, n: number): number[] => Array.from({ length: n }, () => params.length + types.push(t) - 1),
    types: (): readonly ValType[] => types,
  }
}

/** The memory every module imports as `env.memory`. */
export interface MemoryImport {
  readonly shared: boolean
  readonly initial: number
  readonly maximum: number
}

/** Assembles a module importing `env.memory` and exporting every function under its name. */
export const assemble = (memory: MemoryImport, funcs: readonly Func[]): Uint8Array<ArrayBuffer> => {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [valType[t]])), ...vec(f.results.map((t) => [valType[t]]))])
  const limits = [memory.shared ? 0x03 : 0x01, ...uleb(memory.initial), ...uleb(memory.maximum)]
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]])
  const codes = funcs.map((f) => {
    const body = [...vec(f.locals.map((t) => [1, valType[t]])), ...f.body, 0x0b]
    return [...uleb(body.length), ...body]
  })
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(codes)),
  ])
}
