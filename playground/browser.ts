/**
 * Headless Chromium for the playground's tests and screenshots: Debian's `chromium` driven by
 * playwright-core (nothing downloads a browser), with a fresh profile, and the page built and
 * served on a free localhost port.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { buildPlayground } from './build.js'
import { serve } from './serve.js'

export const CHROMIUM = '/usr/bin/chromium'

/** A page of the built playground in headless Chromium, and how to close it all. */
export interface Session {
  readonly page: Page
  readonly url: string
  readonly close: () => Promise<void>
}

/** Builds the playground into a scratch folder, serves it, and opens it in a fresh headless Chromium. */
export const openPlayground = async (viewport = { width: 1280, height: 800 }): Promise<Session> => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`)
  const scratch = mkdtempSync(join(tmpdir(), 'autodiff-ts-playground-'))
  const site = await buildPlayground(join(scratch, 'site'))
  const server: Server = await serve(site, 0)
  const address = server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`
  let context: BrowserContext | undefined
  const close = async () => {
    await context?.close()
    await new Promise((ok) => server.close(ok))
    rmSync(scratch, { recursive: true, force: true })
  }
  try {
    context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport,
    })
    const page = context.pages()[0] ?? (await context.newPage())
    return { page, url, close }
  } catch (e) {
    await close()
    throw e
  }
}
