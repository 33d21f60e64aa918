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

/** Sets the training fields: selects by value, text fields by their text. */
const form = async (fields: { readonly [id: string]: string }): Promise<void> => {
  for (const [id, value] of Object.entries(fields))
    if ((await page.locator(`#train-${id}`).evaluate((e) => e.tagName)) === 'SELECT') await page.selectOption(`#train-${id}`, value)
    else await page.fill(`#train-${id}`, value)
}

/** Screenshots of the parts at each width, named `part-suffix-width.png`. */
const shoot = async (parts: readonly string[], suffix: string, widths: readonly number[] = [1280, 390]): Promise<void> => {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 800 })
    await page.waitForTimeout(300)
    for (const part of parts) await page.locator(`#${part}`).screenshot({ path: join(out, `${part}${suffix}-${width}.png`) })
  }
}

try {
  await page.goto(url)
  await page.waitForSelector('body[data-ready="true"]')
  await page.fill('#act-x', '0.5')
  // train on the two spirals until the boundary has formed, then stop
  await form({ dataset: 'spirals', hidden: '16, 16', activation: 'relu', 'loss-fn': 'crossEntropy', optimizer: 'adam', lr: '0.01' })
  await page.click('#train-start')
  await page.waitForFunction(`Number(document.getElementById('training').dataset.accuracy) >= 0.98`, null, { timeout: 120_000 })
  await page.click('#train-stop')
  await page.waitForSelector('#train-resume:not([disabled])')
  await shoot(['activations', 'neuron', 'training'], '')
  await page.click('#act-picker button[data-name="tanh"]')
  await shoot(['activations'], '-tanh', [1280])
  // a run that diverges: the library's message beside the learning rate, the last good model kept
  await form({ dataset: 'xor', hidden: '8', activation: 'tanh', 'loss-fn': 'mse', optimizer: 'momentum', lr: '1e9' })
  await page.click('#train-start')
  await page.waitForSelector('#train-lr-error:not(:empty)')
  await shoot(['training'], '-diverged')
  console.log(`screenshots in ${out}`)
} finally {
  await close()
}
