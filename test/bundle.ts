/**
 * Browser bundles of the package's entries, made with esbuild as a user's bundler would
 * (`--platform=browser`: a Node built-in anywhere in the graph is a build error).
 */
import { build, type BuildResult, type Message } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** A bundle's text and sizes, or esbuild's errors. */
export type Bundled =
  | { readonly ok: true; readonly code: string; readonly bytes: number; readonly gzipBytes: number; /** The modules whose code is in the bundle. */ readonly inputs: readonly string[] }
  | { readonly ok: false; readonly errors: readonly Message[] }

/** Bundles `source` (an ES module whose imports are relative to the repository root) for browsers, minified. */
export const bundle = async (source: string, options: { readonly minify?: boolean; readonly format?: 'esm' | 'iife'; readonly globalName?: string } = {}): Promise<Bundled> => {
  let r: BuildResult<{ write: false; metafile: true }>
  try {
    r = await build({
      stdin: { contents: source, resolveDir: root, sourcefile: 'entry.ts', loader: 'ts' },
      bundle: true,
      write: false,
      metafile: true,
      platform: 'browser',
      format: options.format ?? 'esm',
      ...(options.globalName === undefined ? {} : { globalName: options.globalName }),
      minify: options.minify ?? true,
      logLevel: 'silent',
    })
  } catch (e) {
    return { ok: false, errors: (e as { errors?: Message[] }).errors ?? [{ text: String(e) } as Message] }
  }
  const code = r.outputFiles[0]!.text
  // the modules that contribute code to the output (tree shaking drops the others)
  const used = Object.entries(Object.values(r.metafile.outputs)[0]!.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k)
  return { ok: true, code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).length, inputs: used }
}
