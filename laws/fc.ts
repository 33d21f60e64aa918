/**
 * fast-check, loaded once for the whole law kit. It is an optional peer dependency of
 * `autodiff-ts/laws` (the core never needs it), so a missing install is reported here, naming
 * the package to install, instead of as a module resolution error deep inside the kit.
 *
 * @packageDocumentation
 */
import type * as FastCheck from 'fast-check'

/** What to tell a user whose project lacks fast-check. */
export const MISSING_FAST_CHECK =
  'autodiff-ts/laws needs the package fast-check (an optional peer dependency of autodiff-ts): ' +
  'install it with `npm install --save-dev fast-check`'

const load = async (): Promise<typeof FastCheck> => {
  try {
    const m = (await import('fast-check')) as typeof FastCheck & { readonly default?: typeof FastCheck }
    return m.default ?? m
  } catch (e) {
    throw new Error(MISSING_FAST_CHECK, { cause: e })
  }
}

const fc: typeof FastCheck = await load()
export default fc
