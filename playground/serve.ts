/**
 * Serves the playground on localhost with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp` (so that workers may share memory).
 *
 * `npm run playground` builds the page into `playground/dist` and serves it on
 * http://localhost:8080/ (`PORT` to change it).
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildPlayground } from './build.js'

const types: { readonly [ext: string]: string } = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
}

/** A static file server for `dir` on `port` (0: any free port) of 127.0.0.1, with COOP and COEP. */
export const serve = (dir: string, port: number): Promise<Server> =>
  new Promise((ok, fail) => {
    const base = resolve(dir)
    const server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
      const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path))
      const headers = {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Cache-Control': 'no-store',
      }
      if (!file.startsWith(base)) {
        res.writeHead(403, headers).end('forbidden')
        return
      }
      readFile(file).then(
        (body) => res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(body),
        () => res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found'),
      )
    })
    server.once('error', fail)
    server.listen(port, '127.0.0.1', () => ok(server))
  })

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = fileURLToPath(new URL('.', import.meta.url))
  const dir = await buildPlayground(join(here, 'dist'))
  const port = Number(process.env['PORT'] ?? 8080)
  const server = await serve(dir, port)
  const a = server.address()
  console.log(`playground: http://localhost:${typeof a === 'object' && a !== null ? a.port : port}/`)
}
