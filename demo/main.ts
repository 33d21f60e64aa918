/**
 * `npm run demo`: trains an MLP on the embedded handwritten digits (or, with
 * `--data fashion-mnist`, on Fashion-MNIST), prints its test accuracy, saves it as JSON, loads it
 * back and checks that it scores the same. `npm run demo -- --help` lists the options.
 *
 * @packageDocumentation
 */
import { main } from './cli.js'

process.exitCode = await main(process.argv.slice(2), {
  stdout: {
    write: (text) => void process.stdout.write(text),
    isTTY: process.stdout.isTTY === true,
    ...(process.stdout.columns === undefined ? {} : { columns: process.stdout.columns }),
  },
  stderr: (text) => void process.stderr.write(text),
  now: () => performance.now(),
})
