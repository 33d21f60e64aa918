/**
 * Shared by the ONNX tests: random models of every supported kind, running a model's bytes in
 * ONNX Runtime (onnxruntime-node, a devDependency), error measures, and a folder collecting every
 * exported model for the ONNX checker.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import * as Act from '../src/Activation.js'
import * as Layer from '../src/Layer.js'
import type { AnyLayer } from '../src/Layer.js'
import { residual } from '../src/onnx/residual.js'
import { key, normal, split, uniform } from '../src/Random.js'
import type { Tensor } from '../src/Tensor.js'
import { wrap } from '../src/Tensor.js'
import type { Tree } from '../src/Tree.js'

/** Every activation the export knows, with parameters other than the defaults too. */
export const activations: readonly (Act.Activation | Act.RowActivation)[] = [
  ...Act.all,
  Act.leakyRelu(0.2),
  Act.leakyRelu(0),
  Act.elu(0.5),
  Act.elu(2),
  Act.softmax,
  Act.logSoftmax,
]

/** A small deterministic generator (an LCG), so a fast-check seed picks a model. */
const lcg = (seed: number) => {
  let s = seed >>> 0 || 1
  return (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s % n
  }
}

/**
 * A random model of the supported kinds: dense layers (with and without bias), every
 * activation, residual blocks (around a dense layer or a sequential), perceptrons and nested
 * sequentials; and its parameters, with weights of a random scale so that activations see their tails.
 */
export const randomModel = (seed: number): { readonly layer: AnyLayer; readonly params: Tree; readonly width: number } => {
  const pick = lcg(seed)
  const act = () => Layer.activation(activations[pick(activations.length)]!)
  const inWidth = 1 + pick(6)
  let w = inWidth
  const layers: AnyLayer[] = []
  const blocks = 1 + pick(5)
  for (let i = 0; i < blocks; i++) {
    const kind = pick(7)
    const out = 1 + pick(7)
    if (kind === 0) layers.push(Layer.dense(w, out), act())
    else if (kind === 1) layers.push(Layer.dense(w, out, { bias: false }))
    else if (kind === 2) layers.push(residual(Layer.sequential(Layer.dense(w, w), act())))
    else if (kind === 3) layers.push(residual(Layer.dense(w, w)))
    else if (kind === 4) layers.push(Layer.sequential(Layer.dense(w, out), act()))
    else if (kind === 5) layers.push(Layer.perceptron(w, out))
    else layers.push(act())
    if (kind === 0 || kind === 1 || kind === 4 || kind === 5) w = out
  }
  const layer = Layer.sequential(...layers)
  const scale = [0.5, 2, 8][pick(3)]!
  const params = scaleTree(layer.init(key(seed)), scale)
  return { layer, params, width: inWidth }
}

const scaleTree = (t: Tree, k: number): Tree => {
  if (Array.isArray(t)) return Object.freeze(t.map((s) => scaleTree(s as Tree, k)))
  if (typeof t === 'object' && t !== null && 'shape' in t && 'data' in t) {
    const x = t as Tensor
    return wrap(x.shape, x.data.map((v) => v * k))
  }
  if (typeof t === 'object' && t !== null)
    return Object.freeze(Object.fromEntries(Object.entries(t).map(([n, s]) => [n, scaleTree(s as Tree, k)])))
  return t
}

/** A batch of inputs: normal, with some large entries. */
export const inputs = (seed: number, rows: number, width: number): Tensor => {
  const [k1, k2] = split(key(seed + 1), 2)
  const n = normal(k1!, [rows, width]).data
  const u = uniform(k2!, [rows, width], { low: -30, high: 30 }).data
  return wrap([rows, width], n.map((v, i) => (i % 5 === 0 ? u[i]! : 3 * v)))
}

/** The same tensor rounded to float32 (what a float32 model sees). */
export const toFloat32 = (x: Tensor): Tensor => wrap(x.shape, Float64Array.from(Float32Array.from(x.data)))

/** Runs a model's bytes in ONNX Runtime on `x` (input `x`, output `y` unless named otherwise). */
export const runOrt = async (
  bytes: Uint8Array,
  x: Tensor,
  dtype: 'float64' | 'float32',
  names = { input: 'x', output: 'y' },
  graphOptimizationLevel: 'all' | 'basic' = 'all',
): Promise<Float64Array> => {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel })
  const data = dtype === 'float64' ? Float64Array.from(x.data) : Float32Array.from(x.data)
  const out = await session.run({ [names.input]: new ort.Tensor(dtype, data, [...x.shape]) })
  await session.release()
  return Float64Array.from(out[names.output]!.data as Float64Array | Float32Array)
}

/** The smallest normal float64: below it values are subnormal, with fewer significant bits. */
/** The smallest normal float64 and float32 numbers. */
export const MIN_NORMAL = 2 ** -1022, FLOAT32_MIN_NORMAL = 2 ** -126

/**
 * The largest elementwise relative error `|a - b| / max(|b|, 2^-1022)` (0 where both are 0): a
 * subnormal result (gelu near -38 is about 4e-313) keeps fewer than 53 significant bits in any
 * engine, so its error is measured against the smallest normal number.
 */
export const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let e = 0
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!)
    if (d > 0) e = Math.max(e, d / Math.max(Math.abs(b[i]!), MIN_NORMAL))
    if (Number.isNaN(a[i]!) !== Number.isNaN(b[i]!)) return Infinity
  }
  return e
}

/**
 * The normwise relative error `max |a - b| / max(max |b|, floor)`. `floor` is the smallest normal
 * number of the precision compared in (float64's by default, `FLOAT32_MIN_NORMAL` for float32): below it a format holds
 * fewer significant bits, and a float32 engine rounds such outputs to subnormals or to 0 (a
 * gelu(tanh) model ending near -1e-61, seed 2021179596, gives 0 in ONNX Runtime, which is float32
 * at its best), so there the error is measured against the floor, as `maxRelative` does elementwise.
 */
export const normwise = (a: ArrayLike<number>, b: ArrayLike<number>, floor = MIN_NORMAL): number => {
  let d = 0
  let m = 0
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!))
    m = Math.max(m, Math.abs(b[i]!))
    if (Number.isNaN(a[i]!) !== Number.isNaN(b[i]!)) return Infinity
  }
  return d / Math.max(m, floor)
}

/** The folder where the exported models of one test file are kept for the ONNX checker (one per file: files may share a process). */
export const checkDir = join(tmpdir(), `autodiff-ts-onnx-check-${process.pid}-${Math.random().toString(36).slice(2)}`)
let kept = 0
/** Keeps a model's bytes for the checker; returns its path. */
export const keep = (name: string, bytes: Uint8Array): string => {
  mkdirSync(checkDir, { recursive: true })
  const path = join(checkDir, `${String(kept++).padStart(4, '0')}-${name.replace(/[^\w.-]+/g, '_')}.onnx`)
  writeFileSync(path, bytes)
  return path
}
