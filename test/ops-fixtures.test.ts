/**
 * Fixed cases against PyTorch 1.13 (float64): values, vector-Jacobian products and
 * Jacobian-vector products of every primitive, from test/fixtures/ops.py.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Diff } from '../src/Diff.js'
import type { Tensor } from '../src/Tensor.js'
import { fromData } from '../src/Tensor.js'
import {
  abs, add, broadcastTo, concat, div, dot, exp, index, log, log1p, logSumExp, matmul, maximum, mean, minimum, mul,
  neg, pow, relu, reshape, scale, sigmoid, slice, sqrt, square, sub, sum, transpose, where,
} from '../src/ops/index.js'

interface Enc { readonly shape: number[]; readonly data: (number | string)[] }
interface Case {
  readonly name: string
  readonly params: Record<string, unknown>
  readonly inputs: Enc[]
  readonly output: Enc
  readonly cotangent: Enc
  readonly grads: Enc[]
  readonly tangents: Enc[]
  readonly jvp: Enc
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/ops.json', import.meta.url), 'utf8')) as { cases: Case[] }
const dec = (e: Enc): Tensor => fromData(e.shape, e.data.map((v) => (typeof v === 'number' ? v : Number(v.replace('inf', 'Infinity')))))

type Op = Diff<Tensor | readonly Tensor[], Tensor>
const ops: Record<string, (p: Record<string, unknown>) => unknown> = {
  add: () => add, sub: () => sub, mul: () => mul, div: () => div, pow: () => pow,
  maximum: () => maximum, minimum: () => minimum, matmul: () => matmul, dot: () => dot,
  neg: () => neg, scale: (p) => scale(p.c as number), exp: () => exp, log: () => log, log1p: () => log1p,
  sqrt: () => sqrt, square: () => square, abs: () => abs, sigmoid: () => sigmoid, relu: () => relu,
  sum: (p) => sum(p.axis === undefined ? {} : { axis: p.axis as number, keepdims: p.keepdims as boolean }),
  mean: (p) => mean(p.axis === undefined ? {} : { axis: p.axis as number, keepdims: p.keepdims as boolean }),
  logSumExp: (p) => logSumExp({ axis: p.axis as number, keepdims: p.keepdims as boolean }),
  reshape: (p) => reshape(p.shape as number[]),
  transpose: (p) => transpose(p.perm as number[] | undefined),
  broadcastTo: (p) => broadcastTo(p.shape as number[]),
  concat: (p) => concat({ axis: p.axis as number }),
  slice: (p) => slice({ axis: p.axis as number, start: p.start as number, end: p.end as number }),
  index: (p) => index({ axis: p.axis as number, at: p.at as number }),
  where: (p) => where(dec(p.cond as Enc)),
}
const unaryNames = new Set(['neg', 'scale', 'exp', 'log', 'log1p', 'sqrt', 'square', 'abs', 'sigmoid', 'relu', 'sum', 'mean',
  'logSumExp', 'reshape', 'transpose', 'broadcastTo', 'slice', 'index'])

const expectClose = (got: Tensor, want: Tensor, what: string) => {
  expect(got.shape, what).toEqual(want.shape)
  want.data.forEach((w, i) => {
    const g = got.data[i]!
    if (!(Math.abs(g - w) <= 1e-12 * (1 + Math.abs(w)))) expect.fail(`${what}[${i}]: got ${g}, PyTorch ${w}`)
  })
}

describe('against PyTorch', () => {
  it('has the fixture', () => expect(fixture.cases.length).toBeGreaterThan(60))

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const key = c.name.split(' ')[0]!
    const op = ops[key]!(c.params) as Op
    const xs = c.inputs.map(dec)
    const arg = unaryNames.has(key) ? xs[0]! : xs
    const y = op.apply(arg)
    expectClose(y, dec(c.output), 'value')
    const [, back] = op.vjp(arg)
    const g = back(dec(c.cotangent))
    const gs = unaryNames.has(key) ? [g as Tensor] : (g as readonly Tensor[])
    gs.forEach((gi, i) => expectClose(gi, dec(c.grads[i]!), `grad ${i}`))
    const ts = c.tangents.map(dec)
    const [, dy] = op.jvp(arg, unaryNames.has(key) ? ts[0]! : ts)
    expectClose(dy, dec(c.jvp), 'jvp')
  })
})
