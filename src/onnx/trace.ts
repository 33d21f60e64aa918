/**
 * Programs as ONNX graphs: the program is run once against a tracing instance of the tensor
 * algebra, whose values are ONNX value names (with the concrete value beside each, for shapes and
 * branching), and every primitive it binds records its ONNX nodes, as jax2onnx does from jaxprs.
 * The example input's leading axis is the batch: it stays symbolic in the graph (a reshape keeps
 * it with a 0), and a primitive that would fix it (moving, slicing or concatenating along it) is
 * an {@link ExportError}.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { algebra } from '../program/algebra.js'
import { oneHotData } from '../program/crossEntropy.js'
import { plainCore } from '../program/plain.js'
import type { Lift } from '../program/interop.js'
import type { Algebra, Comparison, Core, Labels, Mask, Prim } from '../program/types.js'
import { isTensor, type Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { log1p, sigmoid } from './activations.js'
import { encode } from './encode.js'
import type { ExportError } from './export.js'
import { Builder, type DType, type Graph } from './graph.js'
import { ops, type Ops } from './ops.js'

/** A traced value: its name in the graph, its value on the example, and whether axis 0 is the batch. */
interface Traced {
  readonly name: string
  readonly value: Tensor
  readonly batch: boolean
}

/** A primitive the export cannot write, thrown inside the trace and returned as a Left. */
class Unsupported extends Error {
  constructor(
    readonly prim: string,
    readonly what: string,
  ) {
    super(`${prim}: ${what}`)
  }
}

const COMPARE: { readonly [K in Comparison]: readonly [string, boolean] } = {
  gt: ['Greater', false],
  lt: ['Less', false],
  ge: ['GreaterOrEqual', false],
  le: ['LessOrEqual', false],
  eq: ['Equal', false],
  ne: ['Equal', true],
}

const UNARY: { readonly [name: string]: (o: Ops, x: string) => string } = {
  neg: (o, x) => o.neg(x),
  exp: (o, x) => o.exp(x),
  log: (o, x) => o.log(x),
  log1p: (o, x) => log1p(o, x),
  sqrt: (o, x) => o.op('Sqrt', [x]),
  abs: (o, x) => o.abs(x),
  sin: (o, x) => o.op('Sin', [x]),
  cos: (o, x) => o.op('Cos', [x]),
  tanh: (o, x) => o.op('Tanh', [x]),
  sigmoid: (o, x) => sigmoid(o, x),
  relu: (o, x) => o.op('Relu', [x]),
}

const BINARY: { readonly [name: string]: string } = { add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div' }

/** `log(sum(exp(x)))` along axis `a`, kept, as the library computes it: m + log(sum(exp(x - m))), m the maximum. */
const logSumExp = (o: Ops, x: string, a: number): string => {
  const kept = [{ name: 'keepdims', kind: 'int' as const, value: 1 }]
  const m = o.op('ReduceMax', [x], [{ name: 'axes', kind: 'ints', value: [a] }, ...kept])
  const total = o.op('ReduceSum', [o.exp(o.sub(x, m)), o.builder.ints([a])], kept)
  return o.add(m, o.log(total))
}

/** The tracing core: records into `b`, with `masks` naming the comparisons' outputs. */
const tracer = (o: Ops, batchSize: number): Core<Traced> => {
  const masks = new WeakMap<Mask, string>()
  let k = 0
  const is = (u: unknown): u is Traced => typeof u === 'object' && u !== null && typeof (u as Traced).name === 'string' && isTensor((u as Traced).value)
  const out = (name: string, value: Tensor, batch: boolean): Traced => ({ name, value, batch })
  const sameRankBatch = (args: readonly Traced[], value: Tensor): boolean => args.some((a) => a.batch && a.value.shape.length === value.shape.length)
  const swapLast = (x: Traced): string => {
    const r = x.value.shape.length
    return o.op('Transpose', [x.name], [{ name: 'perm', kind: 'ints', value: [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2] }])
  }
  return {
    name: 'the ONNX tracer',
    shape: (x) => x.value.shape,
    of: (t) => out(o.builder.constant(`const/${k++}`, t.shape, Float64Array.from(t.data)), t, false),
    primal: (x) => x.value,
    is,
    compare: (op, x, y) => {
      const m = plainCore.compare(op, x.value, y.value)
      const [onnx, negate] = COMPARE[op]
      const c = o.op(onnx, [x.name, y.name])
      masks.set(m, negate ? o.op('Not', [c]) : c)
      return m
    },
    bind: <P>(prim: Prim<P>, args: readonly Traced[], params: P): Traced => {
      const value = plainCore.bind(prim, args.map((a) => a.value), params)
      const [x, y] = args as [Traced, Traced | undefined]
      const batch = sameRankBatch(args, value)
      const unary = UNARY[prim.name]
      if (unary !== undefined) return out(unary(o, x.name), value, batch)
      const binary = BINARY[prim.name]
      if (binary !== undefined) return out(o.op(binary, [x.name, y!.name]), value, batch)
      switch (prim.name) {
        case 'scale':
          return out(o.mul(x.name, o.c(params as number)), value, batch)
        case 'matmul': {
          const { ta, tb } = params as { ta: boolean; tb: boolean }
          const a = ta ? swapLast(x) : x.name
          const b = tb ? swapLast(y!) : y!.name
          if (y!.batch && y!.value.shape.length === 2) throw new Unsupported('matmul', 'a right-hand side without the batch axis')
          return out(o.op('MatMul', [a, b]), value, x.batch && x.value.shape.length > 1)
        }
        case 'transpose': {
          const perm = params as readonly number[]
          if (x.batch && perm[0] !== 0) throw new Unsupported('transpose', 'the batch axis to stay first')
          return out(o.op('Transpose', [x.name], [{ name: 'perm', kind: 'ints', value: [...perm] }]), value, x.batch)
        }
        case 'reshape': {
          const to = params as readonly number[]
          const keeps = x.batch && to[0] === batchSize
          if (x.batch && !keeps) throw new Unsupported('reshape', `the batch axis to stay first (a shape [${batchSize}, ...])`)
          return out(o.op('Reshape', [x.name, o.builder.ints(keeps ? [0, ...to.slice(1)] : [...to])]), value, keeps)
        }
        case 'sum': {
          const { axes, keepDims } = params as { axes: readonly number[]; keepDims: boolean }
          const r = o.op('ReduceSum', [x.name, o.builder.ints(axes)], [{ name: 'keepdims', kind: 'int', value: keepDims ? 1 : 0 }])
          return out(r, value, x.batch && !axes.includes(0))
        }
        case 'logSumExp': {
          const a = params as number
          return out(logSumExp(o, x.name, a), value, x.batch && a !== 0)
        }
        case 'softmaxCrossEntropy': {
          // each row's log(sum(exp(x))) - sum(x onehot), the labels a one-hot constant
          const ys = params as Labels
          const s = x.value.shape
          const a = s.length - 1
          const c = s[a]!
          const hot = o.builder.constant(`const/${k++}`, [...ys.value.shape, c], oneHotData(ys, c))
          const picked = o.op('ReduceSum', [o.mul(x.name, hot), o.builder.ints([a])], [{ name: 'keepdims', kind: 'int', value: 1 }])
          const terms = o.sub(logSumExp(o, x.name, a), picked)
          return out(o.op('Squeeze', [terms, o.builder.ints([a])]), value, x.batch && a !== 0)
        }
        case 'slice': {
          const { axis, start, end } = params as { axis: number; start: number; end: number }
          if (x.batch && axis === 0) throw new Unsupported('slice', 'a slice along another axis than the batch')
          return out(o.op('Slice', [x.name, o.builder.ints([start]), o.builder.ints([end]), o.builder.ints([axis])]), value, x.batch)
        }
        case 'concat': {
          const axis = params as number
          if (axis === 0 && args.some((a) => a.batch)) throw new Unsupported('concat', 'a concatenation along another axis than the batch')
          return out(o.op('Concat', args.map((a) => a.name), [{ name: 'axis', kind: 'int', value: axis }]), value, batch)
        }
        case 'where': {
          const m = masks.get(params as Mask)
          if (m === undefined) throw new Unsupported('where', 'a mask from a comparison in the program')
          return out(o.where(m, x.name, y!.name), value, batch)
        }
        default:
          throw new Unsupported(prim.name, 'a primitive of the tensor algebra that ONNX export knows')
      }
    },
  }
}

/**
 * A model written as a program over the tensor algebra: `(A) => (params, x) => y`, for any
 * instance `A` (see `Program.Algebra`).
 *
 * @example
 * ```ts
 * import { Onnx } from 'autodiff-ts/onnx'
 * import type { Tensor } from 'autodiff-ts'
 *
 * const affine: Onnx.Program<{ w: Tensor; b: Tensor }> = (A) => (p, x) => A.add(A.matmul(x, p.w), p.b)
 * ```
 *
 * @category model
 */
export type Program<P> = <T>(A: Algebra<T>) => (params: Lift<P, T>, x: T) => T

/** The params tree with each tensor replaced by `f(tensor, path)`. */
const mapTree = (t: unknown, f: (x: Tensor, path: string) => unknown, path: string): unknown => {
  if (isTensor(t)) return f(t, path)
  if (Array.isArray(t)) return t.map((s, i) => mapTree(s, f, `${path}[${i}]`))
  if (typeof t === 'object' && t !== null) return Object.fromEntries(Object.entries(t).map(([n, s]) => [n, mapTree(s, f, path === '' ? n : `${path}.${n}`)]))
  return t
}

/**
 * Options of `Onnx.exportProgram`.
 *
 * @example
 * ```ts
 * import { Onnx } from 'autodiff-ts/onnx'
 *
 * const options: Onnx.ProgramOptions = { dtype: 'float32', inputName: 'tokens' }
 * ```
 *
 * @category model
 */
export interface ProgramOptions {
  /** `'float64'` (the default) or `'float32'`. */
  readonly dtype?: DType
  /** The name of the graph's input, default `'x'`. */
  readonly inputName?: string
  /** The name of the graph's output, default `'y'`. */
  readonly outputName?: string
}

/** The graph of a program, traced on the example input `x` (axis 0 the batch). */
export const traceProgram = <P extends Tree>(program: Program<P>, params: P, x: Tensor, options: ProgramOptions = {}): Either<ExportError, Graph> => {
  const dtype = options.dtype ?? 'float64'
  const inputName = options.inputName ?? 'x'
  const outputName = options.outputName ?? 'y'
  const b = new Builder()
  const o = ops(b, '')
  if (x.shape.length === 0) return left({ path: '$', kind: 'program', message: '$ (program): expected an example input with a batch axis, found a scalar' })
  const A = algebra(tracer(o, x.shape[0]!))
  const p = mapTree(params, (t, path) => ({ name: b.constant(path === '' ? 'params' : path, t.shape, Float64Array.from(t.data)), value: t, batch: false }), '') as never
  let y: Traced
  try {
    y = program(A)(p, { name: inputName, value: x, batch: true })
  } catch (e) {
    if (e instanceof Unsupported) return left({ path: '$', kind: e.prim, message: `$ (program, primitive ${e.prim}): expected ${e.what}` })
    return left({ path: '$', kind: 'program', message: `$ (program): ${e instanceof Error ? e.message : String(e)}` })
  }
  const last = b.nodes[b.nodes.length - 1]
  if (last !== undefined && last.outputs[0] === y.name) b.nodes[b.nodes.length - 1] = { ...last, outputs: [outputName] }
  else b.nodes.push({ op: 'Identity', name: '/Identity', inputs: [y.name], outputs: [outputName], attrs: [] })
  const dims = (t: Traced) => t.value.shape.map((d, i) => (i === 0 && t.batch ? null : d))
  return right({
    dtype,
    input: { name: inputName, width: x.shape[x.shape.length - 1]!, dims: dims({ name: inputName, value: x, batch: true }) },
    output: { name: outputName, width: y.value.shape[y.value.shape.length - 1] ?? 1, dims: dims(y) },
    nodes: b.nodes,
    inits: b.inits,
  })
}

/** The ModelProto bytes of a program with its parameters. */
export const exportProgram = <P extends Tree>(program: Program<P>, params: P, x: Tensor, options: ProgramOptions = {}): Either<ExportError, Uint8Array> => {
  const g = traceProgram(program, params, x, options)
  return g._tag === 'Left' ? g : right(encode(g.right, 'autodiff-ts program', []))
}
