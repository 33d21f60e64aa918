/** Small DOM helpers shared by the parts of the page. */
import { Graph } from 'autodiff-ts'

/** A number for a readout: 6 significant digits, the library's formatting (− for minus). */
export const fmt = (x: number): string => Graph.formatNumber(x, 6)

/** The content width of an element, clamped. */
export const widthOf = (el: HTMLElement, min: number, max: number): number => Math.max(min, Math.min(max, Math.floor(el.clientWidth || min)))

/** Calls `f` when the element's width changes (not on the first observation). */
export const onResize = (el: HTMLElement, f: () => void): void => {
  let last = el.clientWidth
  new ResizeObserver(() => {
    if (el.clientWidth !== last) {
      last = el.clientWidth
      f()
    }
  }).observe(el)
}

/** A labelled field with an error slot beside it; returns the control and the error element. */
export const field = <E extends HTMLInputElement | HTMLSelectElement>(
  parent: HTMLElement,
  id: string,
  label: string,
  control: E,
): { readonly control: E; readonly error: HTMLElement } => {
  const wrap = document.createElement('label')
  wrap.className = 'field'
  const name = document.createElement('span')
  name.className = 'name'
  name.textContent = label
  control.id = id
  const error = document.createElement('span')
  error.className = 'error'
  error.id = `${id}-error`
  error.setAttribute('role', 'alert')
  wrap.append(name, control, error)
  parent.append(wrap)
  return { control, error }
}

/** A text input for a number (text, so that whatever is typed reaches the library's checks). */
export const numberInput = (value: string): HTMLInputElement => {
  const i = document.createElement('input')
  i.type = 'text'
  i.inputMode = 'decimal'
  i.spellcheck = false
  i.autocomplete = 'off'
  i.value = value
  return i
}

/** A select of named options. */
export const select = (options: readonly (readonly [string, string])[], value: string): HTMLSelectElement => {
  const s = document.createElement('select')
  for (const [v, text] of options) {
    const o = document.createElement('option')
    o.value = v
    o.textContent = text
    s.append(o)
  }
  s.value = value
  return s
}

/** The number a field's text denotes, or the text itself when it is none, for the library to judge. */
export const parseNumber = (text: string): number | string => {
  const t = text.trim()
  return t !== '' && !Number.isNaN(Number(t)) ? Number(t) : t
}

/** Shows (or clears, with '') a message beside a field. */
export const showError = (f: { readonly control: HTMLElement; readonly error: HTMLElement }, message: string): void => {
  f.error.textContent = message
  f.control.setAttribute('aria-invalid', String(message !== ''))
}
