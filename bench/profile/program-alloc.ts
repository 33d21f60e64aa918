/**
 * Where the fresh typed arrays of issue 11's two training steps come from (the program step,
 * `Program.valueAndGrad` then the optimizer's update, and the combinator step, `Train.trainStep`):
 * bytes and number of typed arrays constructed per step, by the caller's frames:
 * `tsx bench/profile/program-alloc.ts [program|trainStep|valueAndGrad|combinator]`.
 *
 * Measured (2 threads): the program step with the ordinary update made 2,323 KiB in 42.8 arrays a
 * step (the new parameters 794, the bias adds 149); with the update writing over
 * its gradients (then `Optimizer.donateGrads`, now `Program.trainStep`) 1,518 in 38; the combinator step 1,339 in 16 (its dense layers add the
 * bias over their products, and its softmax cross-entropy is one kernel).
 */
const { countFresh } = await import('./fresh-arrays.js')
const { steps } = await import('./program-steps.js')
const mode = (process.argv[2] ?? 'program') as keyof ReturnType<typeof steps>
countFresh(mode, steps()[mode], { reps: 20, top: 40 })
