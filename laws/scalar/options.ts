/**
 * How a scalar law reads its options: tolerances with their defaults, the modes to check, the
 * points to sample, and its name in one mode.
 *
 * @packageDocumentation
 */
import type { Arbitrary } from 'fast-check'
import { scalarPoint } from '../arbitraries.js'
import type { Tolerances } from '../law-runner.js'
import type { Mode, ScalarLawOptions } from './model.js'
import { bothModes } from './modes.js'

/** The tolerances of a law, with their defaults filled in. @internal */
export const tolerances = (o: Tolerances) => ({
  rtol: o.rtol ?? 1e-6,
  identityRtol: o.identityRtol ?? 1e-9,
  atol: o.atol ?? 1e-9,
})

/** The modes a law checks; default both. @internal */
export const modesOf = (o: { readonly modes?: readonly Mode[] }): readonly Mode[] => o.modes ?? bothModes

/** The points a law of one variable samples. @internal */
export const pointsOf = (o: ScalarLawOptions): Arbitrary<number> => o.arbitrary ?? scalarPoint(o)

/** The name of a law checked in one mode. @internal */
export const withMode = (law: string, m: Mode): string => `${law} (${m.name} mode)`
