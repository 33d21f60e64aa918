/**
 * The slice of the WebAssembly JS API the kernels use, typed here because the library compiles
 * against ES2022 alone (no DOM library, which is where TypeScript declares `WebAssembly`).
 *
 * @packageDocumentation
 */

/** A `WebAssembly.Memory`. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer
  grow(pages: number): number
}

/** A compiled `WebAssembly.Module` (opaque; it can be sent to workers). */
export interface WasmModule {
  readonly [Symbol.toStringTag]: string
}

/** A `WebAssembly.Instance`. */
export interface WasmInstance {
  readonly exports: Readonly<Record<string, unknown>>
}

/** The `WebAssembly` namespace. */
export interface WasmApi {
  readonly Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory
  readonly Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule
  readonly Instance: new (module: WasmModule, imports: Readonly<Record<string, Readonly<Record<string, unknown>>>>) => WasmInstance
  readonly validate: (bytes: Uint8Array<ArrayBuffer>) => boolean
}

/** The engine's `WebAssembly`, if it has one. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly
