/**
 * The build is a package plain Node can import: `tsc -p tsconfig.build.json` into a copy of the
 * package (its package.json, so its `exports` map and `"type": "module"` apply), then a child
 * `node` process with no loader, no tsx and no bundler imports `autodiff-ts` and
 * `autodiff-ts/laws` by name and checks a derivative, a gradient and a law. Importing the index
 * loads every module, so every fp-ts import of the output must resolve as `fp-ts/lib/X.js`.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// inside the project's node_modules, so that the build finds fp-ts, io-ts and fast-check there
const pkg = join(root, 'node_modules', '.cache', `autodiff-ts-build-${process.pid}`)
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

/** Every .js file under a directory. */
const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  )

afterAll(() => rmSync(pkg, { recursive: true, force: true }))

describe('the built ES modules under plain node', () => {
  it('build, then import autodiff-ts and autodiff-ts/laws by name and differentiate', { timeout: 300_000 }, () => {
    rmSync(pkg, { recursive: true, force: true })
    mkdirSync(pkg, { recursive: true })
    copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'))
    try {
      execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], {
        cwd: root,
        encoding: 'utf8',
        stdio: 'pipe',
      })
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string }
      expect.fail(`tsc -p tsconfig.build.json failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`)
    }

    // every import of fp-ts or io-ts in the output names a file of lib/, with its extension
    const bare: string[] = []
    let imports = 0
    for (const file of jsFiles(join(pkg, 'dist'))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/from ['"]((?:fp-ts|io-ts)[^'"]*)['"]/g)) {
        imports++
        if (!/^(fp-ts|io-ts)\/lib\/[\w/]+\.js$/.test(m[1]!)) bare.push(`${file}: ${m[1]}`)
      }
    }
    expect(imports).toBeGreaterThan(0)
    expect(bare).toEqual([])

    const script = join(pkg, 'check.mjs')
    writeFileSync(
      script,
      [
        "import { Dual, Reverse, erf } from 'autodiff-ts'",
        "import { checkScalarLaw, scalarChainRule } from 'autodiff-ts/laws'",
        "import { Onnx } from 'autodiff-ts/onnx'",
        "import { Layer, Random } from 'autodiff-ts'",
        'const dense = Layer.dense(2, 1)',
        'const bytes = Onnx.export(dense, dense.init(Random.key(0)))',
        'const onnx = Onnx.import(bytes.right).right.layer.spec.kind',
        'const f = (F) => (x) => F.mul(F.sin(x), x)',
        'const z = (F) => ([x, y]) => { const t = F.add(x, y); return F.mul(t, t) }',
        'const law = checkScalarLaw(scalarChainRule(f, (F) => F.exp, { min: -3, max: 3 }))',
        'console.log(JSON.stringify({ d: Dual.derivative(f)(2), g: Reverse.grad(z)([1, 2]), erf1: erf(1), runs: law.numRuns, onnx }))',
      ].join('\n'),
    )
    const out = execFileSync(process.execPath, [script], { cwd: pkg, encoding: 'utf8' })
    const r = JSON.parse(out) as { d: number; g: number[]; erf1: number; runs: number; onnx: string }
    // d/dx x sin(x) = sin(x) + x cos(x)
    expect(r.d).toBeCloseTo(Math.sin(2) + 2 * Math.cos(2), 14)
    expect(r.g).toEqual([6, 6])
    expect(r.erf1).toBe(0.8427007929497149)
    expect(r.runs).toBe(100)
    expect(r.onnx).toBe('dense')
  })
})
