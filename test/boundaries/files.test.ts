/**
 * Issue 13, row "`Model.saveFile` to a path under `/proc`": saving and loading never block on a
 * special file (a Left within a second), and saving writes a temporary file and renames it.
 * Each case runs in a child process with a timeout, so a regression is a failure, not a hang.
 */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadModel, saveModel } from '../../src/node/index.js'
import * as Layer from '../../src/Layer.js'
import { key } from '../../src/Random.js'
import { err, ok } from '../either.js'

const root = new URL('../..', import.meta.url).pathname

/** Runs `code` (with saveModel, loadModel, Layer, key in scope) in a child; its stdout, or 'TIMEOUT'. */
const inChild = (code: string): string => {
  const script = `
    import { loadModel, saveModel } from './src/node/index.ts'
    import * as Layer from './src/Layer.ts'
    import { key } from './src/Random.ts'
    const layer = Layer.dense(2, 1)
    const params = layer.init(key(0))
    ${code}`
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, timeout: 8000, encoding: 'utf8' })
  return r.error !== undefined || r.signal !== null ? 'TIMEOUT' : r.stdout.trim() + r.stderr.trim()
}

describe('files', () => {
  it('saving under /proc or to a FIFO is a Left within a second; loading a FIFO or a device too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autodiff-ts-files-'))
    const fifo = join(dir, 'pipe')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const out = inChild(`
      const t0 = Date.now()
      const rs = [
        saveModel('/proc/model.json', layer, params),
        saveModel('/proc/self/status', layer, params),
        saveModel(${JSON.stringify(fifo)}, layer, params),
        loadModel(${JSON.stringify(fifo)}),
        loadModel('/dev/zero'),
        loadModel('/proc/self/fd/0'),
      ]
      console.log(JSON.stringify({ ms: Date.now() - t0, tags: rs.map((r) => r._tag), lefts: rs.map((r) => r.left) }))`)
    expect(out).not.toBe('TIMEOUT')
    const { ms, tags, lefts } = JSON.parse(out) as { ms: number; tags: string[]; lefts: string[] }
    expect(tags).toEqual(['Left', 'Left', 'Left', 'Left', 'Left', 'Left'])
    expect(ms).toBeLessThan(1000)
    expect(lefts[2]).toBe(`${fifo}: cannot write the model (${fifo} is a FIFO, not a regular file)`)
    expect(lefts[4]).toBe('/dev/zero: cannot read the model (/dev/zero is a character device, not a regular file)')
  })
  it('saving writes a temporary file beside the target and renames it: nothing half-written, no temporary left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autodiff-ts-files-'))
    const path = join(dir, 'm.json')
    writeFileSync(path, 'the old model')
    const layer = Layer.dense(2, 1)
    ok(saveModel(path, layer, layer.init(key(0))))
    expect(readdirSync(dir)).toEqual(['m.json'])
    expect(ok(loadModel(path)).layer.spec.kind).toBe('dense')
    // a failing write (a directory where the file should be) leaves what was there
    const blocked = join(dir, 'sub')
    ok(saveModel(join(blocked, 'x.json'), layer, layer.init(key(0))))
    expect(err(saveModel(blocked, layer, layer.init(key(0))))).toBe(`${blocked}: cannot write the model (${blocked} is a directory, not a regular file)`)
    expect(readFileSync(join(blocked, 'x.json'), 'utf8')).toContain('autodiff-ts/model')
  })
})
