/**
 * The demo's command-line options: a small hand-written parser that returns an `Either`, so a
 * bad value is a message (naming the option, what was expected and what was found), not a throw.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { FASHION_MNIST_DIR } from '../src/node/index.js'

/** The data sets the demo knows. */
export type DataName = 'digits' | 'fashion-mnist'

/** Everything a run of the demo needs to know. */
export interface Options {
  readonly data: DataName
  /** Where the Fashion-MNIST IDX files are. */
  readonly dataDir: string
  readonly epochs: number
  readonly batchSize: number
  /** Adam's learning rate. */
  readonly lr: number
  /** The seed of every random choice: the split, the initial weights, the batches. */
  readonly seed: number
  /** The widths of the hidden layers (each followed by ReLU). */
  readonly hidden: readonly number[]
  /** Where to save the model; the history goes beside it (see {@link historyPath}). */
  readonly out: string
}

/** What the command line asks for: the help text, or a run. */
export type Command = { readonly _tag: 'help' } | { readonly _tag: 'run'; readonly options: Options }

/** The defaults of each data set. */
export const defaults = (data: DataName): Options =>
  data === 'digits'
    ? { data, dataDir: FASHION_MNIST_DIR, epochs: 20, batchSize: 32, lr: 1e-3, seed: 0, hidden: [64, 64], out: 'out/digits-model.json' }
    : { data, dataDir: FASHION_MNIST_DIR, epochs: 5, batchSize: 64, lr: 1e-3, seed: 0, hidden: [128], out: 'out/fashion-mnist-model.json' }

/** The model's path without `.json` and `-model`: `out/digits-model.json` -> `out/digits`. */
const stemOf = (out: string): string => {
  const stem = out.endsWith('.json') ? out.slice(0, -5) : out
  return stem.endsWith('-model') ? stem.slice(0, -6) : stem
}

/** Where the per-epoch history goes: beside the model, `x-model.json` -> `x-history.json`. */
export const historyPath = (out: string): string => `${stemOf(out)}-history.json`

/** Where the ONNX model goes: beside the model, `x-model.json` -> `x.onnx`. */
export const onnxPath = (out: string): string => `${stemOf(out)}.onnx`

type Parser<A> = (raw: string) => A | undefined

const INT = /^\+?\d+$/
const DECIMAL = /^\+?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

const positiveInt: Parser<number> = (s) => (INT.test(s) && Number.isSafeInteger(Number(s)) && Number(s) > 0 ? Number(s) : undefined)
const nonNegativeInt: Parser<number> = (s) => (INT.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : undefined)
const positiveNumber: Parser<number> = (s) => (DECIMAL.test(s) && Number.isFinite(Number(s)) && Number(s) > 0 ? Number(s) : undefined)
const widths: Parser<readonly number[]> = (s) => {
  const parts = s.split(',').map((p) => positiveInt(p.trim()))
  return parts.every((p): p is number => p !== undefined) ? parts : undefined
}
const dataName: Parser<DataName> = (s) => (s === 'digits' || s === 'fashion-mnist' ? s : undefined)
const nonEmpty: Parser<string> = (s) => (s.length > 0 ? s : undefined)

interface Spec {
  readonly name: string
  readonly key: keyof Options
  readonly expected: string
  /** The value's placeholder in the help text, such as `N` or `PATH`. */
  readonly metavar: string
  readonly parse: Parser<Options[keyof Options]>
  readonly help: string
}

/** The options, in the order of the help text. */
const SPECS: readonly Spec[] = [
  { name: '--data', key: 'data', expected: 'digits or fashion-mnist', metavar: 'NAME', parse: dataName, help: 'the data set: digits (embedded, the default) or fashion-mnist' },
  { name: '--data-dir', key: 'dataDir', expected: 'a directory', metavar: 'PATH', parse: nonEmpty, help: `where the Fashion-MNIST IDX files are (default ${FASHION_MNIST_DIR})` },
  { name: '--epochs', key: 'epochs', expected: 'a positive integer', metavar: 'N', parse: positiveInt, help: 'passes over the training data (default 20 for digits, 5 for fashion-mnist)' },
  { name: '--batch-size', key: 'batchSize', expected: 'a positive integer', metavar: 'N', parse: positiveInt, help: 'examples per step (default 32 for digits, 64 for fashion-mnist)' },
  { name: '--lr', key: 'lr', expected: 'a positive number', metavar: 'N', parse: positiveNumber, help: "Adam's learning rate (default 0.001)" },
  { name: '--seed', key: 'seed', expected: 'a non-negative integer', metavar: 'N', parse: nonNegativeInt, help: 'seed of the split, the initial weights and the batches (default 0)' },
  { name: '--hidden', key: 'hidden', expected: 'comma-separated positive integers such as 64,64', metavar: 'W,W,...', parse: widths, help: 'hidden layer widths, each followed by ReLU (default 64,64 for digits, 128 for fashion-mnist)' },
  { name: '--out', key: 'out', expected: 'a file path', metavar: 'PATH', parse: nonEmpty, help: 'where to save the model (default out/<data>-model.json); the per-epoch history goes beside it as <data>-history.json' },
]

/** The help text: usage and every option. */
export const usage = (): string =>
  [
    'Usage: npm run demo -- [options]',
    '',
    'Trains a multilayer perceptron (ReLU, Adam, softmax cross-entropy) on a real data set,',
    'prints its test accuracy, saves it as JSON, loads it back and checks that it scores the same.',
    '',
    'Options:',
    ...SPECS.map((s) => `  ${`${s.name} ${s.metavar}`.padEnd(20)} ${s.help}`),
    `  ${'--help'.padEnd(20)} show this text`,
    '',
    'Fashion-MNIST comes from Debian: apt-get install -y dataset-fashion-mnist',
  ].join('\n')

const show = (s: string | undefined): string => (s === undefined ? 'nothing' : JSON.stringify(s))

/**
 * Parses the arguments after `npm run demo --`: `--name value` or `--name=value`, `--help`.
 * Unset options take the defaults of the chosen data set. A `Left` names the option, what was
 * expected and what was found.
 */
export const parse = (argv: readonly string[]): Either<string, Command> => {
  const given = new Map<keyof Options, Options[keyof Options]>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--help' || arg === '-h') return right({ _tag: 'help' })
    const eq = arg.indexOf('=')
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    const spec = SPECS.find((s) => s.name === name)
    if (spec === undefined)
      return left(
        arg.startsWith('-')
          ? `${name}: expected one of the options ${SPECS.map((s) => s.name).join(', ')}, --help; found an unknown option`
          : `arguments: expected options (--name value), found ${show(arg)}`,
      )
    const raw = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i]
    const value = raw === undefined ? undefined : spec.parse(raw)
    if (value === undefined) return left(`${spec.name}: expected ${spec.expected}, found ${show(raw)}`)
    given.set(spec.key, value)
  }
  const data = (given.get('data') as DataName | undefined) ?? 'digits'
  if (data === 'digits' && given.has('dataDir'))
    return left('--data-dir: expected only with --data fashion-mnist (digits are embedded), found it with --data digits')
  const options = { ...defaults(data), ...Object.fromEntries(given) } as Options
  return right({ _tag: 'run', options })
}
