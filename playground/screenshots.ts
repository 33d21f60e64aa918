/**
 * Screenshots of the playground's three parts at 1280x800 and at a phone's 390 px width, into
 * `docs/playground/` (shown in the README): `tsx playground/screenshots.ts`.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openPlayground } from './browser.js'

const out = fileURLToPath(new URL('../docs/playground/', import.meta.url))
mkdirSync(out, { recursive: true })
const { page, url, close } = await openPlayground()
try {
  await page.goto(url)
  await page.waitForSelector('body[data-ready="true"]')
  await page.fill('#act-x', '0.5')
  // train on the two spirals until the boundary has formed, then stop
  await page.selectOption('#train-dataset', 'spirals')
  await page.fill('#train-hidden', '16, 16')
  await page.selectOption('#train-activation', 'relu')
  await page.selectOption('#train-loss-fn', 'crossEntropy')
  await page.selectOption('#train-optimizer', 'adam')
  await page.fill('#train-lr', '0.01')
  await page.click('#train-start')
  await page.waitForFunction(`Number(document.getElementById('training').dataset.accuracy) >= 0.98`, null, { timeout: 120_000 })
  await page.click('#train-stop')
  await page.waitForSelector('#train-resume:not([disabled])')
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 })
    await page.waitForTimeout(300)
    for (const part of ['activations', 'neuron', 'training'])
      await page.locator(`#${part}`).screenshot({ path: join(out, `${part}-${width}.png`) })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.click('#act-picker button[data-name="tanh"]')
  await page.waitForTimeout(200)
  await page.locator('#activations').screenshot({ path: join(out, 'tanh-1280.png') })
  console.log(`screenshots in ${out}`)
} finally {
  await close()
}
