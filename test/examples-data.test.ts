import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { trainDigits } from '../examples/digits.js'
import { draw, predictClasses, saveLoadPredict } from '../examples/save-load.js'
import * as Loss from '../src/Loss.js'
import { tensor } from '../src/Tensor.js'
import { ok } from './either.js'


const withTmp = <A>(f: (dir: string) => A): A => {
  const dir = mkdtempSync(join(tmpdir(), 'examples-data-'))
  try {
    return f(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const root = fileURLToPath(new URL('..', import.meta.url))
const tsx = (script: string, args: readonly string[] = []) =>
  spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'examples', script), ...args], {
    cwd: root,
    encoding: 'utf8',
  })

describe('examples/digits.ts', () => {
  it('reaches a test accuracy of at least 0.95, the same for the same seed', () => {
    const a = ok(trainDigits(0))
    expect(a.testAccuracy).toBeGreaterThanOrEqual(0.95)
    expect(a.history).toHaveLength(20)
    expect(a.history[19]!.validation!.metrics['accuracy']).toBe(a.testAccuracy)
    expect(a.history[19]!.loss).toBeLessThan(a.history[0]!.loss)
    expect(a.test.x.shape).toEqual([359, 64])
    const b = ok(trainDigits(0, 2))
    const c = ok(trainDigits(0, 2))
    expect(b.testAccuracy).toBe(c.testAccuracy)
    expect(b.history).toEqual(c.history)
  }, 120_000)

  it('runs as a script and ends with one test accuracy line', () => {
    const r = tsx('digits.ts')
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(21)
    expect(lines.at(-1)).toMatch(/^test accuracy: 0\.9[5-9]\d\d$/)
  }, 120_000)
})

describe('examples/save-load.ts', () => {
  it('predicts with the loaded model exactly as before saving, and refuses a wrong weight shape', () => {
    withTmp((dir) => {
      const r = ok(saveLoadPredict(join(dir, 'm.json'), 5))
      expect(r.predictions).toEqual(r.before)
      expect(r.labels).toHaveLength(359)
      const correct = r.predictions.filter((p, i) => p === r.labels[i]).length
      expect(correct / r.labels.length).toBeGreaterThan(0.9)
      expect(r.refused).toBe('model.params[4].w.shape: expected [64, 10], found [64, 12]')
    })
  }, 120_000)

  it('predictClasses is argmax per row and agrees with Loss.accuracy', () => {
    const logits = tensor([[0, 2, 1], [5, -1, 5], [-3, -2, -1]])
    expect(predictClasses(logits)).toEqual([1, 0, 2])
    expect(Loss.accuracy([1, 0, 2])(logits)).toBe(1)
    expect(draw(Array(64).fill(16)).split('\n')).toEqual(Array(8).fill('@@@@@@@@'))
  })

  it('runs as a script', () => {
    withTmp((dir) => {
      const r = tsx('save-load.ts', [join(dir, 'model.json')])
      expect(r.status).toBe(0)
      expect(r.stdout).toContain(`saved and loaded ${join(dir, 'model.json')}`)
      expect(r.stdout).toContain("its predictions are the same as the model's before saving")
      expect(r.stdout).toContain('a file with a wrong weight shape is refused: model.params[4].w.shape: expected [64, 10], found [64, 12]')
    })
  }, 120_000)
})
