/**
 * The benchmark harness: each suite times its subject and a baseline side by side in one
 * process, and reports medians of several runs and their ratio. Shared machines are noisy, so
 * a figure is never a single absolute time.
 */

/** One measured figure, as printed and written to `bench/results/latest.json`. */
export interface Figure {
  readonly name: string
  readonly value: number
  readonly unit: string
  /** The target, in words, e.g. ">= 0.9". */
  readonly target?: string
  readonly pass?: boolean
}

/** A named group of figures. */
export interface Suite {
  readonly name: string
  readonly run: () => Promise<readonly Figure[]> | readonly Figure[]
}

/** The median of a non-empty list. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/**
 * What a sample measures: wall-clock time, or the process's CPU time (user + system). On a
 * machine shared with other busy processes, wall time measures the scheduler as much as the code;
 * CPU time much less.
 */
export type Clock = 'wall' | 'cpu'

const clocks: Readonly<Record<Clock, () => number>> = {
  wall: () => performance.now(),
  cpu: () => {
    const c = process.cpuUsage()
    return (c.user + c.system) / 1000
  },
}

/** Milliseconds per call of `fn`, one sample: repeats `fn` until `minMs` has passed on `clock`. */
export const sample = (fn: () => unknown, minMs = 50, clock: Clock = 'wall'): number => {
  const now = clocks[clock]
  let n = 0
  const t0 = now()
  let t = t0
  do {
    fn()
    n++
    t = now()
  } while (t - t0 < minMs)
  return (t - t0) / n
}

/**
 * Times several functions side by side: `rounds` rounds, each sampling every function once in
 * turn (so a noisy spell hits all of them), after a warm-up. Returns the median ms per call of
 * each, on the given clock.
 */
export const compare = <K extends string>(
  fns: Readonly<Record<K, () => unknown>>,
  {
    rounds = 7,
    minMs = 50,
    clock = 'wall',
  }: { readonly rounds?: number; readonly minMs?: number; readonly clock?: Clock } = {},
): Record<K, number> => {
  const keys = Object.keys(fns) as K[]
  for (const k of keys) sample(fns[k], minMs, clock)
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>
  for (let r = 0; r < rounds; r++) for (const k of keys) samples[k].push(sample(fns[k], minMs, clock))
  return Object.fromEntries(keys.map((k) => [k, median(samples[k])])) as Record<K, number>
}

/** A ratio figure with its target (`>=` or `<=` a bound). */
export const ratio = (name: string, value: number, op: '>=' | '<=', bound: number): Figure => ({
  name,
  value,
  unit: 'x',
  target: `${op} ${bound}`,
  pass: op === '>=' ? value >= bound : value <= bound,
})

/**
 * A deterministic stream of doubles spread evenly over `[low, high)` (a 32-bit linear
 * congruential generator): the same inputs in every run, without touching the library's `Random`.
 */
export const lcg = (seed: number, low = -1, high = 1): (() => number) => {
  let s = seed >>> 0
  return () => low + ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296) * (high - low)
}
