/**
 * Where the fresh typed arrays of issue 11's two training steps come from (the program step,
 * `Program.valueAndGrad` then the optimizer's update, and the combinator step, `Train.trainStep`):
 * bytes and number of typed arrays constructed per step, by the caller's frames:
 * `tsx bench/profile/program-alloc.ts [program|combinator]`.
 */
const { countFresh } = await import('./fresh-arrays.js')
const { steps } = await import('./program-steps.js')
const mode = (process.argv[2] ?? 'program') as keyof ReturnType<typeof steps>
countFresh(mode, steps()[mode], { reps: 20, top: 40 })
