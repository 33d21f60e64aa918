/**
 * Where a W1 training step's fresh typed arrays come from: the bytes and number of typed arrays
 * constructed per step (by the constructor, `from`, `of`, `slice`; views on a buffer not counted),
 * by the caller's frames: `tsx bench/profile/w1-alloc.ts [fit|steps]` (`fit`: one epoch of 512
 * examples in batches of 128, as the train suite; `steps`: `Train.trainStep` on one batch).
 *
 * Measured (2 threads): `fit` made 3059 KiB in 28 arrays a step: the new parameters 794 (SGD),
 * the batch's rows 784, the matrix products 1060 (the weight gradient 784), the bias adds 138,
 * relu and its pullback 128 each, the loss 20. With SGD writing the new parameters over the
 * gradients inside the step: 2264 KiB in 24 arrays; with the batches gathered into one array
 * per `fit` call (a model that borrows its input): 1676 (the array is 784 KiB a call of 4 steps);
 * with the weight gradients taking the arrays of the parameters two steps old (from the third step
 * of a `fit` call on): 1279; with the dense layer adding its bias over its product: 1139 in 16.
 * With every array a sealed step made lent to the next step and the next `fit` of the job (the
 * activations, their cotangents, the products, the loss's gradient, the batch array:
 * kernels/spares.ts): 213 KiB in 9.4, of which 157 the one weight array each `fit` returns.
 */
const { countFresh } = await import('./fresh-arrays.js')
const { w1Trainer, fitTrainer } = await import('../train/w1.js')
const mode = process.argv[2] ?? 'steps'
const steps = w1Trainer()
const fit = fitTrainer()
countFresh(mode, mode === 'fit' ? () => fit() : () => steps.run(4), { stepsPerRun: 4 })
