/**
 * Yielding to the event loop: a promise that settles after the engine has had the chance to run
 * whatever else is waiting (input, rendering, I/O, timers), with the cheapest mechanism the
 * engine has. `setTimeout(0)` is the last resort: browsers clamp nested timeouts to 4 ms.
 *
 * @internal
 * @packageDocumentation
 */

/** A way to yield to the event loop. */
export type Pause = () => Promise<void>

interface Scheduling {
  readonly scheduler?: { readonly yield?: () => Promise<void> }
  readonly setImmediate?: (f: () => void) => unknown
  readonly MessageChannel?: new () => {
    readonly port1: { onmessage: (() => void) | null; close: () => void }
    readonly port2: { postMessage: (m: unknown) => void; close: () => void }
  }
  readonly setTimeout: (f: () => void, ms: number) => unknown
}

const g = globalThis as unknown as Scheduling

/** The mechanisms, by name, where the engine has them (for measuring them side by side). */
export const pauses: { readonly [name: string]: Pause | undefined } = {
  schedulerYield: g.scheduler?.yield === undefined ? undefined : () => g.scheduler!.yield!(),
  setImmediate: g.setImmediate === undefined ? undefined : () => new Promise<void>((resolve) => void g.setImmediate!(resolve)),
  messageChannel:
    g.MessageChannel === undefined
      ? undefined
      : () =>
          new Promise<void>((resolve) => {
            const { port1, port2 } = new g.MessageChannel!()
            port1.onmessage = () => {
              port1.close()
              port2.close()
              resolve()
            }
            port2.postMessage(null)
          }),
  setTimeout: () => new Promise<void>((resolve) => void g.setTimeout(resolve, 0)),
}

/**
 * The cheapest mechanism present: `scheduler.yield` (browsers that have it: it also keeps the
 * task's priority), then `setImmediate` (Node), then a `MessageChannel` message (browsers,
 * workers), then `setTimeout(0)`.
 */
export const pause: Pause = pauses['schedulerYield'] ?? pauses['setImmediate'] ?? pauses['messageChannel'] ?? pauses['setTimeout']!
