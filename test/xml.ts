/**
 * A tiny, strict XML well-formedness checker for the SVG the library writes (test helper).
 * No regular expressions: a single left-to-right scan with a stack of open elements.
 */
export interface XmlElement {
  readonly name: string
  readonly attributes: ReadonlyMap<string, string>
  readonly children: readonly XmlElement[]
  readonly text: string
}

const isNameChar = (c: string): boolean =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '-' || c === '_' || c === ':' || c === '.'
const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r'

const ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos'])

/** Check that every `&` in text or an attribute value starts a known entity or a character reference. */
const checkEntities = (s: string, where: string): string => {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c === '<') throw new Error(`${where}: raw '<'`)
    if (c !== '&') {
      out += c
      continue
    }
    const end = s.indexOf(';', i)
    if (end < 0) throw new Error(`${where}: unterminated entity`)
    const name = s.slice(i + 1, end)
    if (!ENTITIES.has(name) && !(name.startsWith('#') && name.length > 1)) throw new Error(`${where}: unknown entity &${name};`)
    out += name === 'amp' ? '&' : name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : name === 'apos' ? "'" : '?'
    i = end
  }
  return out
}

/** Parse `src` as one XML element (optionally after an XML declaration); throws on malformed input. */
export const parseXml = (src: string): XmlElement => {
  let i = 0
  interface Open { name: string; attributes: Map<string, string>; children: XmlElement[]; text: string }
  const stack: Open[] = []
  let root: XmlElement | undefined
  const readName = (): string => {
    const start = i
    while (i < src.length && isNameChar(src[i]!)) i++
    if (i === start) throw new Error(`expected a name at ${i}`)
    return src.slice(start, i)
  }
  const skipSpace = () => {
    while (i < src.length && isSpace(src[i]!)) i++
  }
  const close = (el: XmlElement) => {
    const parent = stack[stack.length - 1]
    if (parent !== undefined) parent.children.push(el)
    else if (root === undefined) root = el
    else throw new Error('more than one root element')
  }
  skipSpace()
  if (src.startsWith('<?xml', i)) {
    const end = src.indexOf('?>', i)
    if (end < 0) throw new Error('unterminated XML declaration')
    i = end + 2
  }
  while (i < src.length) {
    if (src[i] !== '<') {
      const end = src.indexOf('<', i)
      const text = src.slice(i, end < 0 ? src.length : end)
      const top = stack[stack.length - 1]
      if (top === undefined) {
        for (const c of text) if (!isSpace(c)) throw new Error(`text outside the root element at ${i}`)
      } else top.text += checkEntities(text, `text in <${top.name}>`)
      i = end < 0 ? src.length : end
      continue
    }
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i)
      if (end < 0) throw new Error('unterminated comment')
      i = end + 3
      continue
    }
    if (src[i + 1] === '/') {
      i += 2
      const name = readName()
      skipSpace()
      if (src[i] !== '>') throw new Error(`expected '>' closing </${name}>`)
      i++
      const top = stack.pop()
      if (top === undefined || top.name !== name) throw new Error(`</${name}> closes <${top?.name ?? 'nothing'}>`)
      close({ name: top.name, attributes: top.attributes, children: top.children, text: top.text })
      continue
    }
    i++
    const name = readName()
    const attributes = new Map<string, string>()
    for (;;) {
      const before = i
      skipSpace()
      if (src[i] === '/' && src[i + 1] === '>') {
        i += 2
        close({ name, attributes, children: [], text: '' })
        break
      }
      if (src[i] === '>') {
        i++
        stack.push({ name, attributes, children: [], text: '' })
        break
      }
      if (i === before) throw new Error(`expected a space before an attribute of <${name}> at ${i}`)
      const attr = readName()
      if (src[i] !== '=' || (src[i + 1] !== '"' && src[i + 1] !== "'")) throw new Error(`attribute ${attr} of <${name}> is not name="value"`)
      const q = src[i + 1]!
      const end = src.indexOf(q, i + 2)
      if (end < 0) throw new Error(`unterminated value of ${attr}`)
      if (attributes.has(attr)) throw new Error(`duplicate attribute ${attr} on <${name}>`)
      attributes.set(attr, checkEntities(src.slice(i + 2, end), `attribute ${attr} of <${name}>`))
      i = end + 1
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`)
  if (root === undefined) throw new Error('no root element')
  return root
}

/** Every element of the tree, depth first. */
export const elements = (el: XmlElement): XmlElement[] => [el, ...el.children.flatMap(elements)]
