import { afterAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { parseCsv, parseLabelledCsv } from '../src/data/Csv.js'
import { loadCsv, loadLabelledCsv } from '../src/node/index.js'
import { scalarValue } from '../laws/index.js'
import { ok, err } from './either.js'

const bits = (xs: ArrayLike<number>): Uint8Array => new Uint8Array(Float64Array.from(xs).buffer)

const dir = mkdtempSync(join(tmpdir(), 'autodiff-csv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('parseCsv', () => {
  it('reads a matrix, with \\r\\n, blank lines, spaces and a header', () => {
    const t = ok(parseCsv('a,b\r\n1, 2.5\r\n\r\n -3 ,4e2\r\n', { header: true }))
    expect(t.shape).toEqual([2, 2])
    expect(Array.from(t.data)).toEqual([1, 2.5, -3, 400])
    expect(ok(parseCsv('1;2\n3;4', { delimiter: ';' })).shape).toEqual([2, 2])
    expect(ok(parseCsv('7')).shape).toEqual([1, 1])
  })

  it('names the row of a ragged line', () => {
    expect(err(parseCsv('1,2,3\n4,5,6\n7,8\n', { name: 'a.csv' }))).toBe('a.csv row 3: expected 3 cells, found 2')
    expect(err(parseCsv('1,2\n\n3,4,5\n'))).toBe('csv row 3: expected 2 cells, found 3')
  })

  it('names the row and column of a cell that is not a number', () => {
    expect(err(parseCsv('1,2\n3,abc\n', { name: 'a.csv' }))).toBe('a.csv row 2, column 2: expected a number, found "abc"')
    expect(err(parseCsv('1,,2'))).toBe('csv row 1, column 2: expected a number, found ""')
    for (const bad of ['NaN', 'Infinity', '0x10', '1e', '.', '-', '1.2.3', '"1"', '1 2', '+-1', 'e5'])
      expect(err(parseCsv(`0,${bad}`))).toBe(`csv row 1, column 2: expected a number, found ${JSON.stringify(bad)}`)
    expect(err(parseCsv('1e400'))).toBe('csv row 1, column 1: "1e400" is too large for a float64')
  })

  it('accepts every decimal form JavaScript prints', () => {
    expect(Array.from(ok(parseCsv('.5,5.,+1,-0,1E+3,1e-7,5e-324')).data)).toEqual([0.5, 5, 1, -0, 1000, 1e-7, 5e-324])
  })

  it('rejects text without data rows and an empty delimiter', () => {
    expect(err(parseCsv('', { name: 'e.csv' }))).toBe('e.csv: no data rows')
    expect(err(parseCsv('x,y\n', { header: true }))).toBe('csv: no data rows')
    expect(err(parseCsv('1', { delimiter: '' }))).toBe('csv: the delimiter must not be empty')
  })

  it('round-trips any finite matrix bit for bit through the text JavaScript prints', () => {
    // every finite double (fc.double: mostly tiny or huge), and ordinary magnitudes spread evenly (many-digit decimals)
    const cell = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), scalarValue({ min: -1e3, max: 1e3 }))
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.infiniteStream(cell), (r, c, s) => {
        const values = [...s.take(r * c)]
        const text = Array.from({ length: r }, (_, i) =>
          values.slice(i * c, i * c + c).map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(','),
        ).join('\n')
        const t = ok(parseCsv(text))
        expect(t.shape).toEqual([r, c])
        expect(bits(t.data)).toEqual(bits(values))
      }),
    )
  })
})

describe('parseLabelledCsv', () => {
  it('splits off the label column, last by default', () => {
    const d = ok(parseLabelledCsv('0.5,1.5,1\n2,3,0\n'))
    expect(d.x.shape).toEqual([2, 2])
    expect(Array.from(d.x.data)).toEqual([0.5, 1.5, 2, 3])
    expect(Array.from(d.y)).toEqual([1, 0])
    expect(d.classes).toBe(2)
  })

  it('takes the label from the first or any column, keeping the others in order', () => {
    const first = ok(parseLabelledCsv('2,10,20\n0,30,40\n', { label: 'first', classes: 3 }))
    expect(Array.from(first.y)).toEqual([2, 0])
    expect(Array.from(first.x.data)).toEqual([10, 20, 30, 40])
    expect(first.classes).toBe(3)
    const mid = ok(parseLabelledCsv('10,1,20\n30,0,40\n', { label: 1 }))
    expect(Array.from(mid.y)).toEqual([1, 0])
    expect(Array.from(mid.x.data)).toEqual([10, 20, 30, 40])
  })

  it('names the row and column of a label out of range or not an integer', () => {
    const text = '1,2,3\n1,2,9\n1,2,0\n1,2,12\n'
    expect(err(parseLabelledCsv(text, { name: 'digits.csv', classes: 10 }))).toBe(
      'digits.csv row 4, column 3: label 12 is out of range 0..9',
    )
    expect(err(parseLabelledCsv('1,2.5\n', { name: 'a.csv' }))).toBe(
      'a.csv row 1, column 2: expected a label that is a non-negative integer, found 2.5',
    )
    expect(err(parseLabelledCsv('1,-1\n'))).toBe('csv row 1, column 2: expected a label that is a non-negative integer, found -1')
  })

  it('rejects a label column that does not exist and bad class counts', () => {
    expect(err(parseLabelledCsv('1,2\n', { label: 5 }))).toBe('csv: label column 5 is out of range for 2 columns (0-based)')
    expect(err(parseLabelledCsv('1\n2\n'))).toBe('csv: expected at least 2 columns (features and a label), found 1')
    expect(err(parseLabelledCsv('1,2\n', { classes: 0 }))).toBe('csv: the number of classes must be a positive integer, found 0')
  })
})

describe('loadCsv and loadLabelledCsv', () => {
  const text = '1,2,0\n3,4,1\n5,6,1\n'
  const plain = join(dir, 'small.csv')
  const gz = join(dir, 'small.csv.gz')
  writeFileSync(plain, text)
  writeFileSync(gz, gzipSync(text))

  it('read plain and gzip files alike', () => {
    for (const p of [plain, gz]) {
      const d = ok(loadLabelledCsv(p))
      expect(d.x.shape).toEqual([3, 2])
      expect(Array.from(d.y)).toEqual([0, 1, 1])
      expect(ok(loadCsv(p)).shape).toEqual([3, 3])
    }
  })

  it('name the file in messages', () => {
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, '1,2\n3\n')
    expect(err(loadCsv(bad))).toBe('bad.csv row 2: expected 2 cells, found 1')
    expect(err(loadCsv(join(dir, 'missing.csv')))).toMatch(/^missing\.csv: cannot read .*missing\.csv \(ENOENT/)
  })

  it('report a truncated gzip file, whatever the cut', () => {
    const bytes = gzipSync(text)
    const cut = join(dir, 'cut.csv.gz')
    for (let n = 2; n < bytes.length; n++) {
      writeFileSync(cut, bytes.subarray(0, n))
      expect(err(loadCsv(cut))).toMatch(/^cut\.csv\.gz: gzip data is corrupt or truncated \(/)
    }
  })

  it('report invalid UTF-8', () => {
    const bin = join(dir, 'bin.csv')
    writeFileSync(bin, Uint8Array.of(0x31, 0xff, 0x32))
    expect(err(loadCsv(bin))).toBe('bin.csv: the file is not valid UTF-8 text')
  })
})

describe('fuzzing the CSV parsers: they return, never throw', () => {
  const valid = '0,0,5,13,9,1,3\n0,0,13,15,10,15,5\n1,2,3,4,5,6,0\n'
  const check = (text: string): void => {
    for (const r of [parseCsv(text, { name: 'f.csv' }), parseLabelledCsv(text, { name: 'f.csv', classes: 10 })])
      if (r._tag === 'Left') expect(r.left).toMatch(/^f\.csv[: ]/)
  }

  it('on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 2000 })
    fc.assert(fc.property(fc.stringMatching(/^[0-9,.\-+eE \n\r]{0,120}$/), check), { numRuns: 2000 })
  })

  it('on truncations of a valid file', () => {
    for (let n = 0; n <= valid.length; n++) check(valid.slice(0, n))
    // a cut inside a row (not at a line end) leaves a ragged row, except a cut inside the last
    // number of the last row, which CSV cannot tell from a shorter number
    expect(err(parseCsv(valid.slice(0, 20), { name: 'f.csv' }))).toBe('f.csv row 2: expected 7 cells, found 3')
  })

  it('on random mutations of a valid file', () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }))
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        let t = valid
        for (const [at, op, s] of edits) {
          const i = at % (t.length + 1)
          t = op === 'insert' ? t.slice(0, i) + s + t.slice(i) : op === 'delete' ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + s + t.slice(i + 1)
        }
        check(t)
      }),
      { numRuns: 2000 },
    )
  })
})
