/**
 * The demo's command line as a function: arguments and a terminal in, an exit code out (0 done,
 * 1 a failure such as missing data, 2 a bad option), so that tests can run it in-process.
 *
 * @packageDocumentation
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import { parse, usage } from './options.js'
import type { Terminal } from './progress.js'
import { run } from './run.js'

/** Where the demo writes: progress and results to `stdout`, errors to `stderr`. */
export interface Io {
  readonly stdout: Terminal
  readonly stderr: (text: string) => void
  /** The clock, in milliseconds. */
  readonly now: () => number
}

/** Runs the demo for the arguments after `npm run demo --`; returns the exit code. */
export const main = async (argv: readonly string[], io: Io): Promise<number> => {
  const cmd = parse(argv)
  if (isLeft(cmd)) {
    io.stderr(`${cmd.left}\nRun npm run demo -- --help to list the options.\n`)
    return 2
  }
  if (cmd.right._tag === 'help') {
    io.stdout.write(`${usage()}\n`)
    return 0
  }
  const r = await run(cmd.right.options, io.stdout, io.now)
  if (isLeft(r)) {
    io.stderr(`${r.left}\n`)
    return 1
  }
  return 0
}
