/**
 * Exported models run in ONNX Runtime (onnxruntime-node, CPU) and agree with the library: every
 * activation elementwise on inputs across its range, and random models of every supported kind
 * (dense with and without bias, every activation, residual blocks, perceptrons, nested
 * sequentials), in float64 and float32. Every model exported here is then checked by
 * `onnx.checker.check_model(full_check=True)` (Debian python3-onnx, test/fixtures/onnx_check.py).
 *
 * Errors: float64 is compared elementwise, `|ort - ours| <= 1e-12 max(|ours|, 2^-1022)`, for the
 * activations alone (on 40000 inputs from -50 to 50; a subnormal result, such as gelu's near -38,
 * has fewer significant bits in any engine, hence the smallest normal number as the floor); for models ending in a dense layer, sums are added in another order by ONNX Runtime,
 * so an output near 0 can lose all its relative digits to cancellation in either engine: they
 * are compared normwise, `max |ort - ours| <= 1e-12 max(max |ours|, 2^-1022)` per output batch
 * (float32: `1e-5 max(max |ours|, 2^-126)`, the smallest normal number of each precision, below
 * which a model's outputs, such as a gelu(tanh) model's near -1e-61, underflow in float32). float32 models
 * are compared normwise to 1e-5 against the library in float64 on the same float32-rounded input
 * and the same float32-rounded parameters, that is on the model the file holds, so that the
 * difference is ONNX Runtime's float32 arithmetic alone and not the rounding of the weights, which
 * a deep random model can amplify past 1e-5 (model seed 3549562: 1.3e-5 against the float64
 * weights, 4.1e-6 against the weights the file holds) (except random models containing step, whose output flips where float32 rounding moves a
 * pre-activation across 0; step alone is compared in float32 on the activations' inputs).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import * as Layer from '../src/Layer.js'
import { Onnx } from '../src/onnx/index.js'
import { wrap } from '../src/Tensor.js'
import * as Tree from '../src/Tree.js'
import { activations, checkDir, FLOAT32_MIN_NORMAL, inputs, keep, maxRelative, normwise, randomModel, runOrt, toFloat32 } from './onnx-kit.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const worst = { act64: 0, model64: 0, act32: 0, model32: 0 }

afterAll(() => {
  console.log(`ONNX Runtime vs ours, largest errors: activations float64 ${worst.act64.toExponential(2)} (elementwise), float32 ${worst.act32.toExponential(2)} (normwise); models float64 ${worst.model64.toExponential(2)}, float32 ${worst.model32.toExponential(2)} (normwise)`)
  rmSync(checkDir, { recursive: true, force: true })
})

const exported = (l: Layer.AnyLayer, p: unknown, dtype: 'float64' | 'float32', width?: number): Uint8Array => {
  const r = Onnx.export(l, p, width === undefined ? { dtype } : { dtype, inputWidth: width })
  if (r._tag === 'Left') throw new Error(r.left.message)
  return r.right
}

// inputs from -50 to 50, denser near 0, and the kinks and cut-offs exactly
const grid = (() => {
  const xs = [0, -0, 1, -1, 40, -40, 0.84375, -0.84375, 1.25, -1.25, 28 * Math.SQRT2, -28 * Math.SQRT2, 6 * Math.SQRT2, -6 * Math.SQRT2, 1e-300, -1e-300, 1e-9, -1e-9]
  for (let i = 0; i <= 20000; i++) xs.push(-50 + i * 0.005, Math.sinh((i - 10000) / 2000) * 2)
  return wrap([xs.length / 2, 2], Float64Array.from(xs))
})()

describe('ONNX Runtime runs every activation as the library computes it', () => {
  for (const a of activations)
    it(`${a.name}, float64 elementwise to 1e-12 and float32 normwise to 1e-5`, async () => {
      const l = Layer.activation(a)
      const ours = l.apply([[], grid]).data
      const b64 = exported(l, [], "float64", 2)
      keep(`${a.name}-f64`, b64)
      const y64 = await runOrt(b64, grid, "float64")
      const e64 = maxRelative(y64, ours)
      worst.act64 = Math.max(worst.act64, e64)
      expect(e64).toBeLessThanOrEqual(1e-12)
      const x32 = toFloat32(grid)
      const b32 = exported(l, [], 'float32', 2)
      keep(`${a.name}-f32`, b32)
      const e32 = normwise(await runOrt(b32, x32, 'float32'), l.apply([[], x32]).data, FLOAT32_MIN_NORMAL)
      worst.act32 = Math.max(worst.act32, e32)
      expect(e32).toBeLessThanOrEqual(1e-5)
    })
})

describe('ONNX Runtime runs random models as the library does', () => {
  it('a model whose outputs underflow in float32 is compared against float32\'s smallest normal, and a lost normal output still fails', async () => {
    // seed 2021179596: gelu(tanh) then silu of large negative pre-activations ends near -1e-61 and
    // -1e-275, which float32 holds as 0
    const seed = 2021179596
    const { layer, params, width } = randomModel(seed)
    const x32 = toFloat32(inputs(seed, 16, width))
    const params32 = Tree.map((l) => (typeof l === 'number' ? Math.fround(l) : toFloat32(l)))(params)
    const ours = layer.apply([params32, x32]).data
    const ort = await runOrt(exported(layer, params, 'float32', width), x32, 'float32')
    expect(Math.max(...Array.from(ours, Math.abs))).toBeLessThan(FLOAT32_MIN_NORMAL)
    expect(normwise(ort, ours, FLOAT32_MIN_NORMAL)).toBeLessThanOrEqual(1e-5)
    expect(normwise([0, 1], [1e-30, 1], FLOAT32_MIN_NORMAL)).toBeLessThanOrEqual(1e-5)
    expect(normwise([0], [1e-30], FLOAT32_MIN_NORMAL)).toBeGreaterThan(1e-5)
    expect(normwise([0], [1e-37], FLOAT32_MIN_NORMAL)).toBeGreaterThan(1e-5)
  })

  it('float64 normwise to 1e-12, float32 normwise to 1e-5', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const { layer, params, width } = randomModel(seed)
        const x = inputs(seed, 16, width)
        const b64 = exported(layer, params, 'float64', width)
        keep(`model-${seed}-f64`, b64)
        const e64 = normwise(await runOrt(b64, x, 'float64'), layer.apply([params, x]).data)
        worst.model64 = Math.max(worst.model64, e64)
        const x32 = toFloat32(x)
        const b32 = exported(layer, params, 'float32', width)
        keep(`model-${seed}-f32`, b32)
        const params32 = Tree.map((l) => (typeof l === 'number' ? Math.fround(l) : toFloat32(l)))(params)
        const e32 = normwise(await runOrt(b32, x32, 'float32'), layer.apply([params32, x32]).data, FLOAT32_MIN_NORMAL)
        // step (alone or in a perceptron) is discontinuous: where a float32 pre-activation rounds to
        // the other side of 0 its output flips from 0 to 1, so float32 is not compared for such models
        const discontinuous = /"(perceptron|step)"/.test(JSON.stringify(layer.spec))
        if (!discontinuous) worst.model32 = Math.max(worst.model32, e32)
        return e64 <= 1e-12 && (discontinuous || e32 <= 1e-5)
      }),
      { numRuns: 60 },
    )
  })
})

describe('the official ONNX checker', () => {
  it('passes every model exported above: check_model(full_check=True), opset 17, IR 8, producer autodiff-ts', { timeout: 300_000 }, () => {
    const files = readdirSync(checkDir).map((f) => join(checkDir, f))
    expect(files.length).toBeGreaterThan(2 * activations.length + 100)
    const out = execFileSync('/usr/bin/python3', [join(root, 'test', 'fixtures', 'onnx_check.py'), ...files], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
    const results = out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; ok: boolean; error: string | null; opset: [string, number][]; ir: number; producer: [string, string] })
    expect(results.length).toBe(files.length)
    for (const r of results) {
      expect(r.error, r.file).toBeNull()
      expect(r.ok).toBe(true)
      expect(r.opset).toEqual([['', 17]])
      expect(r.ir).toBe(8)
      expect(r.producer[0]).toBe('autodiff-ts')
    }
  })
})
