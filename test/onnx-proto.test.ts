/**
 * The generated protobuf module cannot go stale: onnx_pb.ts is regenerated from the committed
 * onnx.proto with the pinned generator (buf and protoc-gen-es, devDependencies that npm ci
 * installs) into a temporary folder and compared byte for byte with the committed one. The
 * producer version written into models is package.json's.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { VERSION } from '../src/onnx/version.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const proto = join(root, 'src', 'onnx', 'proto')

describe('the ONNX protobuf module', () => {
  it('is what protoc-gen-es generates from the committed onnx.proto', { timeout: 120_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'onnx-gen-'))
    try {
      const bin = join(root, 'node_modules', '.bin')
      execFileSync(join(bin, 'buf'), ['generate', 'src/onnx/proto', '--template', 'src/onnx/proto/buf.gen.yaml', '-o', out], {
        cwd: root,
        env: { ...process.env, PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}` },
        stdio: 'pipe',
      })
      const fresh = readFileSync(join(out, 'src', 'onnx', 'proto', 'onnx_pb.ts'), 'utf8')
      const committed = readFileSync(join(proto, 'onnx_pb.ts'), 'utf8')
      expect(fresh.length).toBeGreaterThan(10_000)
      expect(fresh === committed).toBe(true)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('comes from ONNX 1.12 under the Apache-2.0 licence, kept beside it', () => {
    expect(readFileSync(join(proto, 'onnx.proto'), 'utf8')).toContain('SPDX-License-Identifier: Apache-2.0')
    expect(readFileSync(join(proto, 'LICENSE'), 'utf8')).toContain('Apache License')
  })

  it("writes package.json's version as the producer version", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
  })
})
