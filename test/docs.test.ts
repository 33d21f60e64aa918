/**
 * The documentation's code is real.
 *
 * Every ```ts block of README.md and docs/*.md and every `@example` block of src/ and laws/ is written into a
 * module of its own (with `autodiff-ts` imports pointing at the sources), type-checked with the
 * project's strict tsconfig, and run. A top-level expression line with a trailing comment whose
 * text is a value (`f(2) // 4`, `g(x) // [6, 6]: the gradient`, `h(1) // 2 x = 2`) is checked
 * against it: the comment, the part before a `: `, or the part after an ` = ` is evaluated on its
 * own (only `Math` in scope, and `tensor`/`scalar` standing for their nested arrays) and compared
 * with the line's value, to the precision the comment is written in; a comment with an ellipsis
 * (`...`) is an illustration and is not compared. An example without imports in a doc comment sees
 * the exports of its own module. A line commented `// throws Name` must throw an error of that name. A guide's
 * block whose first line is `// file: examples/<name>.ts` must instead be identical to that file.
 *
 * (`DOCS_INDEX` and `DOCS_LAWS_INDEX` may point the package's two entry points at other index files
 * while the public surface is being assembled; by default they are src/index.ts and laws/index.ts.)
 *
 * The generated SVG figures in docs/figures are checked to be well-formed XML, and typedoc is run
 * (without writing HTML) so that a broken doc comment fails the tests.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseXml } from './xml.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

interface Block {
  /** Where the block is: `docs/x.md:12` or `src/Dual.ts:140 (derivative)`. */
  readonly name: string
  /** The file it comes from, relative to the root. */
  readonly file: string
  /** The line of the opening fence, 1-based. */
  readonly line: number
  /** The code. */
  readonly code: string
  /** For a doc-comment example, the module it documents: an example without imports runs with that module's exports in scope. */
  readonly module?: string
}

const FENCE_OPEN = ['```ts', '```typescript']

/** The ```ts blocks of a markdown file. */
const markdownBlocks = (file: string): Block[] => {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_OPEN.includes(lines[i]!.trim())) continue
    const start = i
    const code: string[] = []
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) code.push(lines[i]!)
    blocks.push({ name: `${file}:${start + 1}`, file, line: start + 1, code: code.join('\n') })
  }
  return blocks
}

/** The ```ts blocks of the `@example` tags of a source file, named after the export they document. */
const exampleBlocks = (file: string): Block[] => {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const strip = (l: string) => {
    const t = l.trimStart()
    return t.startsWith('* ') ? t.slice(2) : t === '*' ? '' : t.startsWith('*') ? t.slice(1) : t
  }
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!strip(lines[i]!).startsWith('@example')) continue
    let j = i + 1
    while (j < lines.length && strip(lines[j]!).trim() === '') j++
    if (!FENCE_OPEN.includes(strip(lines[j] ?? '').trim())) continue
    const start = j
    const code: string[] = []
    for (j++; j < lines.length && strip(lines[j]!).trim() !== '```' && !lines[j]!.includes('*/'); j++) code.push(strip(lines[j]!))
    // the documented name: the first declaration after the end of the comment
    let k = j
    while (k < lines.length && !lines[k]!.includes('*/')) k++
    const decl = (lines[k + 1] ?? '').trim()
    const words = decl.split(/[\s(<:=]+/)
    const name = words.find((w, n) => n > 0 && !['export', 'const', 'function', 'interface', 'type', 'class', 'readonly', 'declare', 'abstract', 'async'].includes(w)) ?? decl
    blocks.push({ name: `${file}:${start + 1} (${name})`, file, line: start + 1, code: code.join('\n'), module: file })
    i = j
  }
  return blocks
}

/** The names a module exports, values and types apart (enough of TypeScript's export forms for this code base). */
const exportsOf = (file: string): { readonly values: string[]; readonly types: string[] } => {
  const values = new Set<string>()
  const types = new Set<string>()
  for (const raw of readFileSync(join(root, file), 'utf8').split('\n')) {
    const line = raw.trim()
    if (!line.startsWith('export ')) continue
    const decl = /^export (?:declare )?(?:const|let|var|function\*?|async function|class|abstract class|enum) +([A-Za-z_$][\w$]*)/.exec(line)
    if (decl !== null) values.add(decl[1]!)
    const type = /^export (?:declare )?(?:type|interface) +([A-Za-z_$][\w$]*)/.exec(line)
    if (type !== null && !line.startsWith('export type {')) types.add(type[1]!)
    const ns = /^export \* as +([A-Za-z_$][\w$]*)/.exec(line)
    if (ns !== null) values.add(ns[1]!)
    const list = /^export (type )?\{([^}]*)\}/.exec(line)
    if (list !== null)
      for (const item of list[2]!.split(',')) {
        const words = item.trim().split(/\s+/).filter((w) => w !== '')
        if (words.length === 0) continue
        const isType = list[1] !== undefined || words[0] === 'type'
        const name = words[words.length - 1]!
        ;(isType ? types : values).add(name)
      }
  }
  for (const v of values) types.delete(v)
  return { values: [...values], types: [...types] }
}

/** The names a block binds itself: by its imports and its top-level declarations. */
const boundNames = (code: string): Set<string> => {
  const bound = new Set<string>()
  for (const m of code.matchAll(/import\s+(type\s+)?([^'";]*?)\s+from\s+['"][^'"]+['"]/g)) {
    const clause = m[2]!
    const braces = /\{([^}]*)\}/.exec(clause)
    if (braces !== null)
      for (const item of braces[1]!.split(',')) {
        const words = item.trim().split(/\s+/).filter((w) => w !== '')
        if (words.length > 0) bound.add(words[words.length - 1]!)
      }
    const rest = clause.replace(/\{[^}]*\}/, '')
    for (const w of rest.split(/[\s,*]+/)) if (/^[A-Za-z_$][\w$]*$/.test(w) && w !== 'as' && w !== 'type') bound.add(w)
  }
  for (const m of code.matchAll(/(?:^|\n)\s*(?:export\s+)?(?:const|let|var|function|class|type|interface)\s+([A-Za-z_$][\w$]*)/g)) bound.add(m[1]!)
  // destructuring: const [a, b] = ..., const { a, b: c } = ...
  for (const m of code.matchAll(/(?:^|\n)\s*(?:const|let|var)\s*[[{]([^\]}=]*)[\]}]/g))
    for (const part of m[1]!.split(',')) {
      const name = part.split(':').pop()!.trim().replace(/^\.\.\./, '')
      if (/^[A-Za-z_$][\w$]*$/.test(name)) bound.add(name)
    }
  return bound
}

const walk = (dir: string): string[] =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
      )
    : []

const guides = existsSync(join(root, 'docs'))
  ? readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`)
      .sort()
  : []
const sources = [...walk('src'), ...walk('laws')].sort()

const MIRROR = '// file: '
const allBlocks = [...['README.md', ...guides].flatMap(markdownBlocks), ...sources.flatMap(exampleBlocks)]
const mirrors = allBlocks.filter((b) => b.code.startsWith(MIRROR))
const blocks = allBlocks.filter((b) => !b.code.startsWith(MIRROR))

/** Blocks that must fail (or pass) in known ways: proof that the checks are not vacuous. */
const probe = (name: string, code: string): Block => ({ name: `probe: ${name}`, file: 'probe', line: 0, code })
const probes = {
  wrongValue: probe('wrong value', 'Math.max(1, 2) // 3'),
  rightValue: probe('right value', 'Math.max(1, 2) // 1 + 1 = 2: the larger'),
  roundedValue: probe('rounded value', 'Math.PI // 3.1416: to the digits written'),
  wrongTensor: probe('wrong tensor', "import { tensor } from 'autodiff-ts'\ntensor([[1, 2]]) // [[1, 2.5]]"),
  throws: probe('throws', "JSON.parse('{') // throws SyntaxError"),
  doesNotThrow: probe('does not throw', "JSON.parse('{}') // throws SyntaxError"),
  typeError: probe('type error', 'const n: string = 1\nvoid n'),
  runtimeError: probe('runtime error', "throw new Error('boom')"),
}
const generated = [...blocks, ...Object.values(probes)]

// ---------------------------------------------------------------------------------------------
// turning a block into a checked module

/** The index of a `//` comment outside strings, or -1. */
const commentStart = (line: string): number => {
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"' || c === '`') quote = c
    else if (c === '/' && line[i + 1] === '/') return i
  }
  return -1
}

const STATEMENT_KEYWORDS = ['import', 'export', 'const', 'let', 'var', 'type', 'interface', 'function', 'class', 'return', 'if', 'for', 'while', 'throw', '}', ')', ']', '//', '/*', '*']
const CONTINUES = ['(', '[', '{', ',', '=>', '=', '+', '-', '*', '/', '?', ':', '&&', '||', '.', '??']

/** Rewrite the checkable lines of a block into calls of the checkers; count them. */
const instrument = (code: string, specifierFor: (s: string) => string): { text: string; checks: number } => {
  const lines = code.split('\n')
  let checks = 0
  const out = lines.map((line, i) => {
    const c = commentStart(line)
    if (c <= 0 || line.startsWith(' ') || line.startsWith('\t')) return line
    // the statement without a trailing semicolon, or a leading one (the guard before a line that starts with `[` or `(`)
    const codePart = line.slice(0, c).trim().replace(/;$/, '').replace(/^;/, '')
    const comment = line.slice(c + 2).trim()
    if (codePart === '' || STATEMENT_KEYWORDS.some((k) => codePart === k || codePart.startsWith(k + ' ') || codePart.startsWith(k + '(')))
      return line
    if (CONTINUES.some((k) => codePart.endsWith(k))) return line
    const prev = (lines[i - 1] ?? '').trim()
    const prevCode = commentStart(prev) >= 0 ? prev.slice(0, commentStart(prev)).trim() : prev
    if (CONTINUES.some((k) => prevCode.endsWith(k))) return line
    const next = (lines[i + 1] ?? '').trim()
    if (next.startsWith('.') || next.startsWith('?') || next.startsWith(':')) return line
    checks++
    if (comment.startsWith('throws'))
      return `__docThrows(() => (${codePart}), ${JSON.stringify(comment)}, ${i + 1})`
    return `__docCheck((${codePart}), ${JSON.stringify(comment)}, ${i + 1})`
  })
  const text = out
    .join('\n')
    .replace(/from '(autodiff-ts(?:\/laws|\/node|\/onnx)?)'/g, (_m, s: string) => `from '${specifierFor(s)}'`)
  return { text, checks }
}

// ---------------------------------------------------------------------------------------------
// the checkers and the runner, written next to the blocks

const CHECK_MODULE = String.raw`
type Result = { line: number; comment: string; checked: boolean; ok: boolean; detail: string }
const g = globalThis as unknown as { __docResults: Result[] }
const record = (r: Result) => { g.__docResults.push(r) }

const show = (x: unknown): string => {
  try {
    return JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v))
  } catch { return String(x) }
}

/** The candidates a comment may state: the whole, the part before each ': ' or ', ', and the same of the part after each ' = '. */
const candidates = (comment: string): string[] => {
  const heads = (text: string): string[] => {
    const out = [text]
    for (const sep of [': ', ', '])
      for (let i = text.indexOf(sep); i >= 0; i = text.indexOf(sep, i + 1)) out.push(text.slice(0, i))
    return out
  }
  const tails: string[] = []
  for (let i = comment.indexOf(' = '); i >= 0; i = comment.indexOf(' = ', i + 1)) tails.push(comment.slice(i + 3))
  return [...heads(comment), ...tails.reverse().flatMap(heads)]
}

/** Half a unit in the last written digit of the finest-written number literal with 4 or more significant digits. */
const writtenTolerance = (src: string): number => {
  let tol = 0
  const re = /(\d+\.\d+|\d*\.\d+)(?:e([-+]?\d+))?/gi
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    const digits = m[1]!.replace('.', '').replace(/^0+/, '')
    if (digits.length < 4) continue
    const v = Math.abs(Number(m[0]))
    if (v === 0) continue
    tol = Math.max(tol, 0.5 * 10 ** (Math.floor(Math.log10(v)) - digits.length + 1))
  }
  return tol
}

const tensorLike = (x: unknown): x is { shape: readonly number[]; data: ArrayLike<number> } =>
  typeof x === 'object' && x !== null && Array.isArray((x as { shape?: unknown }).shape) && ArrayBuffer.isView((x as { data?: unknown }).data)

const nest = (shape: readonly number[], data: ArrayLike<number>, offset = 0): unknown => {
  if (shape.length === 0) return data[offset]
  const [n, ...rest] = shape
  const stride = rest.reduce((a, b) => a * b, 1)
  return Array.from({ length: n! }, (_, i) => nest(rest, data, offset + i * stride))
}

const close = (a: unknown, e: unknown, tol: number): boolean => {
  if (tensorLike(a) && typeof e !== 'object') return close(nest(a.shape, a.data), e, tol)
  if (tensorLike(a) && Array.isArray(e)) return close(nest(a.shape, a.data), e, tol)
  if (typeof e === 'number') {
    if (typeof a !== 'number') return false
    if (Number.isNaN(e)) return Number.isNaN(a)
    if (!Number.isFinite(e)) return a === e
    return Math.abs(a - e) <= Math.max(tol, 1e-12 * Math.max(1, Math.abs(e)))
  }
  if (Array.isArray(e)) {
    const arr = ArrayBuffer.isView(a) ? Array.from(a as unknown as ArrayLike<number>) : a
    return Array.isArray(arr) && arr.length === e.length && e.every((x, i) => close(arr[i], x, tol))
  }
  if (typeof e === 'object' && e !== null) {
    if (typeof a !== 'object' || a === null) return false
    const ka = Object.keys(a).sort()
    const ke = Object.keys(e).sort()
    return ka.length === ke.length && ke.every((k, i) => k === ka[i] && close((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k], tol))
  }
  return Object.is(a, e)
}

export const __docCheck = (actual: unknown, comment: string, line: number): void => {
  for (const c of candidates(comment)) {
    // an ellipsis marks an illustration, not a value
    if (c.includes('...') || c.includes('…')) continue
    let expected: unknown
    try {
      expected = new Function('Math', 'tensor', 'scalar', '"use strict"; return (' + c + ');')(Math, (n: unknown) => n, (n: unknown) => n)
    } catch {
      continue
    }
    if (typeof expected === 'function' || expected === undefined) continue
    const ok = close(actual, expected, writtenTolerance(c))
    record({ line, comment, checked: true, ok, detail: ok ? '' : 'line ' + line + ': got ' + show(actual) + ', the comment says ' + c })
    return
  }
  record({ line, comment, checked: false, ok: true, detail: '' })
}

export const __docThrows = (thunk: () => unknown, comment: string, line: number): void => {
  const name = comment.slice('throws'.length).trim().split(/[\s:,]/)[0] ?? ''
  try {
    const v = thunk()
    record({ line, comment, checked: true, ok: false, detail: 'line ' + line + ': expected to throw ' + name + ', returned ' + show(v) })
  } catch (err) {
    const got = err instanceof Error ? err.name : typeof err
    const ok = name === '' || got === name || (err instanceof Error && err.constructor.name === name)
    record({ line, comment, checked: true, ok, detail: ok ? '' : 'line ' + line + ': expected ' + name + ', threw ' + got + ': ' + String(err) })
  }
}
`

const RUNNER = String.raw`
import { pathToFileURL } from 'node:url'
import { writeFileSync } from 'node:fs'
const files: string[] = JSON.parse(process.argv[2]!)
const out = process.argv[3]!
const g = globalThis as unknown as { __docResults: unknown[] }
const results: Record<string, unknown> = {}
const quiet = () => {}
console.log = quiet
console.info = quiet
console.warn = quiet
for (const f of files) {
  g.__docResults = []
  try {
    await import(pathToFileURL(f).href)
    results[f] = { ran: true, error: '', checks: g.__docResults }
  } catch (err) {
    results[f] = { ran: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err), checks: g.__docResults }
  }
}
writeFileSync(out, JSON.stringify(results))
`

interface CheckResult {
  readonly line: number
  readonly comment: string
  readonly checked: boolean
  readonly ok: boolean
  readonly detail: string
}
interface RunResult {
  readonly ran: boolean
  readonly error: string
  readonly checks: readonly CheckResult[]
}

/** Words that name an export (`Onnx.export`) but can never be imported as a bare binding. */
const RESERVED = new Set(['export', 'import', 'default', 'delete', 'function', 'class', 'new'])

const work = join(root, 'node_modules', '.cache', 'autodiff-ts-docs', `${process.pid}-${Date.now()}`)
const fileOf = new Map<Block, string>()
let typeErrors = new Map<string, string[]>()
let runs: Record<string, RunResult> = {}

const sh = (cmd: string, args: readonly string[]): { ok: boolean; out: string } => {
  try {
    return { ok: true, out: execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }) }
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string }
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message }
  }
}

beforeAll(() => {
  mkdirSync(work, { recursive: true })
  // ES modules, like the package (package scopes stop at node_modules)
  writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(join(work, 'check.ts'), CHECK_MODULE)
  writeFileSync(join(work, 'run.ts'), RUNNER)
  const rel = (target: string) => {
    const r = relative(work, join(root, target)).split('\\').join('/')
    return r.startsWith('.') ? r : `./${r}`
  }
  generated.forEach((b, k) => {
    const name = `b${String(k).padStart(3, '0')}.ts`
    const entries: Record<string, string> = {
      'autodiff-ts': process.env['DOCS_INDEX'] ?? 'src/index.js',
      'autodiff-ts/laws': process.env['DOCS_LAWS_INDEX'] ?? 'laws/index.js',
      'autodiff-ts/node': 'src/node/index.js',
      'autodiff-ts/onnx': 'src/onnx/index.js',
    }
    const { text } = instrument(b.code, (s) => rel(entries[s]!))
    // an example without imports sees the exports of the module it documents
    // a doc-comment example sees the exports of the module it documents, where it uses them
    // without importing or declaring them itself
    const own =
      b.module === undefined
        ? ''
        : (() => {
            const { values, types } = exportsOf(b.module)
            const bound = boundNames(b.code)
            // an export named by a reserved word (`export { exportModel as export }`) is only ever used as a member
            const used = (n: string) => !RESERVED.has(n) && !bound.has(n) && new RegExp(`(^|[^\\w$.])${n.replace(/\$/g, '\\$')}(?![\\w$])`).test(b.code)
            const names = [...values.filter(used), ...types.filter(used).map((t) => `type ${t}`)]
            return names.length === 0 ? '' : ` import { ${names.join(', ')} } from '${rel(b.module.replace(/\.ts$/, '.js'))}'`
          })()
    // three header lines (HEADER below), then the block
    writeFileSync(join(work, name), `import { __docCheck, __docThrows } from './check.js';${own}\nvoid __docCheck\nvoid __docThrows\n${text}\nexport {}\n`)
    fileOf.set(b, join(work, name))
  })
  // type-check, keeping only the diagnostics inside the generated blocks. tsc reports no semantic
  // errors at all while any file has a syntax error, so blocks with syntax errors are set aside
  // and the rest checked again.
  const HEADER = 3
  const blockOf = new Map(generated.map((b) => [fileOf.get(b)!, b] as const))
  typeErrors = new Map()
  // blocks that do not even parse are reported from the parser; the others are type-checked
  // together in one run of tsc (which gives no semantic errors at all while a file fails to parse)
  const files: string[] = []
  for (const b of generated) {
    const file = fileOf.get(b)!
    const parsed = ts.transpileModule(readFileSync(file, 'utf8'), { reportDiagnostics: true, fileName: file })
    const syntax = (parsed.diagnostics ?? []).map((d) => {
      const row = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : HEADER + 1
      return `${b.file}:${b.line + row - HEADER}: error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`
    })
    if (syntax.length > 0) typeErrors.set(file, syntax)
    else files.push(file)
  }
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      extends: relative(work, join(root, 'tsconfig.json')),
      compilerOptions: { noEmit: true },
      include: [],
      files: ['check.ts', 'run.ts', ...files.map((f) => relative(work, f))],
    }),
  )
  const tsc = sh(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(work, 'tsconfig.json')])
  for (const line of tsc.out.split('\n')) {
    const at = line.indexOf('.ts(')
    if (at < 0) continue
    const file = join(root, line.slice(0, at + 3))
    const b = blockOf.get(file)
    if (b === undefined) continue
    const [row = '0'] = line.slice(at + 4).split(',')
    const message = line.slice(line.indexOf('): ') + 3)
    typeErrors.set(file, [...(typeErrors.get(file) ?? []), `${b.file}:${b.line + Number(row) - HEADER}: ${message}`])
  }
  const out = join(work, 'results.json')
  const ran = sh(join(root, 'node_modules', '.bin', 'tsx'), [join(work, 'run.ts'), JSON.stringify(generated.map((b) => fileOf.get(b)!)), out])
  if (!existsSync(out)) throw new Error(`the example runner failed: ${ran.out}`)
  runs = JSON.parse(readFileSync(out, 'utf8')) as Record<string, RunResult>
}, 300_000)

afterAll(() => {
  if (process.env['KEEP_DOC_EXAMPLES'] === undefined) rmSync(work, { recursive: true, force: true })
})

describe('code in the guides and doc comments type-checks and runs', () => {
  it('finds the blocks', () => {
    expect(blocks.length).toBeGreaterThan(20)
    // the checker is not vacuous: lines with a stated value are checked
    const checked = Object.values(runs).reduce((s, r) => s + r.checks.filter((c) => c.checked).length, 0)
    expect(checked).toBeGreaterThan(20)
  })

  it.each(blocks.map((b) => [b.name, b] as const))('%s', (_name, b) => {
    const file = fileOf.get(b)!
    const errors = typeErrors.get(file) ?? []
    expect(errors, `type errors in ${b.name}:\n${errors.join('\n')}\n--- code ---\n${b.code}`).toEqual([])
    const r = runs[file]
    expect(r, `no result for ${b.name}`).toBeDefined()
    expect(r!.ran, `${b.name} threw:\n${r!.error}\n--- code ---\n${b.code}`).toBe(true)
    const wrong = r!.checks.filter((c) => !c.ok).map((c) => c.detail)
    expect(wrong, `${b.name}: stated values differ\n--- code ---\n${b.code}`).toEqual([])
  })

  it.each(mirrors.map((b) => [b.name, b] as const))('%s is identical to the file it names', (_name, b) => {
    const [first, ...rest] = b.code.split('\n')
    const target = first!.slice(MIRROR.length).trim()
    expect(existsSync(join(root, target)), `${target} exists`).toBe(true)
    const toPackage = (s: string) =>
      s
        .replace(/from '(\.\.\/)+src\/index\.js'/g, "from 'autodiff-ts'")
        .replace(/from '(\.\.\/)+src\/node\/index\.js'/g, "from 'autodiff-ts/node'")
        .replace(/from '(\.\.\/)+laws\/index\.js'/g, "from 'autodiff-ts/laws'")
    expect(rest.join('\n').trimEnd()).toBe(toPackage(readFileSync(join(root, target), 'utf8')).trimEnd())
  })
})

describe('the instrumentation checks what a comment states', () => {
  const outcome = (b: Block) => {
    const file = fileOf.get(b)!
    const r = runs[file]!
    return { typeErrors: typeErrors.get(file) ?? [], ran: r.ran, wrong: r.checks.filter((c) => !c.ok).length, checked: r.checks.filter((c) => c.checked).length }
  }
  it('catches wrong stated values, wrong throws, type errors and runtime errors, and accepts right ones', () => {
    expect(outcome(probes.wrongValue)).toEqual({ typeErrors: [], ran: true, wrong: 1, checked: 1 })
    expect(outcome(probes.rightValue)).toEqual({ typeErrors: [], ran: true, wrong: 0, checked: 1 })
    expect(outcome(probes.roundedValue)).toEqual({ typeErrors: [], ran: true, wrong: 0, checked: 1 })
    expect(outcome(probes.wrongTensor)).toEqual({ typeErrors: [], ran: true, wrong: 1, checked: 1 })
    expect(outcome(probes.throws)).toEqual({ typeErrors: [], ran: true, wrong: 0, checked: 1 })
    expect(outcome(probes.doesNotThrow)).toEqual({ typeErrors: [], ran: true, wrong: 1, checked: 1 })
    expect(outcome(probes.typeError).typeErrors).toHaveLength(1)
    expect(outcome(probes.runtimeError).ran).toBe(false)
  })

  it('rewrites a top-level expression with a stated value, and leaves declarations and prose alone', () => {
    const { text, checks } = instrument(
      ["const a = f(1) // 2", "f(2) // 4", "g(1) // the first", "  h(3) // 9", "k(", "  1) // 1", "m(1) // throws RangeError"].join('\n'),
      (s) => s,
    )
    expect(checks).toBe(3)
    expect(text).toContain('__docCheck((f(2)), "4", 2)')
    expect(text).toContain('__docCheck((g(1)), "the first", 3)')
    expect(text).toContain('__docThrows(() => (m(1)), "throws RangeError", 7)')
    expect(text).toContain('const a = f(1) // 2')
    expect(text).toContain('  h(3) // 9')
  })
})

describe('figures', () => {
  const dir = join(root, 'docs', 'figures')
  const svgs = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.svg')) : []
  it('exist', () => {
    expect(svgs.length).toBeGreaterThan(0)
  })
  it.each(svgs)('docs/figures/%s is well-formed SVG', (f) => {
    const svg = parseXml(readFileSync(join(dir, f), 'utf8'))
    expect(svg.name).toBe('svg')
    expect(svg.attributes.get('xmlns')).toBe('http://www.w3.org/2000/svg')
  })
})

describe('typedoc', () => {
  it('lists every guide in docs/ as a project document, in reading order', () => {
    const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { projectDocuments: string[] }
    expect([...config.projectDocuments].sort()).toEqual(guides)
  })

  it('builds the site without a warning (every export documented, every link resolved, every code block highlighted)', () => {
    // rendered, not just validated: some warnings (a code block in a language typedoc does not
    // highlight) only appear while the pages are written
    const out = mkdtempSync(join(tmpdir(), 'autodiff-ts-typedoc-'))
    try {
      const r = sh(join(root, 'node_modules', '.bin', 'typedoc'), ['--out', out, '--logLevel', 'Warn'])
      expect(r.ok, r.out).toBe(true)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 300_000)
})
