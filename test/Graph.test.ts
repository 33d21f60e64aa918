import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as Graph from '../src/Graph.js'
import * as Reverse from '../src/Reverse.js'
import { floatingNumber, type BinaryName, type Floating, type MultiFn, type UnaryName } from '../src/Floating.js'
import { elements, parseXml, type XmlElement } from './xml.js'
import { scalarPoint } from '../laws/arbitraries.js'

// ---------------------------------------------------------------------------------------------
// random straight-line programs over every primitive of Floating

const unaryNames: readonly UnaryName[] = [
  'neg', 'recip', 'abs', 'sqrt', 'exp', 'expm1', 'log', 'log1p', 'sin', 'cos', 'tan',
  'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'erf', 'erfc',
]
const binaryNames: readonly BinaryName[] = ['add', 'sub', 'mul', 'div', 'mod', 'pow']

type Step =
  | { readonly kind: 'unary'; readonly op: UnaryName; readonly a: number }
  | { readonly kind: 'binary'; readonly op: BinaryName; readonly a: number; readonly b: number }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'one' | 'zero' }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom(...unaryNames), a: fc.nat() }) },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...binaryNames), a: fc.nat(), b: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('const' as const), value: scalarPoint({ min: -3, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('one' as const, 'zero' as const) }) },
)

/** A program's last value as a generic function; operands are picked among all earlier values. */
const program =
  (steps: readonly Step[]): MultiFn =>
  <A>(F: Floating<A>) =>
  (xs: readonly A[]): A => {
    const vals: A[] = [...xs]
    const pick = (k: number): A => vals[k % vals.length]!
    for (const s of steps) {
      if (s.kind === 'unary') vals.push(F[s.op](pick(s.a)))
      else if (s.kind === 'binary') vals.push(F[s.op](pick(s.a), pick(s.b)))
      else if (s.kind === 'const') vals.push(F.of(s.value))
      else vals.push(s.kind === 'one' ? F.one : F.zero)
    }
    return vals[vals.length - 1]!
  }

/** Inputs (like the constants above) mostly spread evenly over [-3, 3], one in five from fc.double (tiny values, -0). */
const inputsArb = fc.array(scalarPoint({ min: -3, max: 3 }), { minLength: 1, maxLength: 4 })
const programArb = fc.tuple(inputsArb, fc.array(stepArb, { minLength: 1, maxLength: 14 }))

/** The same float64, NaN included. */
const same = (a: number, b: number): boolean => Object.is(a, b) || (a === 0 && b === 0) || (Number.isNaN(a) && Number.isNaN(b))

// ---------------------------------------------------------------------------------------------

/** The lecture's example: z = t^2 with t = x + y. */
const lecture: MultiFn = (F) => ([x = F.zero, y = F.zero]) => {
  const t = F.add(x, y)
  return F.mul(t, t)
}

describe('Graph.trace: the backward pass of the recorded graph', () => {
  it('gives the gradient of Reverse.grad, to the bit, on random programs over every primitive (property)', () => {
    fc.assert(
      fc.property(programArb, ([xs, steps]) => {
        const f = program(steps)
        const traced = Graph.gradient(Graph.trace(f)(xs))
        const reverse = Reverse.grad(f)(xs)
        expect(traced.length).toBe(xs.length)
        traced.forEach((g, i) => expect(same(g, reverse[i]!), `input ${i}: traced ${g}, reverse ${reverse[i]}`).toBe(true))
      }),
      { numRuns: 500 },
    )
  })

  it('records the forward value of plain evaluation at the output (property)', () => {
    fc.assert(
      fc.property(programArb, ([xs, steps]) => {
        const f = program(steps)
        const g = Graph.trace(f)(xs)
        expect(same(g.nodes[g.output]!.value, f(floatingNumber)(xs))).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('every node receives the sum of the gradients on its outgoing edges, summed in sweep order (property)', () => {
    fc.assert(
      fc.property(programArb, ([xs, steps]) => {
        const g = Graph.trace(program(steps))(xs)
        const sums = g.nodes.map(() => 0)
        const order = [...g.edges].sort((a, b) => b.to - a.to || a.slot - b.slot)
        for (const e of order) sums[e.from]! += e.grad
        for (const n of g.nodes) if (n.id !== g.output) expect(same(n.grad, sums[n.id]!)).toBe(true)
        // each edge carries the gradient into its operation times the local partial (or exactly 0 when that gradient is 0)
        for (const e of g.edges) {
          const into = g.nodes[e.to]!.grad
          expect(same(e.grad, into === 0 ? 0 : into * e.partial)).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('scales the gradients by the seed (exactly, for a power of two) (property)', () => {
    // exact as long as no gradient on the way over- or underflows: scaling by a power of two is
    // then exact in every product and sum of the sweep
    const tame = (x: number) => x === 0 || (Math.abs(x) > 1e-290 && Math.abs(x) < 1e290)
    fc.assert(
      fc.property(programArb, fc.constantFrom(2, -2, 0.5, 4), ([xs, steps], seed) => {
        const f = program(steps)
        const g = Graph.trace(f)(xs)
        fc.pre(g.nodes.every((n) => tame(n.grad)) && g.edges.every((e) => tame(e.grad)))
        const plain = Graph.gradient(g)
        const seeded = Graph.gradient(Graph.trace(f, { seed })(xs))
        plain.forEach((p, i) => expect(same(seeded[i]!, seed * p), `input ${i}`).toBe(true))
      }),
      { numRuns: 300 },
    )
  })

  it('lists nodes in evaluation order: every argument comes before its operation (property)', () => {
    fc.assert(
      fc.property(programArb, ([xs, steps]) => {
        const g = Graph.trace(program(steps))(xs)
        g.nodes.forEach((n, k) => {
          expect(n.id).toBe(k)
          for (const i of n.inputs) expect(i).toBeLessThan(k)
          expect(n.partials.length).toBe(n.inputs.length)
        })
        expect(g.edges.length).toBe(g.nodes.reduce((s, n) => s + n.inputs.length, 0))
      }),
      { numRuns: 200 },
    )
  })

  it('keeps every input, even one the output does not use, with gradient 0, and drops unused work', () => {
    const f: MultiFn = (F) => ([x = F.zero, _y = F.zero, z = F.zero]) => {
      F.exp(z) // computed, then thrown away
      return F.sin(x)
    }
    const g = Graph.trace(f, { names: ['x', 'y', 'z'] })([0, 5, 1])
    expect(g.inputs.map((i) => g.nodes[i]!.label)).toEqual(['x', 'y', 'z'])
    expect(Graph.gradient(g)).toEqual([1, 0, 0]) // cos(0), and nothing for y and z
    expect(g.nodes.map((n) => n.op)).toEqual(['input', 'input', 'input', 'sin'])
  })

  it('handles a constant output and an input returned as it is', () => {
    const c = Graph.trace((F) => () => F.of(3))([])
    expect(c.nodes).toHaveLength(1)
    expect(c.nodes[c.output]!.value).toBe(3)
    expect(Graph.gradient(c)).toEqual([])
    const id = Graph.trace((F) => ([x = F.zero]) => x)([4])
    expect(Graph.gradient(id)).toEqual([1])
  })

  it('rejects names that do not match the inputs', () => {
    expect(() => Graph.trace(lecture, { names: ['x'] })([1, 2])).toThrow(RangeError)
    expect(() => Graph.trace(lecture, { names: ['x'] })([1, 2])).toThrow(/one name per input \(2\), got 1/)
  })

  it('returns frozen values and the same graph twice', () => {
    const a = Graph.trace(lecture)([1, 2])
    const b = Graph.trace(lecture)([1, 2])
    expect(a).toEqual(b)
    expect(Object.isFrozen(a)).toBe(true)
    expect(Object.isFrozen(a.nodes)).toBe(true)
    expect(Object.isFrozen(a.nodes[0])).toBe(true)
    expect(Object.isFrozen(a.edges[0])).toBe(true)
  })
})

describe('the lecture example z = t^2, t = x + y, at x = 1, y = 2', () => {
  const g = Graph.trace(lecture, { names: ['x', 'y'], output: 'z' })([1, 2])
  // by hand: t = 3, z = 9; dz/dz = 1; the mul node sends each copy of t the gradient times the
  // other input, 1 * 3 = 3, so dz/dt = 3 + 3 = 6; the add node passes 6 through to x and to y.
  it('has the expected nodes, values and gradients', () => {
    expect(g.nodes.map((n) => [n.label, n.value, n.grad])).toEqual([
      ['x', 1, 6],
      ['y', 2, 6],
      ['+', 3, 6],
      ['×', 9, 1],
    ])
    expect(g.edges.map((e) => [e.from, e.to, e.grad])).toEqual([
      [0, 2, 6],
      [1, 2, 6],
      [2, 3, 3],
      [2, 3, 3],
    ])
    expect(Graph.gradient(g)).toEqual([6, 6])
  })

  it('the add node passes the gradient through; the mul node swaps its inputs (seed 5 from upstream)', () => {
    const add = Graph.trace((F) => ([x = F.zero, y = F.zero]) => F.add(x, y), { seed: 5 })([2, 3])
    expect(Graph.gradient(add)).toEqual([5, 5])
    const mul = Graph.trace((F) => ([x = F.zero, y = F.zero]) => F.mul(x, y), { seed: 5 })([2, 3])
    expect(Graph.gradient(mul)).toEqual([15, 10]) // x gets 5 * y, y gets 5 * x
  })

  it('renders DOT with those numbers', () => {
    const dot = Graph.toDot(g)
    checkDot(dot, g)
    expect(dot).toContain('n0 [label="x\\nvalue 1\\ngrad 6"')
    expect(dot).toContain('n3 [label="z = ×\\nvalue 9\\ngrad 1"')
    expect(dot).toContain('n2 -> n3 [label="3"];')
    expect(dot).toContain('n0 -> n2 [label="6"];')
  })

  it('renders well-formed SVG with those numbers', () => {
    const svg = Graph.toSvg(g, { title: 'z = t^2, t = x + y' })
    const root = parseXml(svg)
    expect(root.name).toBe('svg')
    expect(root.attributes.get('xmlns')).toBe('http://www.w3.org/2000/svg')
    const texts = elements(root).filter((e) => e.name === 'text').map((e) => e.text)
    for (const t of ['x', 'y', '+', 'z = ×', 'value 1', 'value 2', 'value 3', 'value 9', 'grad 6', 'grad 1'])
      expect(texts).toContain(t)
    // edge labels: 6 and 6 into x and y, 3 and 3 along the two copies of t
    expect(texts.filter((t) => t === '6')).toHaveLength(2)
    expect(texts.filter((t) => t === '3')).toHaveLength(2)
    // four boxes, four arrows, all inside the picture
    const rects = elements(root).filter((e) => e.name === 'rect' && e.attributes.has('rx'))
    expect(rects).toHaveLength(4)
    expect(elements(root).filter((e) => e.name === 'path' && e.attributes.has('marker-end'))).toHaveLength(4)
    insidePicture(root)
  })
})

describe('rendering', () => {
  it('DOT and SVG are well formed for random programs, and boxes do not overlap, in both directions (property)', () => {
    fc.assert(
      fc.property(programArb, fc.constantFrom('right' as const, 'down' as const), ([xs, steps], direction) => {
        const g = Graph.trace(program(steps), { names: xs.map((_, i) => `a"<&${i}`), output: 'out<&>' })(xs)
        checkDot(Graph.toDot(g), g)
        const root = parseXml(Graph.toSvg(g, { title: 'a & b < c', direction }))
        insidePicture(root)
        // every edge runs from its argument to its user, rightwards or downwards
        for (const p of elements(root).filter((e) => e.name === 'path' && e.attributes.has('marker-end'))) {
          const [sx = NaN, sy = NaN, ...rest] = (p.attributes.get('d') ?? '').match(/-?\d+(\.\d+)?/g)!.map(Number)
          const [tx = NaN, ty = NaN] = rest.slice(-2)
          expect(direction === 'down' ? ty - sy : tx - sx, 'an edge runs backwards').toBeGreaterThan(0)
        }
        const boxes = elements(root)
          .filter((e) => e.name === 'rect' && e.attributes.has('rx'))
          .map((e) => ({ x: num(e, 'x'), y: num(e, 'y'), w: num(e, 'width'), h: num(e, 'height') }))
        expect(boxes).toHaveLength(g.nodes.length)
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i]!
            const b = boxes[j]!
            const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y
            expect(apart, `boxes ${i} and ${j} overlap`).toBe(true)
          }
      }),
      { numRuns: 150 },
    )
  })

  it('escapes names in DOT and SVG', () => {
    const g = Graph.trace(lecture, { names: ['x"1', 'y\\2'], output: '<z>' })([1, 2])
    expect(Graph.toDot(g)).toContain('label="x\\"1\\nvalue 1')
    expect(Graph.toDot(g)).toContain('label="y\\\\2\\nvalue 2')
    const texts = elements(parseXml(Graph.toSvg(g))).filter((e) => e.name === 'text').map((e) => e.text)
    expect(texts).toContain('<z> = ×')
  })

  it('formats numbers for pictures', () => {
    expect(Graph.formatNumber(Math.PI)).toBe('3.142')
    expect(Graph.formatNumber(-0.5)).toBe('−0.5')
    expect(Graph.formatNumber(-0)).toBe('0')
    expect(Graph.formatNumber(1e-7 / 3, 3)).toBe('3.33e−8')
    expect(Graph.formatNumber(Infinity)).toBe('∞')
    expect(Graph.formatNumber(-Infinity)).toBe('−∞')
    expect(Graph.formatNumber(NaN)).toBe('NaN')
    expect(Graph.formatNumber(123456)).toBe('123500')
  })

  it('lays the lecture neuron out top to bottom, narrower than left to right', () => {
    const neuron: MultiFn = (F) => ([x1 = F.zero, w1 = F.zero, x2 = F.zero, w2 = F.zero, b = F.zero]) =>
      F.tanh(F.add(F.add(F.mul(x1, w1), F.mul(x2, w2)), b))
    const g = Graph.trace(neuron)([2, -3, 0, 1, 6.8814])
    const right = parseXml(Graph.toSvg(g, { legend: false }))
    const down = parseXml(Graph.toSvg(g, { legend: false, direction: 'down' }))
    expect(num(down, 'width')).toBeLessThan(num(right, 'width') / 2)
    expect(num(down, 'height')).toBeGreaterThan(num(right, 'height'))
  })

  it('hides edge labels and the legend on request', () => {
    const g = Graph.trace(lecture)([1, 2])
    const texts = elements(parseXml(Graph.toSvg(g, { edgeGradients: false, legend: false }))).filter((e) => e.name === 'text')
    expect(texts.map((t) => t.text)).not.toContain('3')
    expect(Graph.toDot(g, { edgeGradients: false })).toContain('n2 -> n3;')
  })
})

// ---------------------------------------------------------------------------------------------

const num = (e: XmlElement, a: string): number => {
  const v = Number(e.attributes.get(a))
  expect(Number.isFinite(v), `${e.name}.${a}`).toBe(true)
  return v
}

/** Every box and text anchor lies inside the picture's width and height. */
const insidePicture = (root: XmlElement): void => {
  const w = num(root, 'width')
  const h = num(root, 'height')
  expect(root.attributes.get('viewBox')).toBe(`0 0 ${w} ${h}`)
  for (const e of elements(root)) {
    if (e.name === 'rect' && e.attributes.has('x')) {
      expect(num(e, 'x')).toBeGreaterThanOrEqual(0)
      expect(num(e, 'y')).toBeGreaterThanOrEqual(0)
      expect(num(e, 'x') + num(e, 'width')).toBeLessThanOrEqual(w)
      expect(num(e, 'y') + num(e, 'height')).toBeLessThanOrEqual(h)
    }
    if (e.name === 'text') {
      expect(num(e, 'x')).toBeGreaterThanOrEqual(0)
      expect(num(e, 'x')).toBeLessThanOrEqual(w)
      expect(num(e, 'y')).toBeLessThanOrEqual(h)
    }
  }
}

/**
 * A small DOT checker for what toDot writes: outside quoted strings, braces balance; inside the
 * body every statement is an attribute statement, a node statement or an edge statement ending
 * in `;`; every node is declared once and every edge joins declared nodes.
 */
const checkDot = (dot: string, g: Graph.Graph): void => {
  // split into statements outside quoted strings
  const statements: string[] = []
  let current = ''
  let quoted = false
  let depth = 0
  for (let i = 0; i < dot.length; i++) {
    const c = dot[i]!
    if (quoted) {
      current += c
      if (c === '\\') current += dot[++i] ?? ''
      else if (c === '"') quoted = false
      continue
    }
    if (c === '"') quoted = true
    if (c === '{') depth++
    if (c === '}') depth--
    expect(depth).toBeGreaterThanOrEqual(0)
    current += c
    if (c === ';' || c === '{' || c === '}') {
      statements.push(current.trim())
      current = ''
    }
  }
  expect(quoted).toBe(false)
  expect(depth).toBe(0)
  expect(current.trim()).toBe('')
  expect(statements[0]!.startsWith('digraph ')).toBe(true)
  expect(statements[statements.length - 1]).toBe('}')
  const declared = new Set<string>()
  let edges = 0
  for (const s of statements.slice(1, -1)) {
    expect(s.endsWith(';'), s).toBe(true)
    const head = s.split(' ')[0]!
    if (head === 'rankdir=LR;' || head === 'node' || head === 'edge') continue
    const arrow = s.indexOf(' -> ')
    if (arrow >= 0) {
      const from = s.slice(0, arrow)
      const to = s.slice(arrow + 4).split(/[ ;]/)[0]!
      expect(declared.has(from), `edge from undeclared ${from}`).toBe(true)
      expect(declared.has(to), `edge to undeclared ${to}`).toBe(true)
      edges++
    } else {
      expect(declared.has(head), `node ${head} declared twice`).toBe(false)
      expect(s.slice(head.length).startsWith(' [label="')).toBe(true)
      declared.add(head)
    }
  }
  expect(declared.size).toBe(g.nodes.length)
  expect(edges).toBe(g.edges.length)
}
