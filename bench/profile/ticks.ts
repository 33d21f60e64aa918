/**
 * CPU ticks (1/100 s, user + system) of each thread of this process, from Linux's
 * `/proc/self/task`, keyed by thread id, for the profiles that split a run's CPU between the main
 * thread, the kernel worker and V8's background threads.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Ticks of every thread of this process now. */
export const ticks = (): Map<string, number> =>
  new Map(readdirSync('/proc/self/task').map((tid) => {
    const s = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ')
    return [tid, Number(f[11]) + Number(f[12])] as const
  }))

/** The kernel worker's thread id: the thread started last (V8's platform threads start with the process). */
export const newestThread = (): string => [...ticks().keys()].map(Number).sort((a, b) => b - a)[0]!.toString()
