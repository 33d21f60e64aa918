/**
 * How busy the rest of the machine was while a measurement ran: CPU time of every other process,
 * from `/proc/stat` (all CPUs' busy jiffies) minus this process's own CPU time. On Linux,
 * `nice` applies only within a session's autogroup (`/proc/sys/kernel/sched_autogroup_enabled`),
 * so a nice-19 build in another session takes a core from a nice -10 measurement as an equal; a
 * two-thread figure is only meaningful when this is near zero. Undefined where /proc is missing.
 */
import { readFileSync } from 'node:fs'

const busyMs = (): number | undefined => {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait (USER_HZ = 100)
    return (cpu.reduce((a, b) => a + b, 0) - cpu[3]! - cpu[4]!) * 10
  } catch {
    return undefined
  }
}
const ownMs = (): number => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1000
}

/** Starts counting; the returned function gives the CPU ms other processes used since, per second of wall time. */
export const foreignCpu = (): (() => number | undefined) => {
  const [b0, o0, t0] = [busyMs(), ownMs(), performance.now()]
  return () => {
    const b1 = busyMs()
    return b0 === undefined || b1 === undefined ? undefined : ((b1 - b0 - (ownMs() - o0)) / (performance.now() - t0)) * 1000
  }
}
