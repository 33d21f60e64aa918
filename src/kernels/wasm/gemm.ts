/**
 * The matrix product in WebAssembly SIMD128, generated: BLIS's loop structure around a
 * register-blocked micro-kernel of `mr` rows by `nv` f64x2 vectors (2 `nv` columns) of C.
 *
 * `gemm` computes rows `m0 .. m1` of `C = op(A) op(B)` for strided `op(A)[i, p] = a[i aRow + p aCol]`
 * and `op(B)[p, j] = b[p bRow + j bCol]`, so one function serves `A B`, `Aᵀ B` and `A Bᵀ`. For
 * each block of `NC` columns and `KC` steps of the inner dimension it packs the block of op(B)
 * into panels `nr` columns wide (they stay in L2), then for each sliver of `mr` rows packs op(A)
 * interleaved (it stays in L1) and runs the micro-kernel over every panel. Packs are zero-padded
 * at the edges, and C is padded to whole tiles (`ldc` a multiple of `nr`, rows to a multiple of
 * `mr`), so the micro-kernel never branches on edges. The first `KC` block stores into C and
 * later blocks add, so C needs no clearing.
 *
 * Every element of C is the sum over the `KC` blocks, in order, of a dot product accumulated in
 * one lane in order of `p`: the same operations whichever rows a call covers, so splitting rows
 * across threads cannot change a bit.
 *
 * @packageDocumentation
 */
import type { Code, Func, ValType } from './emit.js'
import { block, brIf, call, f64, forRange, get, i32, ifThen, locals, loop, select, seq, set, v128 } from './emit.js'

/** The shape of a micro-kernel and of the cache blocks around it. */
export interface GemmShape {
  /** Rows of C per micro-kernel tile. */
  readonly mr: number
  /** f64x2 vectors of C per tile row (the tile is `2 nv` columns wide). */
  readonly nv: number
  /** Steps of the inner dimension per packed block. */
  readonly kc: number
  /** Columns of C per packed block of op(B); a multiple of `2 nv`. */
  readonly nc: number
  /** Use `f64x2.relaxed_madd` (fused where the hardware has FMA). */
  readonly relaxed: boolean
  /** Steps of the inner dimension per iteration of the micro-kernel's loop (1 or 2). */
  readonly unroll: 1 | 2
}

const I32 = (n: number): ValType[] => new Array<ValType>(n).fill('i32')
const min32 = (a: Code, b: Code): Code => seq(a, b, a, b, i32.ltS, select)

/** micro(pa, pb, c, ldcBytes, kc, first): the mr x 2nv tile of C at c (+)= packed sliver x panel. */
const micro = ({ mr, nv, relaxed, unroll }: GemmShape): Func => {
  const params = I32(6)
  const [pa, pb, c, ldc, kc, first] = [0, 1, 2, 3, 4, 5] as const
  const l = locals(params)
  const acc = l.many('v128', mr * nv)
  const bv = l.many('v128', nv)
  const av = l.add('v128')
  const end = l.add('i32')
  const row = l.add('i32')
  // step s of the inner dimension from the current pointers: C tile += A column (splat) x B row
  const step = (s: number): Code => {
    const code: Code[] = []
    for (let v = 0; v < nv; v++) code.push(get(pb), v128.load(16 * nv * s + 16 * v), set(bv[v]!))
    for (let r = 0; r < mr; r++) {
      code.push(get(pa), v128.loadSplat64(8 * mr * s + 8 * r), set(av))
      for (let v = 0; v < nv; v++) {
        const x = acc[r * nv + v]!
        code.push(
          relaxed
            ? seq(get(av), get(bv[v]!), get(x), v128.relaxedMadd, set(x))
            : seq(get(x), get(av), get(bv[v]!), v128.mul, v128.add, set(x)),
        )
      }
    }
    return seq(...code)
  }
  const advance = (steps: number): Code =>
    seq(get(pa), i32.const(8 * mr * steps), i32.add, set(pa), get(pb), i32.const(16 * nv * steps), i32.add, set(pb))
  const store: Code[] = []
  const accumulate: Code[] = []
  for (let r = 0; r < mr; r++) {
    const next = r === 0 ? seq(get(c), set(row)) : seq(get(row), get(ldc), i32.add, set(row))
    store.push(next)
    accumulate.push(next)
    for (let v = 0; v < nv; v++) {
      const x = acc[r * nv + v]!
      store.push(get(row), get(x), v128.store(16 * v))
      accumulate.push(get(row), get(row), v128.load(16 * v), get(x), v128.add, v128.store(16 * v))
    }
  }
  const body = seq(
    ...acc.map((x) => seq(v128.zero, set(x))),
    get(pa), get(kc), i32.const(8 * mr), i32.mul, i32.add, set(end),
    unroll === 1
      ? loop(step(0), advance(1), get(pa), get(end), i32.ltS, brIf(0))
      : seq(
        // an odd step first, then two steps per iteration (same order of summation in every lane)
        get(kc), i32.const(1), i32.and, ifThen(seq(step(0), advance(1))),
        block(
          get(pa), get(end), i32.geS, brIf(0),
          loop(step(0), step(1), advance(2), get(pa), get(end), i32.ltS, brIf(0)),
        ),
      ),
    get(first),
    ifThen(seq(...store), seq(...accumulate)),
  )
  return { name: 'micro', params, results: [], locals: l.types(), body }
}

/** packA(a, aRowBytes, aColBytes, kc, rows, dst): an mr-row sliver of op(A), (p, r) at mr p + r, zero rows past `rows`. */
const packA = ({ mr }: GemmShape): Func => {
  const params = I32(6)
  const [a, aRow, aCol, kc, rows, dst] = [0, 1, 2, 3, 4, 5] as const
  const l = locals(params)
  const off = l.many('i32', mr)
  const mask = l.many('i32', mr)
  const p = l.add('i32')
  const body = seq(
    ...off.map((o, r) => seq(min32(i32.const(r), seq(get(rows), i32.const(1), i32.sub)), get(aRow), i32.mul, set(o))),
    ...mask.map((mk, r) => seq(i32.const(r), get(rows), i32.ltS, set(mk))),
    forRange(p, i32.const(0), get(kc), i32.const(1),
      ...off.map((o, r) => seq(get(dst), get(a), get(o), i32.add, f64.load(), f64.const(0), get(mask[r]!), select, f64.store(8 * r))),
      get(dst), i32.const(8 * mr), i32.add, set(dst),
      get(a), get(aCol), i32.add, set(a),
    ),
  )
  return { name: 'packA', params, results: [], locals: l.types(), body }
}

/** packB(b, bRowBytes, bColBytes, kc, nc, dst): nc columns of op(B) as panels of nr columns, (p, j) at nr p + j, zero-padded. */
const packB = ({ nv }: GemmShape): Func => {
  const nr = 2 * nv
  const params = I32(6)
  const [b, bRow, bCol, kc, nc, dst] = [0, 1, 2, 3, 4, 5] as const
  const l = locals(params)
  const off = l.many('i32', nr)
  const mask = l.many('i32', nr)
  const [j, p, src] = l.many('i32', 3)
  const col = (r: number): Code => seq(get(j!), i32.const(r), i32.add)
  const body = forRange(j!, i32.const(0), get(nc), i32.const(nr),
    ...off.map((o, r) => seq(min32(col(r), seq(get(nc), i32.const(1), i32.sub)), get(bCol), i32.mul, set(o))),
    ...mask.map((mk, r) => seq(col(r), get(nc), i32.ltS, set(mk))),
    get(b), set(src!),
    forRange(p!, i32.const(0), get(kc), i32.const(1),
      ...off.map((o, r) => seq(get(dst), get(src!), get(o), i32.add, f64.load(), f64.const(0), get(mask[r]!), select, f64.store(8 * r))),
      get(dst), i32.const(8 * nr), i32.add, set(dst),
      get(src!), get(bRow), i32.add, set(src!),
    ),
  )
  return { name: 'packB', params, results: [], locals: l.types(), body }
}

/**
 * gemm(a, aRow, aCol, b, bRow, bCol, c, ldc, m0, m1, m, k, n, pa, pb): rows m0 .. m1 of the
 * padded C (pointers in bytes, strides in elements; m0 a multiple of mr, k > 0), using the pack
 * buffers at pa (mr kc doubles) and pb (kc nc doubles).
 *
 * With `prepacked`, the function is gemmPacked(a, aRow, aCol, b, np, c, ldc, m0, m1, m, k, n, pa):
 * the same loops, but op(B) was packed whole beforehand by `packBAll` into `b` (np its width
 * padded to whole panels), so threads that split the rows of C share one packing of B instead of
 * each packing all of it. Each block is read from where `packBAll` put it (see {@link packedBlock}).
 */
const driver = ({ mr, nv, kc: KC, nc: NC }: GemmShape, prepacked: boolean): Func => {
  const nr = 2 * nv
  const params = I32(prepacked ? 13 : 15)
  const names = prepacked
    ? (['a', 'aRow', 'aCol', 'b', 'np', 'c', 'ldc', 'm0', 'm1', 'm', 'k', 'n', 'pa'] as const)
    : (['a', 'aRow', 'aCol', 'b', 'bRow', 'bCol', 'c', 'ldc', 'm0', 'm1', 'm', 'k', 'n', 'pa', 'pb'] as const)
  const p = Object.fromEntries(names.map((x, i) => [x, i])) as Record<string, number>
  const [a, aRow, aCol, b, c, ldc, m0, m1, m, k, n, pa] = [p['a']!, p['aRow']!, p['aCol']!, p['b']!, p['c']!, p['ldc']!, p['m0']!, p['m1']!, p['m']!, p['k']!, p['n']!, p['pa']!]
  const l = locals(params)
  const [jc, nc, pc, kc, ic, q, pb] = l.many('i32', 7) as [number, number, number, number, number, number, number]
  const bytes = (x: Code): Code => seq(x, i32.const(3), i32.shl)
  const body = forRange(jc, i32.const(0), get(n), i32.const(NC),
    min32(i32.const(NC), seq(get(n), get(jc), i32.sub)), set(nc),
    forRange(pc, i32.const(0), get(k), i32.const(KC),
      min32(i32.const(KC), seq(get(k), get(pc), i32.sub)), set(kc),
      prepacked
        ? seq(get(b), bytes(packedBlock(get(jc), get(pc), get(k), get(p['np']!), NC)), i32.add, set(pb))
        : seq(
          get(p['pb']!), set(pb),
          // packB(b + 8 (pc bRow + jc bCol), 8 bRow, 8 bCol, kc, nc, pb)
          get(b), bytes(seq(get(pc), get(p['bRow']!), i32.mul, get(jc), get(p['bCol']!), i32.mul, i32.add)), i32.add,
          bytes(get(p['bRow']!)), bytes(get(p['bCol']!)), get(kc), get(nc), get(pb), call(2),
        ),
      forRange(ic, get(m0), get(m1), i32.const(mr),
        // packA(a + 8 (ic aRow + pc aCol), 8 aRow, 8 aCol, kc, min(mr, m - ic), pa)
        get(a), bytes(seq(get(ic), get(aRow), i32.mul, get(pc), get(aCol), i32.mul, i32.add)), i32.add,
        bytes(get(aRow)), bytes(get(aCol)), get(kc), min32(i32.const(mr), seq(get(m), get(ic), i32.sub)), get(pa), call(1),
        forRange(q, i32.const(0), get(nc), i32.const(nr),
          // micro(pa, pb + 8 q kc, c + 8 (ic ldc + jc + q), 8 ldc, kc, pc == 0)
          get(pa),
          get(pb), bytes(seq(get(q), get(kc), i32.mul)), i32.add,
          get(c), bytes(seq(get(ic), get(ldc), i32.mul, get(jc), i32.add, get(q), i32.add)), i32.add,
          bytes(get(ldc)), get(kc), get(pc), i32.eqz, call(0),
        ),
      ),
    ),
  )
  return { name: prepacked ? 'gemmPacked' : 'gemm', params, results: [], locals: l.types(), body }
}

/**
 * Where `packBAll` puts the block of op(B) at (jc, pc), in doubles from its start: blocks in
 * order of jc then pc, each `kc` by its width padded to panels, `min(NC, np - jc)`. Everything
 * before column jc is jc k doubles; before step pc of that column block, pc times its width.
 */
const packedBlock = (jc: Code, pc: Code, k: Code, np: Code, NC: number): Code =>
  seq(jc, k, i32.mul, pc, min32(i32.const(NC), seq(np, jc, i32.sub)), i32.mul, i32.add)

/** packBAll(b, bRow, bCol, k, n, np, dst): all of op(B) (k by n) packed block by block for gemmPacked. */
const packBAll = ({ kc: KC, nc: NC }: GemmShape): Func => {
  const params = I32(7)
  const [b, bRow, bCol, k, n, np, dst] = [0, 1, 2, 3, 4, 5, 6] as const
  const l = locals(params)
  const [jc, pc] = l.many('i32', 2) as [number, number]
  const bytes = (x: Code): Code => seq(x, i32.const(3), i32.shl)
  const body = forRange(jc, i32.const(0), get(n), i32.const(NC),
    forRange(pc, i32.const(0), get(k), i32.const(KC),
      // packB(b + 8 (pc bRow + jc bCol), 8 bRow, 8 bCol, min(KC, k - pc), min(NC, n - jc), dst + 8 block)
      get(b), bytes(seq(get(pc), get(bRow), i32.mul, get(jc), get(bCol), i32.mul, i32.add)), i32.add,
      bytes(get(bRow)), bytes(get(bCol)),
      min32(i32.const(KC), seq(get(k), get(pc), i32.sub)), min32(i32.const(NC), seq(get(n), get(jc), i32.sub)),
      get(dst), bytes(packedBlock(get(jc), get(pc), get(k), get(np), NC)), i32.add, call(2),
    ),
  )
  return { name: 'packBAll', params, results: [], locals: l.types(), body }
}

/**
 * The functions of the gemm module, in index order: micro (0), packA (1), packB (2), gemm (3),
 * packBAll (4), gemmPacked (5).
 */
export const gemmFuncs = (shape: GemmShape): readonly Func[] => [
  micro(shape), packA(shape), packB(shape), driver(shape, false), packBAll(shape), driver(shape, true),
]
