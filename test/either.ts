/** Test helpers: the value inside an `Either` the test expects to be a Right, or a Left. */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, isRight } from 'fp-ts/lib/Either.js'

/** The Right's value; throws (failing the test) with the Left's message otherwise. */
export const ok = <E, A>(e: Either<E, A>): A => {
  if (isLeft(e)) throw new Error(`expected a Right, found Left(${String(e.left)})`)
  return e.right
}

/** The Left's value; throws (failing the test) if it is a Right. */
export const err = <E, A>(e: Either<E, A>): E => {
  if (isRight(e)) throw new Error('expected a Left, found a Right')
  return e.left
}
