/**
 * sigmoid, tanh and relu are stated once: the rule table's entries run the `Activation` module's
 * kernels, so `Program.plain`, `ops` and `Activation.X.diff` give the same bits (value, JVP and
 * pullback), on small tensors (JavaScript kernels) and on large ones (WebAssembly where it runs).
 */
import { describe, expect, it } from 'vitest'
import * as Activation from '../src/Activation.js'
import * as ops from '../src/ops/index.js'
import * as Program from '../src/program/index.js'
import { compose } from '../src/Diff.js'
import { scalar, wrap, type Tensor } from '../src/Tensor.js'

const edges = [0, -0, 1e-300, -1e-300, 0.25, -0.5, 0.5, 12.5, -37, 40, -709.78, 745, -800, 1000, Infinity, -Infinity, NaN]
const points = (n: number): Tensor =>
  wrap([n], Float64Array.from({ length: n }, (_, i) => (i < edges.length ? edges[i]! : -40 + (80 * i) / n + Math.sin(i) * 1e-3)))
const cotangent = (n: number): Tensor => wrap([n], Float64Array.from({ length: n }, (_, i) => Math.cos(i) * 2))
const bits = (t: Tensor): number[] => Array.from(t.data)

describe('sigmoid, tanh and relu: table, ops and Activation compute the same bits', () => {
  for (const name of ['sigmoid', 'tanh', 'relu'] as const)
    for (const n of [17, 4096])
      it(`${name} on ${n} elements`, () => {
        const x = points(n)
        const g = cotangent(n)
        const act = Activation[name].diff
        const [y, pullback] = act.vjp(x)
        const want = { value: bits(y), pullback: bits(pullback(g)), jvp: bits(act.jvp(x, g)[1]) }
        expect(bits(Program.plain[name](x))).toEqual(want.value)
        const [oy, opb] = ops[name].vjp(x)
        expect(bits(oy)).toEqual(want.value)
        expect(bits(opb(g))).toEqual(want.pullback)
        expect(bits(ops[name].jvp(x, g)[1])).toEqual(want.jvp)
        const [, vjp] = Program.vjp(<T>(A: Program.Algebra<T>) => (u: T) => A[name](u))(x)
        expect(bits(vjp(g) as Tensor)).toEqual(want.pullback)
        // a full sum sends back a uniform cotangent, which the pullbacks read as one number
        for (const c of [1, 3]) {
          const wantC = bits(act.vjp(x)[1](wrap([n], new Float64Array(n).fill(c))))
          const sumOf = compose(ops.sum(), ops[name])
          expect(bits(sumOf.vjp(x)[1](scalar(c)))).toEqual(wantC)
          expect(bits(Program.grad(<T>(A: Program.Algebra<T>) => (u: T) => A.sum(A.scale(A[name](u), c)))(x) as Tensor)).toEqual(wantC)
        }
      })

  for (const n of [17, 4096])
    it(`relu selects on ${n} elements: an infinite or NaN cotangent (or tangent) at x <= 0 gives 0, as the table's rule and PyTorch's threshold_backward`, () => {
      // x: -1, 0, -0, 2, NaN, then alternating signs; g: Infinity, -Infinity, NaN, Infinity, 1, ...
      const x = wrap([n], Float64Array.from({ length: n }, (_, i) => [-1, 0, -0, 2, NaN][i] ?? (i % 2 === 0 ? -i : i)))
      const g = wrap([n], Float64Array.from({ length: n }, (_, i) => [Infinity, -Infinity, NaN, Infinity, 1][i] ?? (i % 3 === 0 ? Infinity : NaN)))
      const want = Array.from(x.data, (xi, i) => (Number.isNaN(xi) ? NaN : xi > 0 ? g.data[i]! : 0))
      const act = Activation.relu.diff
      expect(bits(act.vjp(x)[1](g))).toEqual(want)
      expect(bits(act.jvp(x, g)[1])).toEqual(want)
      expect(bits(ops.relu.vjp(x)[1](g))).toEqual(want)
      const [, vjp] = Program.vjp(<T>(A: Program.Algebra<T>) => (u: T) => A.relu(u))(x)
      expect(bits(vjp(g) as Tensor)).toEqual(want)
      // the generic rule of the table (no fused kernel) says the same
      const { fused: _fused, ...generic } = Program.prims.relu
      const [, pb] = Program.vjp(<T>(A: Program.Algebra<T>) => (u: T) => A.bind(generic, [u], undefined))(x)
      expect(bits(pb(g) as Tensor)).toEqual(want)
    })

  it("relu's convention at its kink is Activation.relu's kink", () => {
    const points = (Program.prims.relu.conventions ?? []).flatMap((c) => c.points ?? [])
    expect(points).toEqual(Activation.relu.kinks.map((k) => ({ x: k.at, derivative: k.derivative })))
  })
})
