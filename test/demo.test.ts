import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { main } from '../demo/cli.js'
import type { Command, Options } from '../demo/options.js'
import { defaults, historyPath, onnxPath, parse } from '../demo/options.js'
import { formatEpoch } from '../demo/progress.js'
import { loadModel } from '../src/node/index.js'
import { ok, err } from './either.js'

const options = (argv: readonly string[]): Options => {
  const c: Command = ok(parse(argv))
  if (c._tag !== 'run') throw new Error('expected a run')
  return c.options
}

/** Runs the demo in-process, capturing what it writes. */
const runDemo = async (argv: readonly string[], isTTY = false) => {
  let out = ''
  let errText = ''
  const code = await main(argv, {
    stdout: { write: (s) => void (out += s), isTTY, columns: 80 },
    stderr: (s) => void (errText += s),
    now: () => performance.now(),
  })
  return { code, out, err: errText, lines: out.split('\n') }
}

const withTmp = async <A>(f: (dir: string) => A | Promise<A>): Promise<A> => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-test-'))
  try {
    return await f(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('options', () => {
  it('default to the digits run and take --name value or --name=value', () => {
    expect(options([])).toEqual(defaults('digits'))
    expect(defaults('digits')).toMatchObject({ epochs: 20, batchSize: 32, lr: 1e-3, seed: 0, hidden: [64, 64], out: 'out/digits-model.json' })
    expect(options(['--epochs', '3', '--batch-size=16', '--lr', '3e-4', '--seed', '42', '--hidden', '32, 16,8', '--out', 'm.json'])).toMatchObject({
      data: 'digits',
      epochs: 3,
      batchSize: 16,
      lr: 3e-4,
      seed: 42,
      hidden: [32, 16, 8],
      out: 'm.json',
    })
    expect(options(['--data', 'fashion-mnist', '--data-dir', '/x'])).toMatchObject({ data: 'fashion-mnist', dataDir: '/x', epochs: 5, hidden: [128], out: 'out/fashion-mnist-model.json' })
    expect(ok(parse(['--epochs', '3', '--help']))).toEqual({ _tag: 'help' })
  })

  it('reject a bad value naming the option, what was expected and what was found', () => {
    expect(err(parse(['--epochs', 'ten']))).toBe('--epochs: expected a positive integer, found "ten"')
    expect(err(parse(['--epochs', '0']))).toBe('--epochs: expected a positive integer, found "0"')
    expect(err(parse(['--epochs', '2.5']))).toBe('--epochs: expected a positive integer, found "2.5"')
    expect(err(parse(['--batch-size=-4']))).toBe('--batch-size: expected a positive integer, found "-4"')
    expect(err(parse(['--lr', '0']))).toBe('--lr: expected a positive number, found "0"')
    expect(err(parse(['--lr', 'fast']))).toBe('--lr: expected a positive number, found "fast"')
    expect(err(parse(['--lr', '1e999']))).toBe('--lr: expected a positive number, found "1e999"')
    expect(err(parse(['--seed', '-1']))).toBe('--seed: expected a non-negative integer, found "-1"')
    expect(err(parse(['--hidden', '64,,10']))).toBe('--hidden: expected comma-separated positive integers such as 64,64, found "64,,10"')
    expect(err(parse(['--data', 'mnist']))).toBe('--data: expected digits or fashion-mnist, found "mnist"')
    expect(err(parse(['--out']))).toBe('--out: expected a file path, found nothing')
    expect(err(parse(['--epochs']))).toBe('--epochs: expected a positive integer, found nothing')
    expect(err(parse(['--speed', '3']))).toBe(
      '--speed: expected one of the options --data, --data-dir, --epochs, --batch-size, --lr, --seed, --hidden, --out, --help; found an unknown option',
    )
    expect(err(parse(['digits']))).toBe('arguments: expected options (--name value), found "digits"')
    expect(err(parse(['--data-dir', '/x']))).toBe(
      '--data-dir: expected only with --data fashion-mnist (digits are embedded), found it with --data digits',
    )
  })

  it('put the history beside the model', () => {
    expect(historyPath('out/digits-model.json')).toBe('out/digits-history.json')
    expect(historyPath('a/b.json')).toBe('a/b-history.json')
    expect(historyPath('model')).toBe('model-history.json')
    expect(onnxPath('out/digits-model.json')).toBe('out/digits.onnx')
    expect(onnxPath('a/b.json')).toBe('a/b.onnx')
    expect(onnxPath('model')).toBe('model.onnx')
  })
})

describe('the demo, run in-process', async () => {
  it('--help lists every option and exits 0', async () => {
    const r = await runDemo(['--help'])
    expect(r.code).toBe(0)
    for (const o of ['--epochs', '--batch-size', '--lr', '--seed', '--hidden', '--out', '--data', '--data-dir', '--help'])
      expect(r.out).toContain(`  ${o} `)
    expect(r.out).toContain('apt-get install -y dataset-fashion-mnist')
  })

  it('a bad option exits 2 with the message on stderr', async () => {
    const r = await runDemo(['--batch-size', 'big'])
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toBe('--batch-size: expected a positive integer, found "big"\nRun npm run demo -- --help to list the options.\n')
  })

  it('without Fashion-MNIST says how to install it and exits 1', async () => {
    await withTmp(async (dir) => {
      const r = await runDemo(['--data', 'fashion-mnist', '--data-dir', join(dir, 'none')])
      expect(r.code).toBe(1)
      expect(r.err).toContain(`${join(dir, 'none')}: expected the Fashion-MNIST files, found none of them`)
      expect(r.err).toContain('apt-get install -y dataset-fashion-mnist')
    })
  })

  it('the same seed prints the same accuracy twice, and writes the same model', async () => {
    await withTmp(async (dir) => {
      const run = (name: string) => runDemo(['--epochs', '3', '--seed', '7', '--out', join(dir, `${name}-model.json`)])
      const a = await run('a')
      const b = await run('b')
      expect([a.code, b.code, a.err, b.err]).toEqual([0, 0, '', ''])
      const accA = a.lines.filter((l) => l.startsWith('test accuracy: '))
      const accB = b.lines.filter((l) => l.startsWith('test accuracy: '))
      expect(accA).toHaveLength(1)
      expect(accA[0]).toMatch(/^test accuracy: 0\.\d{4}$/)
      expect(accB).toEqual(accA)
      // not a TTY: plain lines, one per epoch, no redrawing
      expect(a.out).not.toContain('\r')
      expect(a.lines.filter((l) => /^epoch \d\/3 /.test(l))).toHaveLength(3)
      // the model files are identical byte for byte; the histories differ only in timings
      expect(readFileSync(join(dir, 'a-model.json'), 'utf8')).toBe(readFileSync(join(dir, 'b-model.json'), 'utf8'))
      const strip = (path: string) => {
        const h = JSON.parse(readFileSync(path, 'utf8')) as { epochs: { seconds?: number; samplesPerSecond?: number }[]; trainSeconds?: number }
        for (const e of h.epochs) {
          expect(e.seconds).toBeGreaterThan(0)
          delete e.seconds
          delete e.samplesPerSecond
        }
        delete h.trainSeconds
        return h
      }
      const ha = strip(join(dir, 'a-history.json'))
      expect(ha).toEqual(strip(join(dir, 'b-history.json')))
      expect(ha.epochs.map((e) => Object.keys(e))).toEqual(Array(3).fill(['epoch', 'loss', 'accuracy', 'testLoss', 'testAccuracy']))
      // the accuracy printed is the saved model's, and the last epoch's test accuracy
      const acc = Number(accA[0]!.slice('test accuracy: '.length))
      const h = JSON.parse(readFileSync(join(dir, 'a-history.json'), 'utf8')) as { testAccuracy: number; epochs: { testAccuracy: number }[] }
      expect(h.testAccuracy.toFixed(4)).toBe(acc.toFixed(4))
      expect(h.epochs[2]!.testAccuracy).toBe(h.testAccuracy)
      const loaded = ok(loadModel(join(dir, 'a-model.json')))
      expect(loaded.meta).toMatchObject({ data: 'digits', classes: 10, preprocess: { kind: 'rescale', high: 16 }, testAccuracy: h.testAccuracy })
      expect(a.lines.at(-3)).toMatch(/^loaded .*a-model\.json back: it scores the same, 0\.\d{4}, with bit-identical outputs on all 359 test examples$/)
      expect(a.lines.at(-3)).toContain(accA[0]!.slice('test accuracy: '.length))
      // the ONNX model beside it: ONNX Runtime scores it as we do, loads it without a warning, and the checker passes it
      const score = accA[0]!.slice('test accuracy: '.length)
      expect(a.lines.at(-2)).toBe(`exported ${join(dir, 'a.onnx')}: ONNX Runtime's test accuracy ${score}, ours ${score}`)
      const ortLog = spawnSync(process.execPath, ['-e', `require('onnxruntime-node').InferenceSession.create(${JSON.stringify(join(dir, 'a.onnx'))}).then(() => console.log('loaded'))`], { encoding: 'utf8' })
      expect([ortLog.stdout, ortLog.stderr]).toEqual(['loaded\n', ''])
      const check = JSON.parse(spawnSync('/usr/bin/python3', [fileURLToPath(new URL('fixtures/onnx_check.py', import.meta.url)), join(dir, 'a.onnx')], { encoding: 'utf8' }).stdout) as { ok: boolean; error: string | null }
      expect(check).toMatchObject({ ok: true, error: null })
      // a different seed gives a different run
      const c = await runDemo(['--epochs', '3', '--seed', '8', '--out', join(dir, 'c-model.json')])
      expect(readFileSync(join(dir, 'c-model.json'), 'utf8')).not.toBe(readFileSync(join(dir, 'a-model.json'), 'utf8'))
      expect(c.code).toBe(0)
    })
  }, 120_000)

  it('on a TTY, redraws a bar in place and leaves one line per epoch', async () => {
    await withTmp(async (dir) => {
      const r = await runDemo(['--epochs', '2', '--out', join(dir, 'm.json')], true)
      expect(r.code).toBe(0)
      expect(r.out).toContain('\r\x1b[2Kepoch 1/2 ')
      expect(r.out).toMatch(/epoch 1\/2 [█░]{10,30} 45\/45 {2}loss \d\.\d{4} {2}acc \d\.\d{4} {2}[\d,]+ samples\/s/)
      const finished = r.lines.map((l) => l.split('\r\x1b[2K').at(-1)!).filter((l) => /^epoch \d\/2 {2}loss/.test(l))
      expect(finished).toHaveLength(2)
      expect(r.lines.filter((l) => l.startsWith('test accuracy: '))).toHaveLength(1)
    })
  }, 60_000)

  it('the default run reaches a test accuracy of at least 0.95 on digits', async () => {
    await withTmp(async (dir) => {
      const r = await runDemo(['--out', join(dir, 'digits-model.json')])
      expect(r.code).toBe(0)
      const line = r.lines.find((l) => l.startsWith('test accuracy: '))!
      expect(Number(line.slice('test accuracy: '.length))).toBeGreaterThanOrEqual(0.95)
    })
  }, 180_000)
})

describe('formatEpoch', () => {
  it('writes the figures of an epoch on one line', () => {
    expect(formatEpoch({ epoch: 3, loss: 0.25, accuracy: 0.9, testLoss: 0.3, testAccuracy: 0.875, seconds: 1.234, samplesPerSecond: 12345.6 }, 20)).toBe(
      'epoch  3/20  loss 0.2500  acc 0.9000  test loss 0.3000  test acc 0.8750  12,346 samples/s  1.2 s',
    )
  })
})

describe('the demo, as a command', () => {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs')
  const cli = (args: readonly string[]) => spawnSync(process.execPath, [tsx, join(root, 'demo', 'main.ts'), ...args], { cwd: root, encoding: 'utf8' })

  it('exits 2 on a bad option and 0 on --help', () => {
    const bad = cli(['--lr', 'zero'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--lr: expected a positive number, found "zero"')
    const help = cli(['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('Usage: npm run demo -- [options]')
  }, 60_000)

  it('prints one test accuracy line and the same one for the same seed', async () => {
    await withTmp(async (dir) => {
      const a = cli(['--epochs', '2', '--seed', '3', '--out', join(dir, 'a.json')])
      const b = cli(['--epochs', '2', '--seed', '3', '--out', join(dir, 'b.json')])
      expect([a.status, b.status]).toEqual([0, 0])
      const acc = (s: string) => s.split('\n').filter((l) => l.startsWith('test accuracy: '))
      expect(acc(a.stdout)).toHaveLength(1)
      expect(acc(a.stdout)).toEqual(acc(b.stdout))
    })
  }, 120_000)
})
