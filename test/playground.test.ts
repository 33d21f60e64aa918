/**
 * The playground page in headless Chromium (Debian's, driven by playwright-core): it is built
 * with esbuild from `playground/`, served with COOP/COEP by `playground/serve.ts`, and checked
 * against what the library computes here, in Node, for the same inputs.
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Activation, Dual, Graph, Layer, Loss, Random, Reverse, Train, tensor, type MultiFn } from '../src/index.js'
import { openPlayground, type Session } from '../playground/browser.js'

let session: Session
let page: Page
const problems: string[] = []

beforeAll(async () => {
  session = await openPlayground()
  page = session.page
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  await page.goto(session.url)
  await page.waitForSelector('body[data-ready="true"]')
}, 120_000)

afterAll(() => session?.close())

/** The page's text at a selector. */
const text = async (selector: string): Promise<string> => (await page.textContent(selector))?.trim() ?? ''
/** The page's expression for a figure of the training part (epoch, loss, accuracy), for `waitForFunction`. */
const figure = (name: 'epoch' | 'loss' | 'accuracy'): string => `Number(document.getElementById('training').dataset.${name})`
/** A number as the page's readouts show it (the library's formatting, 6 digits). */
const six = (x: number): string => Graph.formatNumber(x, 6)

describe('the playground page', () => {
  it('type-checks against the DOM, the library imported by name from its root', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
    const root = fileURLToPath(new URL('..', import.meta.url))
    expect(() => execFileSync(process.execPath, [tsc, '-p', 'playground/tsconfig.json'], { cwd: root, encoding: 'utf8', stdio: 'pipe' })).not.toThrow()
  })

  it('loads with no console error and with cross-origin isolation', async () => {
    await page.waitForTimeout(300)
    expect(problems).toEqual([])
    expect(await page.evaluate('self.crossOriginIsolated')).toBe(true)
  })

  it('draws sigmoid with its derivatives; the largest derivative on the plot reads 0.25', async () => {
    await page.click('#act-picker button[data-name="sigmoid"]')
    const path = await page.getAttribute('#act-chart path[data-label="f(x) = sigmoid(x)"]', 'd')
    expect(path?.match(/[ML]/g)?.length).toBe(401)
    expect(await page.getAttribute('#act-chart path[data-label="f′(x)"]', 'd')).toMatch(/^M/)
    expect(await text('#act-d1-max')).toBe('0.25')
    expect(await text('#act-facts')).toContain('σ′(x) = σ(x)(1 − σ(x)) ≤ 1/4')
  })

  it('moving the slider updates the value and both derivatives, as the library computes them', async () => {
    const before = await text('#act-d1')
    for (const x of [1.5, -2.25]) {
      await page.fill('#act-x', String(x))
      const f = Activation.sigmoid.scalar
      expect(await text('#act-x-value')).toBe(six(x))
      expect(await text('#act-f')).toBe(six(Activation.sigmoid.value(x)))
      expect(await text('#act-d1')).toBe(six(Dual.derivative(f)(x)))
      expect(await text('#act-d2')).toBe(six(Dual.nthDerivative(2)(f)(x)))
    }
    expect(await text('#act-d1')).not.toBe(before)
  })

  it('overlays 2 sigmoid(2x) - 1 on tanh', async () => {
    await page.click('#act-picker button[data-name="tanh"]')
    expect(await page.getAttribute('#act-chart path[data-label="2σ(2x) − 1"]', 'd')).toMatch(/^M/)
    expect(Number((await text('#act-tanh-gap')).replace('−', '-'))).toBeLessThan(1e-15)
  })

  it("draws the neuron's graph with the gradients the library computes, live", async () => {
    const neuron: MultiFn = (F) => ([x1 = F.zero, w1 = F.zero, x2 = F.zero, w2 = F.zero, b = F.zero]) =>
      F.tanh(F.add(F.add(F.mul(x1, w1), F.mul(x2, w2)), b))
    const labels = ['x₁', 'w₁', 'x₂', 'w₂', 'b']
    const check = async (xs: number[]) => {
      const grads = Reverse.grad(neuron)(xs)
      const texts = await page.$$eval('#neuron-graph svg text', (ts) => ts.map((t) => t.textContent ?? ''))
      labels.forEach((label, i) => {
        const at = texts.indexOf(label)
        expect(at, label).toBeGreaterThanOrEqual(0)
        expect(texts[at + 1]).toBe(`value ${Graph.formatNumber(xs[i]!, 4)}`)
        expect(texts[at + 2]).toBe(`grad ${Graph.formatNumber(grads[i]!, 4)}`)
      })
      const listed = await page.$$eval('#neuron-rules b.grad', (bs) => bs.map((b) => [b.getAttribute('data-input'), b.textContent]))
      expect(listed).toEqual(labels.map((l, i) => [l, six(grads[i]!)]))
    }
    await check([2, -3, 0, 1, 6.8814])
    // the multiply node swaps its inputs: x1 gets grad * w1, w1 gets grad * x1
    expect(await text('#neuron-rules')).toContain('× node')
    await page.fill('#neuron-x2', '0.5')
    await page.fill('#neuron-w2', '-1.25')
    await check([2, -3, 0.5, -1.25, 6.8814])
  })

  it('trains XOR to a loss below 0.05 within 20 s, in a worker', async () => {
    await page.selectOption('#train-dataset', 'xor')
    const t0 = Date.now()
    await page.click('#train-start')
    await page.waitForFunction(`${figure('loss')} < 0.05`, null, { timeout: 20_000 })
    expect(Date.now() - t0).toBeLessThan(20_000)
    await page.click('#train-stop')
    await page.waitForSelector('#train-resume:not([disabled])')
    expect(await text('#train-status')).toMatch(/^stopped: epoch \d+ · loss \S+ · accuracy 100\.0% · [\d,]+ examples\/s on WebAssembly SIMD \((relaxed|simd128)\) kernels, \d+ threads?$/)
    // resume goes on from the kept model
    const epoch = Number(await page.getAttribute('#training', 'data-epoch'))
    await page.click('#train-resume')
    await page.waitForFunction(`${figure('epoch')} > ${epoch}`)
    await page.click('#train-stop')
    await page.waitForSelector('#train-resume:not([disabled])')
    expect(Number(await page.getAttribute('#training', 'data-loss'))).toBeLessThan(0.05)
  })

  it('stays responsive while training: every click is handled within 200 ms', async () => {
    await page.selectOption('#train-dataset', 'digits')
    await page.fill('#train-hidden', '64, 32')
    await page.click('#train-start')
    await page.waitForFunction(`${figure('epoch')} >= 1`, null, { timeout: 30_000 })
    // the delay between a click's creation and its handler, measured in the page
    await page.evaluate(`window.latencies = []; document.getElementById('act-picker').addEventListener('click', (e) => window.latencies.push(performance.now() - e.timeStamp))`)
    for (const name of ['relu', 'sigmoid', 'tanh', 'step', 'gelu']) {
      const t0 = Date.now()
      await page.click(`#act-picker button[data-name="${name}"]`)
      await page.waitForSelector(`#act-picker button[data-name="${name}"][aria-checked="true"]`)
      expect(Date.now() - t0).toBeLessThan(1000)
    }
    const latencies = (await page.evaluate('window.latencies')) as number[]
    expect(latencies).toHaveLength(5)
    expect(Math.max(...latencies)).toBeLessThan(200)
    expect(await page.getAttribute('#training', 'data-running')).toBe('true')
    await page.click('#train-stop')
    await page.waitForSelector('#train-resume:not([disabled])')
  })

  it('shows the library\'s own messages beside the fields: a width of 0, text for a number (learning rate, batch size)', async () => {
    await page.selectOption('#train-dataset', 'xor')
    await page.fill('#train-hidden', '0')
    await page.click('#train-start')
    await page.waitForSelector('#train-hidden-error:not(:empty)')
    const spec = { kind: 'sequential', layers: [{ kind: 'dense', in: 2, out: 0 }, { kind: 'activation', name: 'tanh' }, { kind: 'dense', in: 0, out: 2 }] }
    const width = Layer.fromSpec(spec)
    expect(width._tag).toBe('Left')
    expect(await text('#train-hidden-error')).toBe(width._tag === 'Left' ? width.left : '')
    expect(await page.getAttribute('#train-hidden', 'aria-invalid')).toBe('true')

    await page.fill('#train-hidden', '8')
    await page.fill('#train-lr', 'fast')
    await page.click('#train-start')
    await page.waitForSelector('#train-lr-error:not(:empty)')
    expect(await text('#train-hidden-error')).toBe('')
    const model = Layer.sequential(Layer.dense(2, 8), Layer.activation(Activation.tanh), Layer.dense(8, 2))
    const xor = { x: tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y: [0, 1, 1, 0] }
    const refused = Train.fit(model, model.init(Random.key(0)), xor, { loss: Loss.softmaxCrossEntropy, epochs: 1, batchSize: 4, learningRate: 'fast' as unknown as number, key: Random.key(1) })
    expect(refused._tag).toBe('Left')
    expect(await text('#train-lr-error')).toBe(refused._tag === 'Left' ? refused.left.message : '')

    await page.fill('#train-lr', '0.3')
    await page.fill('#train-batch', 'all')
    await page.click('#train-start')
    await page.waitForSelector('#train-batch-error:not(:empty)')
    expect(await text('#train-lr-error')).toBe('')
    const batch = Train.fit(model, model.init(Random.key(0)), xor, { loss: Loss.softmaxCrossEntropy, epochs: 1, batchSize: 'all' as unknown as number, learningRate: 0.3, key: Random.key(1) })
    expect(batch._tag).toBe('Left')
    expect(await text('#train-batch-error')).toBe(batch._tag === 'Left' ? batch.left.message : '')
    await page.fill('#train-batch', '32')
  })

  it('a learning rate of 1e9 diverges: training stops with the library\'s non-finite loss message and keeps the last good model', async () => {
    await page.fill('#train-lr', '1e9')
    await page.click('#train-start')
    await page.waitForSelector('#train-lr-error:not(:empty)', { timeout: 20_000 })
    expect(await text('#train-lr-error')).toMatch(/^fit: the loss is (Infinity|NaN) at epoch \d+, step \d+; training stopped, the parameters before that step are kept$/)
    expect(await text('#train-status')).toMatch(/^stopped in epoch \d+; the model of epoch \d+ is kept\. Train\.fit, called once per epoch, said: fit: the loss is/)
    // the curves and the boundary show the last good model: every recorded loss is finite
    expect(Number.isFinite(Number(await page.getAttribute('#training', 'data-loss')))).toBe(true)
    expect(await page.getAttribute('#training', 'data-running')).toBe('false')
    expect(problems).toEqual([])
  })
})
