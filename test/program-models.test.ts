/**
 * The models of examples/models.ts against PyTorch (test/fixtures/program.py): gradients of a
 * residual block, an MLP with skip connections and a two-head attention block, and the exact
 * Hessian of a two-layer tanh MLP's loss in its first weight matrix, each to a relative 1e-9.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as models from '../examples/models.js'
import * as Program from '../src/program/index.js'
import type { Algebra } from '../src/program/index.js'
import type { Tensor } from '../src/Tensor.js'
import { fromData } from '../src/Tensor.js'

interface Json { readonly shape: number[]; readonly data: number[] }
interface Case { readonly params: Record<string, Json>; readonly inputs: Json[]; readonly loss: number; readonly grads: Record<string, number[]> }
const fx = JSON.parse(readFileSync(new URL('./fixtures/program.json', import.meta.url), 'utf8')) as Record<string, Case> & { hessian: Record<string, Json> }
const t = (j: Json): Tensor => fromData(j.shape, j.data)

/** Elementwise relative error, with a floor of 1e-14 of the largest reference element. */
const expectClose = (got: ArrayLike<number>, want: readonly number[], rel = 1e-9): void => {
  expect(got.length).toBe(want.length)
  const scale = Math.max(...want.map(Math.abs))
  let worst = 0
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (Math.abs(want[i]!) + 1e-14 * scale))
  expect(worst).toBeLessThanOrEqual(rel)
}

const check = (name: string, model: <T>(A: Algebra<T>) => (p: Record<string, T>, x: T) => T): void => {
  const c = fx[name]!
  const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, t(v)]))
  const [x, y] = c.inputs.map(t) as [Tensor, Tensor]
  const loss = <T>(A: Algebra<T>) => (p: Record<string, T>, x: T, y: T) => A.mse(model(A)(p, x), y)
  const [value, g] = Program.valueAndGrad(loss)(params, x, y)
  expectClose(value.data, [c.loss])
  for (const k of Object.keys(c.grads)) expectClose(g[k]!.data, c.grads[k]!)
}

describe('models as code against PyTorch', () => {
  it('a residual block: loss and every gradient to relative 1e-9', () =>
    check('residual', models.residualBlock as <T>(A: Algebra<T>) => (p: Record<string, T>, x: T) => T))
  it('an MLP with skip connections', () => check('skip', models.skipMlp as <T>(A: Algebra<T>) => (p: Record<string, T>, x: T) => T))
  it('a two-head attention block, softmax(Q Kᵀ / sqrt d) V', () =>
    check('attention', models.attention(2) as <T>(A: Algebra<T>) => (p: Record<string, T>, x: T) => T))
  it('the Hessian of a two-layer tanh MLP loss in W1 matches torch.autograd.functional.hessian', () => {
    const h = fx.hessian
    const rest = { b1: t(h['b1']!), w2: t(h['w2']!), b2: t(h['b2']!) }
    const H = Program.hessian(models.tanhMlpLoss)(t(h['w1']!), rest, t(h['x']!), t(h['y']!))
    expect(H.shape).toEqual(h['hessian']!.shape)
    expectClose(H.data, h['hessian']!.data)
  })
  it('the example runs', () => {
    expect(() => models.main()).not.toThrow()
  })
})
