/**
 * The ONNX operators an export writes, as functions of value names: `o.add(x, o.c(1))` records an
 * `Add` node under the current prefix and returns its output's name. Formulas written with them
 * (the activations, erfc) read like the number code they mirror.
 *
 * @packageDocumentation
 */
import type { Attr, Builder } from './graph.js'

/** Operators on value names, recording into one builder under one name prefix. */
export interface Ops {
  readonly builder: Builder
  readonly prefix: string
  /** A scalar constant. */
  readonly c: (v: number) => string
  readonly add: (a: string, b: string) => string
  readonly sub: (a: string, b: string) => string
  readonly mul: (a: string, b: string) => string
  readonly div: (a: string, b: string) => string
  readonly neg: (a: string) => string
  readonly abs: (a: string) => string
  readonly exp: (a: string) => string
  readonly log: (a: string) => string
  readonly max: (a: string, b: string) => string
  readonly min: (a: string, b: string) => string
  readonly greater: (a: string, b: string) => string
  readonly less: (a: string, b: string) => string
  readonly lessOrEqual: (a: string, b: string) => string
  readonly equal: (a: string, b: string) => string
  readonly where: (cond: string, a: string, b: string) => string
  /** Any other operator with one output. */
  readonly op: (op: string, inputs: readonly string[], attrs?: readonly Attr[]) => string
}

/** The operators recording into `builder` with node names under `prefix`. */
export const ops = (builder: Builder, prefix: string): Ops => {
  const op = (name: string, inputs: readonly string[], attrs: readonly Attr[] = []): string => builder.node(prefix, name, inputs, attrs)
  const binary = (name: string) => (a: string, b: string) => op(name, [a, b])
  const unary = (name: string) => (a: string) => op(name, [a])
  return {
    builder,
    prefix,
    c: (v) => builder.scalar(v),
    add: binary('Add'),
    sub: binary('Sub'),
    mul: binary('Mul'),
    div: binary('Div'),
    neg: unary('Neg'),
    abs: unary('Abs'),
    exp: unary('Exp'),
    log: unary('Log'),
    max: binary('Max'),
    min: binary('Min'),
    greater: binary('Greater'),
    less: binary('Less'),
    lessOrEqual: binary('LessOrEqual'),
    equal: binary('Equal'),
    where: (cond, a, b) => op('Where', [cond, a, b]),
    op,
  }
}

/** `c[0] + z c[1] + z^2 c[2] + ...` by Horner's rule, as Special.ts evaluates it. */
export const horner = (o: Ops, c: readonly number[], z: string): string => {
  let r = o.c(c[c.length - 1]!)
  for (let i = c.length - 2; i >= 0; i--) r = o.add(o.mul(r, z), o.c(c[i]!))
  return r
}
