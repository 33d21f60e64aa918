/**
 * The package as a user gets it: `npm pack` (which builds, through `prepack`), the tarball
 * installed into an empty scratch project with only its peers from the registry, the README's
 * examples type-checked against the installed declarations and run there (the law kit included),
 * and publint (strict) and attw (the esm-only profile: the package is ESM only) reporting nothing.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { transformSync } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MISSING_FAST_CHECK } from '../laws/fc.js'
import { root } from './bundle.js'

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string
  version: string
  files: string[]
  devDependencies: Record<string, string>
}
const bin = (name: string): string => join(root, 'node_modules', '.bin', name)
const run = (cmd: string, args: readonly string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
/** Runs a command expected to fail; its stderr and stdout. */
const fails = (cmd: string, args: readonly string[], cwd: string): string => {
  try {
    run(cmd, args, cwd)
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string }
    return `${x.stderr ?? ''}${x.stdout ?? ''}`
  }
  throw new Error(`${cmd} ${args.join(' ')} succeeded`)
}

/** The README's TypeScript blocks, in order. */
export const readmeBlocks = (readme: string): readonly string[] =>
  [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]!)

const work = mkdtempSync(join(tmpdir(), 'autodiff-ts-pack-'))
const project = join(work, 'project')
let tarball = ''
let files: string[] = []
afterAll(() => rmSync(work, { recursive: true, force: true }))

beforeAll(() => {
  const out = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as { filename: string; files: { path: string }[] }[]
  tarball = join(work, out[0]!.filename)
  files = out[0]!.files.map((f) => f.path)
  writeFileSync(join(work, 'package.json'), '{}\n')
  execFileSync('mkdir', ['-p', project])
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }) + '\n')
  // the tarball and its peers (npm installs the required ones, fp-ts and io-ts, by itself;
  // fast-check, optional, is asked for), at the versions this repository tests with
  const peer = (n: string): string => `${n}@${pkg.devDependencies[n]}`
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball, peer('fast-check'), peer('fp-ts'), peer('io-ts')], project)
}, 300_000)

describe('the tarball', () => {
  it('holds the built entries, the license, the changelog and the data credit, and nothing else', () => {
    expect(files).toContain('dist/src/index.js')
    expect(files).toContain('dist/src/node/index.d.ts')
    expect(files).toContain('dist/laws/index.js')
    expect(files).toContain('LICENSE')
    expect(files).toContain('README.md')
    expect(files).toContain('data/README.md')
    expect(files).toContain('CHANGELOG.md')
    expect(files.filter((f) => !/^(dist\/(src|laws)\/.*\.(js|d\.ts)|LICENSE|README\.md|CHANGELOG\.md|package\.json|data\/README\.md)$/.test(f))).toEqual([])
    // no source maps pointing at sources that are not shipped
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([])
  })

  it('declares exactly the packages its code imports: every bare import a dependency or a peer, every dependency imported', () => {
    const dir = join(project, 'node_modules', 'autodiff-ts')
    const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }
    const imported = new Set<string>()
    // static imports and re-exports at the start of a line, and dynamic imports, outside doc comments
    const statement = /^(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm
    for (const f of files.filter((f) => f.endsWith('.js')))
      for (const m of readFileSync(join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').matchAll(statement)) {
        const spec = m[1] ?? m[2] ?? m[3]!
        if (spec.startsWith('.') || spec.startsWith('node:')) continue
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)
      }
    const deps = Object.keys(installed.dependencies ?? {})
    const declared = new Set([...deps, ...Object.keys(installed.peerDependencies ?? {})])
    expect([...imported].filter((p) => !declared.has(p))).toEqual([])
    expect(deps.filter((d) => !imported.has(d))).toEqual([])
    expect(imported.has('fflate') && imported.has('fast-check')).toBe(true)
  })

  it("runs the README's examples, type-checked against the installed declarations", () => {
    const blocks = readmeBlocks(readFileSync(join(root, 'README.md'), 'utf8'))
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    expect(blocks.some((b) => b.includes("from 'autodiff-ts/laws'"))).toBe(true)
    expect(blocks.some((b) => b.includes("from 'autodiff-ts/node'"))).toBe(true)
    const names = blocks.map((b, i) => {
      writeFileSync(join(project, `readme${i}.ts`), b)
      writeFileSync(join(project, `readme${i}.mjs`), transformSync(b, { loader: 'ts', format: 'esm' }).code)
      return `readme${i}`
    })
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
        files: names.map((n) => `${n}.ts`),
      }),
    )
    run(bin('tsc'), ['-p', 'tsconfig.json'], project)
    for (const n of names) run(process.execPath, [`${n}.mjs`], project)
  }, 120_000)

  it('loads the embedded digits and trains from the installed package, by import and by require', () => {
    const script = (load: string): string =>
      `${load}\nconst d = Data.loadDigits()\nif (d._tag !== 'Right' || d.right.x.shape.join() !== '1797,64') throw new Error('digits')\n` +
      "const [y, g] = Reverse.valueAndGrad((F) => ([x]) => F.mul(x, x))([3])\nconsole.log(JSON.stringify([y, g]))\n"
    writeFileSync(join(project, 'esm.mjs'), script("import { Data, Reverse } from 'autodiff-ts'"))
    writeFileSync(join(project, 'cjs.cjs'), script("const { Data, Reverse } = require('autodiff-ts')\nrequire('autodiff-ts/node')"))
    expect(run(process.execPath, ['esm.mjs'], project).trim()).toBe('[9,[6]]')
    // require(esm): Node 20.19 and later load ES modules synchronously
    expect(run(process.execPath, ['--no-warnings', 'cjs.cjs'], project).trim()).toBe('[9,[6]]')
  })

  it('without fast-check, importing the law kit says which package to install', () => {
    const fc = join(project, 'node_modules', 'fast-check')
    renameSync(fc, `${fc}.away`)
    try {
      writeFileSync(join(project, 'laws.mjs'), "import 'autodiff-ts/laws'\n")
      expect(fails(process.execPath, ['laws.mjs'], project)).toContain(MISSING_FAST_CHECK)
      // the core does not need it
      writeFileSync(join(project, 'core.mjs'), "import { Dual } from 'autodiff-ts'\nconsole.log(Dual.derivative((F) => (x) => F.mul(x, x))(3))\n")
      expect(run(process.execPath, ['core.mjs'], project).trim()).toBe('6')
    } finally {
      renameSync(`${fc}.away`, fc)
    }
  })

  it('publint --strict reports nothing', () => {
    const out = run(bin('publint'), ['--strict', '--pack', 'false', join(project, 'node_modules', 'autodiff-ts')], project)
    expect(out).toMatch(/All good!/)
  })

  it('attw reports nothing with the esm-only profile (the package is ESM only)', () => {
    // attw exits non-zero on any problem the profile counts (the default profile does: CommonJS
    // resolution of an ESM-only package), so run succeeding is the check
    const out = run(bin('attw'), [tarball, '--profile', 'esm-only'], project)
    const entries = Object.keys((pkg as unknown as { exports: Record<string, unknown> }).exports).filter((e) => e !== './package.json')
    expect(entries).toEqual(expect.arrayContaining(['.', './node', './laws']))
    expect(out.match(/node16 \(from ESM\): 🟢 \(ESM\)/g)).toHaveLength(entries.length)
    expect(out.match(/bundler: 🟢/g)).toHaveLength(entries.length + 1) // and package.json
    expect(fails(bin('attw'), [tarball], project)).toMatch(/ESM \(dynamic import only\)/)
  })
})
