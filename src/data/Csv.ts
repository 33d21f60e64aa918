/**
 * Numeric CSV: text to a matrix, or to a labelled {@link Dataset}, with messages that name the
 * file, the row and the column of the first problem. Nothing is returned half-loaded.
 *
 * The format: one example per line (`\n` or `\r\n`), cells separated by a delimiter (default
 * `,`), each cell a decimal number such as `12`, `-0.5` or `1e-3`, optionally surrounded by
 * spaces. Blank lines are skipped; an optional header line is skipped. Quotes, `NaN`,
 * `Infinity` and hexadecimal are not numbers here. Rows are numbered by line, from 1, as an
 * editor shows them.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { chain, left, map, right } from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import type { Bytes } from './Bytes.js'
import { utf8 } from './Bytes.js'
import { gunzipIfNeeded } from './Gzip.js'
import type { Dataset } from './Dataset.js'
import { unsafeDataset } from './Dataset.js'

/**
 * Options of {@link parseCsv} and {@link parseCsvBytes} (and `autodiff-ts/node`'s `loadCsv`).
 *
 * @example
 * ```ts
 * const options: CsvOptions = { name: 'scores.csv', delimiter: ';', header: true }
 * const r = parseCsv('a;b\n1;2\n3;4\n', options)
 * r._tag === 'Right' && r.right.shape // [2, 2]
 * ```
 * @category csv
 */
export interface CsvOptions {
  /** The name used in messages; default `'csv'` for text, the file's base name for a path. */
  readonly name?: string
  /** The cell separator, one or more characters; default `','`. */
  readonly delimiter?: string
  /** Whether the first non-blank line is a header to skip; default `false`. */
  readonly header?: boolean
  /**
   * The most cells (rows × columns) accepted; default {@link DEFAULT_MAX_CELLS} (2^27, 1 GiB of
   * float64). Memory grows with the cells actually read, never with what a first row promises.
   */
  readonly maxCells?: number
}

/**
 * The default limit on the cells of a CSV file: 2^27 (134,217,728 float64, 1 GiB).
 *
 * @example
 * ```ts
 * DEFAULT_MAX_CELLS // 134217728
 * parseCsv('1,2\n3,4\n', { maxCells: 3 }) // left('csv row 2: more than 3 cells (the limit; see the maxCells option)')
 * ```
 * @category csv
 */
export const DEFAULT_MAX_CELLS = 2 ** 27

/**
 * Options of {@link parseLabelledCsv} and {@link parseLabelledCsvBytes} (and `autodiff-ts/node`'s
 * `loadLabelledCsv`).
 *
 * @example
 * ```ts
 * const options: LabelledCsvOptions = { label: 'first', classes: 3 }
 * const r = parseLabelledCsv('2,0.5,1.5\n0,2,3\n', options)
 * r._tag === 'Right' && Array.from(r.right.y) // [2, 0]
 * ```
 * @category csv
 */
export interface LabelledCsvOptions extends CsvOptions {
  /** Which column holds the class label: `'first'`, `'last'` (default) or a 0-based index. */
  readonly label?: 'first' | 'last' | number
  /** The number of classes; labels must lie in `[0, classes)`. Default: the largest label + 1. */
  readonly classes?: number
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57

/**
 * Whether `s` (already trimmed) is a plain decimal number: [+-] digits [. digits] [e [+-] digits].
 * No closures inside: this runs once per cell.
 */
const isDecimal = (s: string): boolean => {
  const n = s.length
  let i = 0
  let c = s.charCodeAt(0)
  if (c === 43 || c === 45) c = s.charCodeAt(++i)
  let digits = 0
  while (i < n && isDigit(c)) (digits++, (c = s.charCodeAt(++i)))
  if (c === 46) {
    c = s.charCodeAt(++i)
    while (i < n && isDigit(c)) (digits++, (c = s.charCodeAt(++i)))
  }
  if (digits === 0) return false
  if (c === 101 || c === 69) {
    c = s.charCodeAt(++i)
    if (c === 43 || c === 45) c = s.charCodeAt(++i)
    if (!(i < n && isDigit(c))) return false
    while (i < n && isDigit(c)) c = s.charCodeAt(++i)
  }
  return i === n
}

const show = (cell: string): string => JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}...` : cell)

interface Parsed {
  readonly rows: number
  readonly cols: number
  readonly cells: Float64Array
  /** Line number (1-based) of each row, for messages after parsing. */
  readonly lines: Int32Array
}

const parseCells = (text: string, options: CsvOptions): Either<string, Parsed> => {
  const name = options.name ?? 'csv'
  const delimiter = options.delimiter ?? ','
  if (delimiter.length === 0) return left(`${name}: the delimiter must not be empty`)
  const maxCells = options.maxCells ?? DEFAULT_MAX_CELLS
  if (!(Number.isSafeInteger(maxCells) && maxCells > 0)) return left(`${name}: maxCells must be a positive integer, found ${maxCells}`)
  const lines = text.split('\n')
  let cols = -1
  let rows = 0
  // grown by doubling as rows arrive: memory follows the cells read, not the number of lines
  let cells = new Float64Array(0)
  const lineOf = new Int32Array(lines.length)
  let skipHeader = options.header === true
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li]!
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.trim() === '') continue
    if (skipHeader) {
      skipHeader = false
      continue
    }
    const parts = line.split(delimiter)
    if (cols < 0) cols = parts.length
    else if (parts.length !== cols) return left(`${name} row ${li + 1}: expected ${cols} cells, found ${parts.length}`)
    const need = (rows + 1) * cols
    if (need > maxCells) return left(`${name} row ${li + 1}: more than ${maxCells} cells (the limit; see the maxCells option)`)
    if (need > cells.length) {
      const grown = new Float64Array(Math.min(maxCells, Math.max(need, 2 * cells.length, 1024)))
      grown.set(cells)
      cells = grown
    }
    for (let j = 0; j < cols; j++) {
      const cell = parts[j]!.trim()
      if (!isDecimal(cell))
        return left(`${name} row ${li + 1}, column ${j + 1}: expected a number, found ${show(parts[j]!)}`)
      const v = Number(cell)
      if (!Number.isFinite(v))
        return left(`${name} row ${li + 1}, column ${j + 1}: ${show(cell)} is too large for a float64`)
      cells[rows * cols + j] = v
    }
    lineOf[rows] = li + 1
    rows++
  }
  if (rows === 0) return left(`${name}: no data rows`)
  return right({ rows, cols, cells: cells.slice(0, rows * cols), lines: lineOf.slice(0, rows) })
}

/**
 * Parses numeric CSV text into a matrix of shape `[rows, columns]`. The Left names the first
 * problem: `digits.csv row 17: expected 65 cells, found 64`, `data.csv row 3, column 2: expected
 * a number, found "abc"`, or `csv: no data rows`.
 *
 * @example
 * ```ts
 * parseCsv('1,2\n3,4\n') // right(tensor [[1, 2], [3, 4]])
 * parseCsv('1,2\n3\n', { name: 'a.csv' }) // left('a.csv row 2: expected 2 cells, found 1')
 * ```
 * @category csv
 */
export const parseCsv = (text: string, options: CsvOptions = {}): Either<string, Tensor> =>
  pipe(
    parseCells(text, options),
    map((p) => wrap([p.rows, p.cols], p.cells)),
  )

const labelColumn = (label: LabelledCsvOptions['label'], cols: number, name: string): Either<string, number> => {
  const c = label === undefined || label === 'last' ? cols - 1 : label === 'first' ? 0 : label
  if (!Number.isInteger(c) || c < 0 || c >= cols)
    return left(`${name}: label column ${String(label)} is out of range for ${cols} columns (0-based)`)
  if (cols < 2) return left(`${name}: expected at least 2 columns (features and a label), found ${cols}`)
  return right(c)
}

/**
 * Parses numeric CSV text with a label column into a {@link Dataset}: `x` holds the other
 * columns, in order, and `y` the labels, which must be integers in `[0, classes)`. Errors read
 * like `digits.csv row 4, column 65: label 12 is out of range 0..9`.
 *
 * @example
 * ```ts
 * parseLabelledCsv('0.5,1.5,1\n2,3,0\n', { classes: 2 }) // right({ x: [[0.5, 1.5], [2, 3]], y: [1, 0], classes: 2 })
 * ```
 * @category csv
 */
export const parseLabelledCsv = (text: string, options: LabelledCsvOptions = {}): Either<string, Dataset> => {
  const name = options.name ?? 'csv'
  const { classes } = options
  if (classes !== undefined && (!Number.isSafeInteger(classes) || classes < 1))
    return left(`${name}: the number of classes must be a positive integer, found ${classes}`)
  return pipe(
    parseCells(text, options),
    chain((p) =>
      pipe(
        labelColumn(options.label, p.cols, name),
        chain((lc): Either<string, Dataset> => {
          const f = p.cols - 1
          const x = new Float64Array(p.rows * f)
          const y = new Int32Array(p.rows)
          let max = 0
          for (let r = 0; r < p.rows; r++) {
            const v = p.cells[r * p.cols + lc]!
            const where = `${name} row ${p.lines[r]}, column ${lc + 1}`
            if (!Number.isInteger(v) || v < 0)
              return left(`${where}: expected a label that is a non-negative integer, found ${v}`)
            if (classes !== undefined && v >= classes)
              return left(`${where}: label ${v} is out of range 0..${classes - 1}`)
            if (v > 2147483647) return left(`${where}: label ${v} is too large`)
            y[r] = v
            if (v > max) max = v
            for (let j = 0, k = 0; j < p.cols; j++) if (j !== lc) x[r * f + k++] = p.cells[r * p.cols + j]!
          }
          return right(unsafeDataset(wrap([p.rows, f], x), y, classes ?? max + 1))
        }),
      ),
    ),
  )
}

/**
 * Decodes the bytes of a numeric CSV file (gzip-compressed or plain, detected by its first
 * bytes; UTF-8 text) into a matrix, as {@link parseCsv}. `options.name` names the file in
 * messages (default `'csv'`); `autodiff-ts/node`'s `loadCsv` reads a file and calls this.
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 *
 * const r = Data.parseCsvBytes(new TextEncoder().encode('1,2\n3,4\n'))
 * r._tag === 'Right' && r.right.shape // [2, 2]
 * ```
 * @category csv
 */
export const parseCsvBytes = (bytes: Bytes, options: CsvOptions = {}): Either<string, Tensor> => {
  const name = options.name ?? 'csv'
  return pipe(
    gunzipIfNeeded(bytes, name),
    chain((b) => utf8(b, name)),
    chain((t) => parseCsv(t, { ...options, name })),
  )
}

/**
 * Decodes the bytes of a numeric CSV file with a label column (gzip-compressed or plain) into a
 * {@link Dataset}, as {@link parseLabelledCsv}; `autodiff-ts/node`'s `loadLabelledCsv` reads a
 * file and calls this.
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 *
 * const r = Data.parseLabelledCsvBytes(new TextEncoder().encode('0.5,1\n0.25,0\n'), { classes: 2 })
 * r._tag === 'Right' && r.right.y // [1, 0]
 * ```
 * @category csv
 */
export const parseLabelledCsvBytes = (bytes: Bytes, options: LabelledCsvOptions = {}): Either<string, Dataset> => {
  const name = options.name ?? 'csv'
  return pipe(
    gunzipIfNeeded(bytes, name),
    chain((b) => utf8(b, name)),
    chain((t) => parseLabelledCsv(t, { ...options, name })),
  )
}
