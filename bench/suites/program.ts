/**
 * Issue 11's figure: one SGD training step of a 784-128-10 ReLU MLP (batch 128, softmax
 * cross-entropy) written as a program over the tensor algebra (reverse mode on a tape local to
 * the call), against the same step of today's combinator model (`Layer.sequential` of dense and
 * activation layers through `Train.trainStep`), side by side in one process, same weights, same
 * batch, same optimizer. Target: the program at most 1.15x the combinator's time. The program
 * step is `Program.trainStep(loss, sgd)`, the program's counterpart of `Train.trainStep`: both
 * keep the gradients to themselves, so both may write the new parameters over them.
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import * as Act from '../../src/Activation.js'
import * as Layer from '../../src/Layer.js'
import * as Loss from '../../src/Loss.js'
import { sgd } from '../../src/Optimizer.js'
import * as Program from '../../src/program/index.js'
import type { Algebra } from '../../src/program/index.js'
import { key, uniform } from '../../src/Random.js'
import type { Tensor } from '../../src/Tensor.js'
import * as Train from '../../src/Train.js'
import { compare, ratio, type Figure, type Suite } from '../harness.js'

const N_IN = 784
const HIDDEN = 128
const CLASSES = 10
const BATCH = 128
const LR = 0.01

/** The parameters of dense, relu, dense: keyed by layer index, the relu (layer 1) has none. */
type Params<T> = { readonly 0: { readonly w: T; readonly b: T }; readonly 2: { readonly w: T; readonly b: T } }

/** The same MLP as code: dense, relu, dense, softmax cross-entropy. */
const loss = <T>(A: Algebra<T>) => (p: Params<T>, x: T, labels: ArrayLike<number>): T => {
  const h = A.relu(A.add(A.matmul(x, p[0].w), p[0].b))
  return A.softmaxCrossEntropy(A.add(A.matmul(h, p[2].w), p[2].b), labels)
}

const DEPTH = 16
const WIDTH = 256
const ROWS = 64

/**
 * What the reverse tape holds at the end of the forward pass of a deep tanh MLP's loss (the bytes
 * of the distinct tensors it keeps for the backward sweep), with and without `checkpoint` around
 * each layer, in MB; counted, not sampled, so the figure does not depend on the machine's noise.
 */
const tapeMemory = (): { readonly plain: number; readonly checkpointed: number } => {
  const w = uniform(key(5), [WIDTH, WIDTH])
  const x = uniform(key(6), [ROWS, WIDTH])
  const layer = <T>(A: Algebra<T>) => (h: T, w: T) => A.tanh(A.matmul(h, A.scale(w, 0.05)))
  const ckLayer = Program.checkpoint((A) => (h, w) => layer(A)(h!, w!))
  const measure = (ck: boolean): number => {
    const tape = Program.reverse(Program.plain)
    const R = tape.algebra
    const wv = tape.variable(w)
    let h = R.constant(x)
    for (let i = 0; i < DEPTH; i++) h = ck ? ckLayer(R)(h, wv) : layer(R)(h, wv)
    const bytes = [...new Map(tape.held().map((t) => [t.data.buffer, t.data.byteLength])).values()].reduce((a, b) => a + b, 0)
    const g = tape.backward(R.sum(h), Program.plain.constant(1))[0]
    if (g === undefined) throw new Error('program bench: no gradient')
    return bytes / 2 ** 20
  }
  return { plain: measure(false), checkpointed: measure(true) }
}

export const suite: Suite = {
  name: 'program-style MLP training step vs the combinator MLP, 784-128-10, batch 128 (issue 11)',
  run: (): readonly Figure[] => {
    const model = Layer.sequential(Layer.dense(N_IN, HIDDEN, { init: 'he' }), Layer.activation(Act.relu), Layer.dense(HIDDEN, CLASSES))
    const params: Params<Tensor> = model.init(key(0))
    const x = uniform(key(1), [BATCH, N_IN])
    const labels = Int32Array.from(uniform(key(2), [BATCH]).data, (v) => Math.floor(v * CLASSES))
    const optimizer = sgd({ lr: LR })
    const state = optimizer.init(params)
    const combinator = Train.trainStep(model, Loss.softmaxCrossEntropy, optimizer)
    const program = Program.trainStep(loss, optimizer)
    const programStep = () => program(state, params, x, labels)
    const combinatorStep = () => combinator(state, params, x, labels)
    // the two compute the same step: equal losses and equal updated first-layer weights
    const c = combinatorStep()
    if (isLeft(c)) throw new Error('program bench: the combinator step failed')
    const { value, params: updated } = programStep()
    if (Math.abs(value.data[0]! - c.right.loss) > 1e-12 * c.right.loss) throw new Error(`program bench: losses differ, ${value.data[0]} vs ${c.right.loss}`)
    const w1 = c.right.params[0].w
    const diff = updated[0].w.data.reduce((m, v, i) => Math.max(m, Math.abs(v - w1.data[i]!)), 0)
    if (diff > 1e-12) throw new Error(`program bench: updated W1 differs by ${diff}`)
    const m = compare({ program: programStep, combinator: combinatorStep }, { rounds: 9, minMs: 200 })
    const mem = tapeMemory()
    return [
      { name: `tensors held by the tape after the forward pass, ${DEPTH}-layer tanh MLP (width ${WIDTH}, batch ${ROWS})`, value: mem.plain, unit: 'MB' },
      { name: 'the same with checkpoint around each layer', value: mem.checkpointed, unit: 'MB' },
      ratio('checkpointed / plain tape memory', mem.checkpointed / mem.plain, '<=', 0.5),
      { name: 'program-style step', value: m.program, unit: 'ms' },
      { name: 'combinator step', value: m.combinator, unit: 'ms' },
      ratio('program / combinator time', m.program / m.combinator, '<=', 1.15),
    ]
  },
}
