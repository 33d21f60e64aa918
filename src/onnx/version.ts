/**
 * The library's version, written as the producer version of every exported model (a test keeps
 * it equal to package.json's).
 *
 * @packageDocumentation
 */

/** The version of autodiff-ts. */
export const VERSION = '0.1.0'
