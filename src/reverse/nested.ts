/**
 * The nested tape: reverse mode for a gradient call whose function uses variables of an
 * enclosing call (tagged tapes). Its values are values of the enclosing call's instance `Fo`, so
 * every value, local partial and cotangent it computes is itself recorded by the enclosing call:
 * the inner gradient is differentiable in the outer variables, and reverse over reverse is exact
 * (`d/dx (x * d/dy (x * y)) = 2x`). A variable of the enclosing call met here is a constant of
 * this call, whose value is that variable.
 *
 * Nodes are plain arrays here: nesting is rare, and its cost is the enclosing call's anyway.
 *
 * @packageDocumentation
 */
import type { Floating } from '../Floating.js'
import { binaryRules, elementaryOps, unaryRules } from '../Rule.js'
import { ADD, BINARY, CONST, enter, isOuter, leave, MUL, NEG, NestedVar, refuse, SUB, TapeVar, UNARY } from './calls.js'

/** A nested tape: per node its kind, parents, value and local partials (values of `Fo`). */
export interface Nested<S> {
  readonly Fo: Floating<S>
  readonly tag: number
  readonly kind: number[]
  readonly pa: number[]
  readonly pb: number[]
  readonly val: S[]
  readonly da: (S | undefined)[]
  readonly db: (S | undefined)[]
}

const push = <S>(t: Nested<S>, k: number, v: S, a: number, b: number, ga?: S, gb?: S): NestedVar => {
  const i = t.kind.length
  t.kind.push(k)
  t.pa.push(a)
  t.pb.push(b)
  t.val.push(v)
  t.da.push(ga)
  t.db.push(gb)
  return new NestedVar(t.tag, i, v, t.Fo.primal(v))
}

/** `u` as a variable of the nested tape `t`: itself, or a constant node for a number or a variable of an enclosing call. */
const lift = <S>(t: Nested<S>, where: string, u: unknown): NestedVar => {
  if (u instanceof NestedVar && u.t === t.tag) return u
  if (typeof u === 'number' || isOuter(u, t.tag)) return push(t, CONST, u as S, 0, 0)
  throw refuse(where, u, t.tag, false)
}

/** The `Floating` instance of the nested tape `t`: each value computed by `Fo`, each partial by its rule in `Fo`. */
const instance = <S>(t: Nested<S>): Floating<NestedVar> => {
  const { Fo } = t
  const at = (name: string, u: unknown): NestedVar => lift(t, `Reverse mode, ${name}`, u)
  const v = (x: NestedVar): S => x.v as S
  const unary = (name: keyof typeof unaryRules) => (x0: NestedVar) => {
    const x = at(name, x0)
    const y = Fo[name](v(x))
    return push(t, UNARY, y, x.i, 0, unaryRules[name].d(Fo, v(x), y))
  }
  const binary = (name: keyof typeof binaryRules) => (x0: NestedVar, y0: NestedVar) => {
    const x = at(name, x0)
    const y = at(name, y0)
    const z = Fo[name](v(x), v(y))
    const { dx, dy } = binaryRules[name]
    return push(t, BINARY, z, x.i, y.i, dx(Fo, v(x), v(y), z), dy(Fo, v(x), v(y), z))
  }
  const arithmetic = (name: 'add' | 'sub' | 'mul', k: number) => (x0: NestedVar, y0: NestedVar) => {
    const x = at(name, x0)
    const y = at(name, y0)
    return push(t, k, Fo[name](v(x), v(y)), x.i, y.i)
  }
  return {
    zero: 0 as unknown as NestedVar,
    one: 1 as unknown as NestedVar,
    degree: () => 1,
    of: (n) => n as unknown as NestedVar,
    primal: (x: unknown) => (x instanceof NestedVar ? x.p : x instanceof TapeVar ? x.v : typeof x === 'number' ? x : at('primal', x).p),
    add: arithmetic('add', ADD),
    sub: arithmetic('sub', SUB),
    mul: arithmetic('mul', MUL),
    neg: (x0) => {
      const x = at('neg', x0)
      return push(t, NEG, Fo.neg(v(x)), x.i, 0)
    },
    ...elementaryOps(unary, binary),
  }
}

/**
 * Run `body` on a nested tape over `Fo` (the enclosing call's instance), as a call of its own:
 * the inputs `xs` (numbers or values of `Fo`) become its first nodes.
 */
export const withNested = <S, R>(
  Fo: Floating<S>,
  xs: readonly unknown[],
  body: (F: Floating<NestedVar>, vars: NestedVar[], t: Nested<S>) => R,
): R => {
  const t: Nested<S> = { Fo, tag: 0, kind: [], pa: [], pb: [], val: [], da: [], db: [] }
  const F = instance(t)
  ;(t as { tag: number }).tag = enter(F as Floating<unknown>)
  try {
    return body(F, xs.map((x, i) => lift(t, `Reverse mode, input ${i}`, x)), t)
  } finally {
    leave()
  }
}

/** The node of a result on `t`, or `undefined` for a constant (a number or a value of an enclosing call). */
export const nestedResult = <S>(t: Nested<S>, where: string, y: unknown): number | undefined =>
  typeof y === 'number' || isOuter(y, t.tag) ? undefined : lift(t, where, y).i

/**
 * The cotangents (values of `Fo`) of the nodes of `t`, seeded with `seeds[i]` at `outs[i]`, by
 * one backward loop computed in `Fo`, so that the enclosing call records it. A node no cotangent
 * reaches is skipped.
 */
export const nestedSweep = <S>(t: Nested<S>, outs: readonly number[], seeds: readonly unknown[]): (S | undefined)[] => {
  const { Fo, kind, pa, pb, val, da, db } = t
  const g: (S | undefined)[] = []
  const send = (k: number, c: S): void => {
    const old = g[k]
    g[k] = old === undefined ? c : Fo.add(old, c)
  }
  let last = -1
  outs.forEach((o, i) => {
    send(o, seeds[i] as S)
    last = Math.max(last, o)
  })
  for (let j = last; j >= 0; j--) {
    const gi = g[j]
    if (gi === undefined) continue
    const a = pa[j]!
    const b = pb[j]!
    switch (kind[j]) {
      case ADD:
        send(a, gi)
        send(b, gi)
        break
      case SUB:
        send(a, gi)
        send(b, Fo.neg(gi))
        break
      case MUL:
        send(a, Fo.mul(gi, val[b]!))
        send(b, Fo.mul(gi, val[a]!))
        break
      case NEG:
        send(a, Fo.neg(gi))
        break
      case UNARY:
        send(a, Fo.mul(gi, da[j]!))
        break
      case BINARY:
        send(a, Fo.mul(gi, da[j]!))
        send(b, Fo.mul(gi, db[j]!))
        break
    }
  }
  return g
}
