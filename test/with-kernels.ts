/** Runs `f` with the kernel backend `backend` forced, then back to `auto`. */
import { useKernels } from '../src/kernels/backend.js'

export const withKernels = <R>(backend: 'auto' | 'js' | 'wasm', f: () => R): R => {
  useKernels({ backend })
  try {
    return f()
  } finally {
    useKernels({ backend: 'auto' })
  }
}
