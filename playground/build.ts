/**
 * Builds the playground: bundles the page script and the training worker with esbuild for the
 * browser (the library imported by its package name, resolved to `src/index.ts`; esbuild fails on
 * any Node built-in under it), and copies the page and its style beside them.
 *
 * `tsx playground/build.ts [outdir]` (default `playground/dist`); `npm run docs` builds it into
 * `docs/api/playground`.
 */
import { build } from 'esbuild'
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')

/** Bundles the page into `outdir` and copies its static files there. Returns `outdir`. */
export const buildPlayground = async (outdir: string): Promise<string> => {
  const out = resolve(outdir)
  mkdirSync(out, { recursive: true })
  await build({
    entryPoints: { main: join(here, 'src', 'main.ts'), worker: join(here, 'src', 'worker.ts') },
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
    alias: { 'autodiff-ts': join(root, 'src', 'index.ts') },
  })
  for (const f of ['index.html', 'style.css']) copyFileSync(join(here, f), join(out, f))
  return out
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildPlayground(process.argv[2] ?? join(here, 'dist'))
  console.log(`playground built into ${out}`)
}
