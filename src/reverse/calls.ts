/**
 * The gradient calls in progress, and how a value met by reverse mode is classified: a number, a
 * variable of the current call, a variable of an enclosing call (nesting), a variable of a call
 * that has ended, or something else. Shared by the flat tape (`tape.ts`) and the nested one
 * (`nested.ts`).
 *
 * @packageDocumentation
 */
import type { Floating } from '../Floating.js'

/**
 * A reverse-mode variable: a node of the tape of one gradient call. Opaque on purpose; the
 * operations of the `Floating` instance a gradient call hands to the function make and take them.
 *
 * @category model
 */
export type Var = {
  /** The brand that keeps other values from being used as variables. */
  readonly Var: unique symbol
}

/**
 * The kinds of node, the same on both tapes. The arithmetic nodes store no partials: the sweep applies their rules from
 * Rule.ts directly (add passes the cotangent through unchanged, mul sends each input the
 * cotangent times the other input's value), which halves the memory a node takes. The other
 * primitives store their local partials, computed by their rules.
 */
export const CONST = 0
export const ADD = 1
export const SUB = 2
export const MUL = 3
export const NEG = 4
/** One parent, partial in `da`. */
export const UNARY = 5
/** Two parents, partials in `da` and `db`. */
export const BINARY = 6

/** A variable of a flat tape: its call's tag, its node and its value. */
export class TapeVar {
  constructor(
    readonly t: number,
    readonly i: number,
    readonly v: number,
  ) {}
}

/** A variable of a nested tape: its call's tag, its node, its value (of the enclosing call's kind) and that value's primal. */
export class NestedVar {
  constructor(
    readonly t: number,
    readonly i: number,
    readonly v: unknown,
    readonly p: number,
  ) {}
}

/** One gradient call in progress: its tag and the instance its function was handed. */
interface Call {
  readonly tag: number
  readonly F: Floating<unknown>
}

/** The calls in progress, the innermost last. */
const calls: Call[] = []
let nextTag = 1

/** Start a call: a fresh tag, never used before, for its variables. */
export const enter = (F: Floating<unknown>): number => {
  const tag = nextTag++
  calls.push({ tag, F })
  return tag
}

/** End the innermost call. */
export const leave = (): void => {
  calls.pop()
}

/** The instance of the innermost call in progress (the one a nested call computes in). */
export const innermost = (): Floating<unknown> | undefined => calls[calls.length - 1]?.F

const isLive = (tag: number): boolean => {
  for (let k = calls.length - 1; k >= 0; k--) if (calls[k]!.tag === tag) return true
  return false
}

/**
 * Thrown when the flat tape of the current call meets a variable of an enclosing call: the call
 * restarts on a nested tape (see `nested.ts`), whose values are the enclosing call's.
 */
export class NestSignal extends Error {
  constructor(readonly tag: number) {
    super('reverse mode: a variable of an enclosing gradient call (restarting this call nested)')
  }
}

/** How a value reads, for messages. */
export const describe = (u: unknown): string =>
  u === undefined
    ? 'undefined'
    : u === null
      ? 'null'
      : Array.isArray(u)
        ? `an array of length ${u.length}`
        : typeof u === 'string'
          ? `the string ${JSON.stringify(u.length > 20 ? `${u.slice(0, 20)}...` : u)}`
          : typeof u === 'object'
            ? 'an object that is not a variable'
            : typeof u

/** A variable (of either tape) of any call. */
export const isVar = (u: unknown): u is TapeVar | NestedVar => u instanceof TapeVar || u instanceof NestedVar

/**
 * The error for a value that the call tagged `tag` cannot use at `where`: a variable of an
 * enclosing call (the `NestSignal`, when `nest` is set), of a call that has ended, or something
 * that is not a number or a variable at all. `where` starts the message (`Reverse mode, mul`).
 */
export const refuse = (where: string, u: unknown, tag: number, nest: boolean): Error => {
  if (isVar(u)) {
    if (u.t !== tag && isLive(u.t)) return nest ? new NestSignal(tag) : new Error(`${where}: internal: a live variable refused`)
    return new Error(
      `${where}: a variable of a gradient call that has ended; variables live only during their call ` +
        '(to keep a value, return it or read it with F.primal)',
    )
  }
  return new TypeError(`${where}: expected a number or a variable of this gradient call, found ${describe(u)}`)
}

/** Whether `u` is a variable of a call in progress other than `tag` (a value of an enclosing call). */
export const isOuter = (u: unknown, tag: number): boolean => isVar(u) && u.t !== tag && isLive(u.t)
