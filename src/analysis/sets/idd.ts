// An interned interval decision diagram (IDD): canonical sets over a product of compressed dimensions
// (shadow-analysis.md §5.2). A node tests one dimension and partitions its whole segment range into
// consecutive intervals, each leading to a child; adjacent intervals with the same child are merged,
// a node whose intervals all lead to the same child is that child (so unconstrained dimensions cost
// nothing), and nodes are hash-consed in a unique table. Hence equal sets are the same node id, and
// ∧ ∨ ∖ ⊕ are memoised simultaneous walks (a BDD `apply` with interval edges).
//
// Dimensions are tested in index order (0 first). Node 0 is the empty set, node 1 the full space.

import type { IntervalSet } from "./interval-set.js";
import { cubes, describe, member, project, volume, weightedVolume, witness } from "./queries.js";

export type SetId = number;
export const FALSE: SetId = 0;
export const TRUE: SetId = 1;

/** Thrown when an operation exceeds the work budget; the diagram stays consistent. */
export class BudgetExceeded extends Error {
  constructor(readonly steps: number) {
    super(`set-engine work budget exceeded after ${steps} steps`);
  }
}

const enum Op {
  And = 0,
  Or = 1,
  Diff = 2,
  Xor = 3,
  Subset = 4,
  Disjoint = 5,
  Split = 6,
}

const HEAP_LIMIT = 1 << 28; // node ids are heap offsets; cache keys are (id << 3) | op
const CACHE_MIN_BITS = 14;
const CACHE_MAX_BITS = 18;
const NODE_HEADER = 3; // dim, edge count, hash; then (exclusive upper bound, child) pairs

export class Idd {
  readonly dims: number;
  readonly sizes: readonly number[];
  /** Non-memoised apply steps so far (all operations). */
  steps = 0;
  /** Throw BudgetExceeded once `steps` passes this. */
  stepLimit = Number.POSITIVE_INFINITY;

  // Every node lives in one heap, its id is its offset: [dim, m, hash, hi0, kid0, …, hi(m-1), kid(m-1)].
  // Offsets 0 (FALSE) and 1 (TRUE) hold only the terminals' dim (= dims); real nodes start at 4.
  // One contiguous record per node keeps each visit to a node to about one cache miss.
  private heap = new Int32Array(1 << 16);
  private top = 4;
  private count = 2;
  // Unique table: open addressing over (hash, id) pairs; id 0 = empty slot.
  private utab = new Int32Array(2 << 12);
  private ucount = 0;
  // Computed table: a lossy, direct-mapped cache of (op, a, b) -> result, as in BDD packages;
  // entries are (key, b, result, unused) so one probe touches one cache line.
  // It grows with the node count (a cache much larger than the diagram only costs memory traffic).
  private cache = new Int32Array(4 << CACHE_MIN_BITS).fill(-1);
  private cacheShift = 32 - CACHE_MIN_BITS;
  // Scratch stack where apply builds edge lists before interning them; `split` builds its second
  // result on a second stack.
  private scratch = new Int32Array(1 << 12);
  private sp = 0;
  private scratch2 = new Int32Array(1 << 12);
  private sp2 = 0;

  /**
   * `capacity`: expected size, to allocate the node heap (in int32 slots) and the unique table (in
   * entries) once instead of doubling them up to it. Each large typed-array allocation counts as
   * external memory and makes V8 run a full mark-compact of the whole JavaScript heap; with a big
   * program loaded (the checker's model, the IR) a few doublings cost seconds. Untouched pages of the
   * preallocated arrays are not resident, so an overestimate costs address space, not memory.
   */
  constructor(sizes: readonly number[], capacity: { readonly heap?: number; readonly unique?: number } = {}) {
    for (const s of sizes) if (!(Number.isInteger(s) && s >= 1)) throw new Error(`bad dimension size ${s}`);
    this.sizes = [...sizes];
    this.dims = sizes.length;
    const pow2 = (n: number, min: number, max: number) => {
      let c = min;
      while (c < n && c < max) c *= 2;
      return c;
    };
    if (capacity.heap !== undefined) this.heap = new Int32Array(pow2(capacity.heap, 1 << 16, 1 << 27));
    if (capacity.unique !== undefined) this.utab = new Int32Array(2 * pow2(2 * capacity.unique, 1 << 12, 1 << 24));
    this.heap[0] = this.dims;
    this.heap[1] = this.dims;
  }

  get nodeCount(): number {
    return this.count;
  }

  /** Drop the operation caches (results stay valid; only speed is affected). */
  clearCaches(): void {
    this.cache.fill(-1);
    this.derivedCaches.clear();
  }

  // ---- node store -------------------------------------------------------------------------------

  /** Dimension a node tests (`dims` for the two terminals). */
  dimOf(n: SetId): number {
    return this.heap[n]!;
  }

  /** The edges of a node as [lo, hi, child] triples. */
  edges(n: SetId): [number, number, SetId][] {
    const out: [number, number, SetId][] = [];
    if (n <= TRUE) return out;
    const h = this.heap;
    const m = h[n + 1]!;
    let lo = 0;
    for (let k = 0, at = n + NODE_HEADER; k < m; k++, at += 2) {
      out.push([lo, h[at]!, h[at + 1]!]);
      lo = h[at]!;
    }
    return out;
  }

  private push2(x: number, y: number): void {
    if (this.sp + 2 > this.scratch.length) {
      const b = new Int32Array(this.scratch.length * 2);
      b.set(this.scratch);
      this.scratch = b;
    }
    this.scratch[this.sp++] = x;
    this.scratch[this.sp++] = y;
  }

  /** Append edge (hi, kid) to the edge list being built on the scratch stack from `base`. */
  private appendEdge(base: number, hi: number, kid: number): void {
    if (this.sp > base && this.scratch[this.sp - 1] === kid) this.scratch[this.sp - 2] = hi;
    else this.push2(hi, kid);
  }

  /** Make (or find) the node testing dim `d` with edges (bounds[k] exclusive, kids[k]). */
  private mk(d: number, bounds: readonly number[], kids: readonly number[]): SetId {
    const base = this.sp;
    for (let k = 0; k < kids.length; k++) this.appendEdge(base, bounds[k]!, kids[k]!);
    const r = this.intern(d, base);
    this.sp = base;
    return r;
  }

  /** Intern the edge list scratch[base, sp) as a node on dim d (the caller resets sp). */
  private intern(d: number, base: number): SetId {
    const sc = this.scratch;
    const len = this.sp - base;
    const m = len >> 1;
    if (m === 1) return sc[base + 1]!;
    let h = Math.imul(d + 1, 0x9e3779b1);
    for (let k = base; k < this.sp; k += 2) {
      h = Math.imul(h ^ sc[k]!, 0x85ebca6b);
      h = Math.imul(h ^ sc[k + 1]!, 0xc2b2ae35);
      h ^= h >>> 15;
    }
    // murmur3 finaliser: every input bit reaches the low bits used as the table index.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const heap = this.heap;
    const ut = this.utab;
    const mask = (ut.length >> 1) - 1;
    let i = h & mask;
    for (let n = ut[2 * i + 1]!; n !== 0; n = ut[2 * i + 1]!) {
      if (ut[2 * i] === h && heap[n] === d && heap[n + 1] === m) {
        let same = true;
        for (let k = 0, at = n + NODE_HEADER; k < len; k++, at++) {
          if (heap[at] !== sc[base + k]) {
            same = false;
            break;
          }
        }
        if (same) return n;
      }
      i = (i + 1) & mask;
    }
    const need = NODE_HEADER + len;
    if (this.top + need > HEAP_LIMIT) throw new BudgetExceeded(this.steps);
    if (this.top + need > this.heap.length) {
      let cap = this.heap.length * 2;
      while (cap < this.top + need) cap *= 2;
      const nh = new Int32Array(cap);
      nh.set(this.heap.subarray(0, this.top));
      this.heap = nh;
    }
    const n = this.top;
    const hp = this.heap;
    hp[n] = d;
    hp[n + 1] = m;
    hp[n + 2] = h;
    for (let k = 0, at = n + NODE_HEADER; k < len; k++, at++) hp[at] = sc[base + k]!;
    this.top += need;
    this.count++;
    ut[2 * i] = h;
    ut[2 * i + 1] = n;
    if (++this.ucount * 2 > ut.length >> 1) this.rehash();
    if (this.count > 1 << (32 - this.cacheShift) && this.cacheShift > 32 - CACHE_MAX_BITS) {
      this.cacheShift--;
      this.cache = new Int32Array(4 << (32 - this.cacheShift)).fill(-1);
    }
    return n;
  }

  private rehash(): void {
    const old = this.utab;
    const tab = new Int32Array(old.length * 2);
    const mask = (tab.length >> 1) - 1;
    for (let j = 0; j < old.length; j += 2) {
      const n = old[j + 1]!;
      if (n === 0) continue;
      let i = old[j]! & mask;
      while (tab[2 * i + 1] !== 0) i = (i + 1) & mask;
      tab[2 * i] = old[j]!;
      tab[2 * i + 1] = n;
    }
    this.utab = tab;
  }

  // ---- operations -------------------------------------------------------------------------------

  and(a: SetId, b: SetId): SetId {
    return this.apply(Op.And, a, b);
  }
  or(a: SetId, b: SetId): SetId {
    return this.apply(Op.Or, a, b);
  }
  /** a ∖ b */
  diff(a: SetId, b: SetId): SetId {
    return this.apply(Op.Diff, a, b);
  }
  /** Symmetric difference. */
  xor(a: SetId, b: SetId): SetId {
    return this.apply(Op.Xor, a, b);
  }
  not(a: SetId): SetId {
    return this.apply(Op.Diff, TRUE, a);
  }
  /** Union of many sets, combined pairwise as a balanced tree: adding narrow pieces one by one to a
   *  growing union rebuilds its wide nodes every time (quadratic); pairing keeps it near-linear. */
  orAll(xs: Iterable<SetId>): SetId {
    let level = [...xs].filter((x) => x !== FALSE);
    if (level.length === 0) return FALSE;
    while (level.length > 1) {
      const next: SetId[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(this.or(level[i]!, level[i + 1]!));
      if (level.length % 2 === 1) next.push(level[level.length - 1]!);
      level = next;
    }
    return level[0]!;
  }
  isEmpty(a: SetId): boolean {
    return a === FALSE;
  }
  /** a ⊆ b, without building a ∖ b. */
  subset(a: SetId, b: SetId): boolean {
    return this.test(Op.Subset, a, b);
  }
  /** a ∩ b ≠ ∅, without building a ∩ b. */
  intersects(a: SetId, b: SetId): boolean {
    return !this.test(Op.Disjoint, a, b);
  }

  /** [a ∩ b, a ∖ b] in one walk (the FORWARD pass needs both for every rule). */
  split(a: SetId, b: SetId): [SetId, SetId] {
    this.splitRec(a, b);
    return [this.splitA, this.splitB];
  }

  private splitA: SetId = FALSE;
  private splitB: SetId = FALSE;

  /** Sets splitA = a ∩ b, splitB = a ∖ b. */
  private splitRec(a: SetId, b: SetId): void {
    if (b === FALSE || a === FALSE) {
      this.splitA = FALSE;
      this.splitB = a;
      return;
    }
    if (b === TRUE || a === b) {
      this.splitA = a;
      this.splitB = FALSE;
      return;
    }
    if (a === TRUE) {
      this.splitA = b;
      this.splitB = this.not(b);
      return;
    }
    const ckey = (a << 3) | Op.Split;
    const slot = 4 * ((Math.imul(ckey, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> this.cacheShift);
    const cache = this.cache;
    if (cache[slot] === ckey && cache[slot + 1] === b) {
      this.splitA = cache[slot + 2]!;
      this.splitB = cache[slot + 3]!;
      return;
    }
    if (++this.steps > this.stepLimit) throw new BudgetExceeded(this.steps);
    let heap = this.heap;
    const da = heap[a]!;
    const db = heap[b]!;
    const d = da < db ? da : db;
    const size = this.sizes[d]!;
    const splitA = da === d;
    const splitB = db === d;
    let atA = a + NODE_HEADER;
    let atB = b + NODE_HEADER;
    const base = this.sp;
    const base2 = this.sp2;
    for (;;) {
      heap = this.heap;
      const ba = splitA ? heap[atA]! : size;
      const bb = splitB ? heap[atB]! : size;
      const ka = splitA ? heap[atA + 1]! : a;
      const kb = splitB ? heap[atB + 1]! : b;
      let c1: number;
      let c2: number;
      if (kb === FALSE || ka === FALSE) {
        c1 = FALSE;
        c2 = ka;
      } else if (kb === TRUE || ka === kb) {
        c1 = ka;
        c2 = FALSE;
      } else {
        this.splitRec(ka, kb);
        c1 = this.splitA;
        c2 = this.splitB;
      }
      const hi = ba < bb ? ba : bb;
      const sc = this.scratch;
      if (this.sp > base && sc[this.sp - 1] === c1) sc[this.sp - 2] = hi;
      else this.push2(hi, c1);
      const sc2 = this.scratch2;
      if (this.sp2 > base2 && sc2[this.sp2 - 1] === c2) sc2[this.sp2 - 2] = hi;
      else {
        if (this.sp2 + 2 > this.scratch2.length) {
          const nb = new Int32Array(this.scratch2.length * 2);
          nb.set(this.scratch2);
          this.scratch2 = nb;
        }
        this.scratch2[this.sp2++] = hi;
        this.scratch2[this.sp2++] = c2;
      }
      if (hi === size) break;
      if (ba === hi) atA += 2;
      if (bb === hi) atB += 2;
    }
    const r1 = this.intern(d, base);
    this.sp = base;
    // Intern the second list: copy it onto the main scratch stack (intern reads from there).
    for (let k = base2; k < this.sp2; k += 2) this.push2(this.scratch2[k]!, this.scratch2[k + 1]!);
    this.sp2 = base2;
    const r2 = this.intern(d, base);
    this.sp = base;
    const c = this.cache; // intern may have replaced the cache with a bigger one
    const slot2 = 4 * ((Math.imul(ckey, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> this.cacheShift);
    c[slot2] = ckey;
    c[slot2 + 1] = b;
    c[slot2 + 2] = r1;
    c[slot2 + 3] = r2;
    this.splitA = r1;
    this.splitB = r2;
  }

  /** Boolean walks: Subset (a ⊆ b) and Disjoint (a ∩ b = ∅), memoised in the computed table. */
  private test(op: Op.Subset | Op.Disjoint, a: SetId, b: SetId): boolean {
    if (op === Op.Subset) {
      if (a === FALSE || b === TRUE || a === b) return true;
      if (b === FALSE) return false; // a ≠ FALSE
      if (a === TRUE) return false; // b ≠ TRUE
    } else {
      if (a === FALSE || b === FALSE) return true;
      if (a === TRUE || b === TRUE || a === b) return false;
      if (a > b) [a, b] = [b, a];
    }
    const ckey = (a << 3) | op;
    const slot = 4 * ((Math.imul(ckey, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> this.cacheShift);
    const cache = this.cache;
    if (cache[slot] === ckey && cache[slot + 1] === b) return cache[slot + 2] === 1;
    if (++this.steps > this.stepLimit) throw new BudgetExceeded(this.steps);
    const da = this.heap[a]!;
    const db = this.heap[b]!;
    const d = da < db ? da : db;
    const size = this.sizes[d]!;
    let atA = a + NODE_HEADER;
    let atB = b + NODE_HEADER;
    let result = true;
    for (;;) {
      const heap = this.heap;
      const ba = da === d ? heap[atA]! : size;
      const bb = db === d ? heap[atB]! : size;
      const ka = da === d ? heap[atA + 1]! : a;
      const kb = db === d ? heap[atB + 1]! : b;
      if (!this.test(op, ka, kb)) {
        result = false;
        break;
      }
      const hi = ba < bb ? ba : bb;
      if (hi === size) break;
      if (ba === hi) atA += 2;
      if (bb === hi) atB += 2;
    }
    cache[slot] = ckey;
    cache[slot + 1] = b;
    cache[slot + 2] = result ? 1 : 0;
    return result;
  }

  private apply(op: Op, a: SetId, b: SetId): SetId {
    switch (op) {
      case Op.And:
        if (a === FALSE || b === FALSE) return FALSE;
        if (a === TRUE || a === b) return b;
        if (b === TRUE) return a;
        if (a > b) [a, b] = [b, a];
        break;
      case Op.Or:
        if (a === TRUE || b === TRUE) return TRUE;
        if (a === FALSE || a === b) return b;
        if (b === FALSE) return a;
        if (a > b) [a, b] = [b, a];
        break;
      case Op.Diff:
        if (a === FALSE || b === TRUE || a === b) return FALSE;
        if (b === FALSE) return a;
        break;
      case Op.Xor:
        if (a === b) return FALSE;
        if (a === FALSE) return b;
        if (b === FALSE) return a;
        if (a > b) [a, b] = [b, a];
        break;
    }
    const ckey = (a << 3) | op;
    const slot = 4 * ((Math.imul(ckey, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> this.cacheShift);
    const cache = this.cache;
    if (cache[slot] === ckey && cache[slot + 1] === b) return cache[slot + 2]!;
    if (++this.steps > this.stepLimit) throw new BudgetExceeded(this.steps);

    let heap = this.heap;
    const da = heap[a]!;
    const db = heap[b]!;
    const d = da < db ? da : db;
    const size = this.sizes[d]!;
    const splitA = da === d;
    const splitB = db === d;
    let atA = a + NODE_HEADER;
    let atB = b + NODE_HEADER;
    const base = this.sp;
    for (;;) {
      heap = this.heap; // may have grown during the recursion
      const ba = splitA ? heap[atA]! : size;
      const bb = splitB ? heap[atB]! : size;
      const ka = splitA ? heap[atA + 1]! : a;
      const kb = splitB ? heap[atB + 1]! : b;
      // Terminal cases inline (most edges of a wide node): no call, no cache probe.
      let c: number;
      if (ka === kb) c = op === Op.Diff || op === Op.Xor ? FALSE : ka;
      else if (kb === FALSE) c = op === Op.And ? FALSE : ka;
      else if (ka === FALSE) c = op === Op.Or || op === Op.Xor ? kb : FALSE;
      else if (op === Op.And && kb === TRUE) c = ka;
      else if (op === Op.And && ka === TRUE) c = kb;
      else if (op === Op.Or && (ka === TRUE || kb === TRUE)) c = TRUE;
      else if (op === Op.Diff && kb === TRUE) c = FALSE;
      else c = this.apply(op, ka, kb);
      const hi = ba < bb ? ba : bb;
      const sc = this.scratch;
      if (this.sp > base && sc[this.sp - 1] === c) sc[this.sp - 2] = hi;
      else this.push2(hi, c);
      if (hi === size) break;
      if (ba === hi) atA += 2;
      if (bb === hi) atB += 2;
    }
    const r = this.intern(d, base);
    this.sp = base;
    cache[slot] = ckey;
    cache[slot + 1] = b;
    cache[slot + 2] = r;
    return r;
  }

  // ---- construction -----------------------------------------------------------------------------

  /** The box (Cartesian product) of one interval set per dimension; `undefined` = whole dimension. */
  box(sets: readonly (IntervalSet | undefined)[]): SetId {
    let node: SetId = TRUE;
    for (let d = this.dims - 1; d >= 0; d--) {
      const s = sets[d];
      if (s === undefined) continue;
      if (s.length === 0) return FALSE;
      node = this.restrictDim(d, s, node);
    }
    return node;
  }

  /** The set "dimension d ∈ s" (other dimensions free). */
  dimIn(d: number, s: IntervalSet): SetId {
    return this.restrictDim(d, s, TRUE);
  }

  private restrictDim(d: number, s: IntervalSet, child: SetId): SetId {
    const size = this.sizes[d]!;
    const bounds: number[] = [];
    const kids: number[] = [];
    let pos = 0;
    const push = (hi: number, k: number) => {
      const last = kids.length - 1;
      if (last >= 0 && kids[last] === k) bounds[last] = hi;
      else {
        bounds.push(hi);
        kids.push(k);
      }
    };
    for (let i = 0; i < s.length; i += 2) {
      const lo = Math.max(0, s[i]!);
      const hi = Math.min(size, s[i + 1]!);
      if (lo >= hi) continue;
      if (lo > pos) push(lo, FALSE);
      push(hi, child);
      pos = hi;
    }
    if (pos < size) push(size, FALSE);
    return this.mk(d, bounds, kids);
  }

  // ---- projections and renaming -----------------------------------------------------------------

  private readonly derivedCaches = new Map<string, Map<number, number>>();

  private derived(name: string): Map<number, number> {
    let c = this.derivedCaches.get(name);
    if (!c) this.derivedCaches.set(name, (c = new Map()));
    return c;
  }

  /**
   * Existential quantification: the set with every dimension d where quantified(d) removed (projected
   * away). `cacheKey` must identify `quantified` (results are memoised under it).
   */
  exists(a: SetId, quantified: (d: number) => boolean, cacheKey: string): SetId {
    const memo = this.derived(`E${cacheKey}`);
    const go = (n: SetId): SetId => {
      if (n <= TRUE) return n;
      const hit = memo.get(n);
      if (hit !== undefined) return hit;
      if (++this.steps > this.stepLimit) throw new BudgetExceeded(this.steps);
      const d = this.heap[n]!;
      const m = this.heap[n + 1]!;
      let r: SetId;
      if (quantified(d)) {
        const parts: SetId[] = [];
        for (let k = 0; k < m; k++) {
          const c = go(this.heap[n + NODE_HEADER + 2 * k + 1]!);
          if (c === TRUE) {
            parts.length = 0;
            parts.push(TRUE);
            break;
          }
          if (c !== FALSE) parts.push(c);
        }
        r = this.orAll(parts);
      } else {
        const bounds: number[] = [];
        const kids: number[] = [];
        for (let k = 0; k < m; k++) {
          const at = n + NODE_HEADER + 2 * k;
          const hi = this.heap[at]!;
          const c = go(this.heap[at + 1]!);
          const last = kids.length - 1;
          if (last >= 0 && kids[last] === c) bounds[last] = hi;
          else {
            bounds.push(hi);
            kids.push(c);
          }
        }
        r = this.mk(d, bounds, kids);
      }
      memo.set(n, r);
      return r;
    };
    return go(a);
  }

  /**
   * Rename dimensions: a node on dim d becomes a node on map[d]. `map` must be strictly increasing on
   * the dimensions the set uses and preserve sizes (e.g. moving label dims from one side to the other).
   */
  rename(a: SetId, map: readonly number[]): SetId {
    const memo = this.derived(`R${map.join(",")}`);
    const go = (n: SetId): SetId => {
      if (n <= TRUE) return n;
      const hit = memo.get(n);
      if (hit !== undefined) return hit;
      if (++this.steps > this.stepLimit) throw new BudgetExceeded(this.steps);
      const d = this.heap[n]!;
      const nd = map[d]!;
      if (this.sizes[nd] !== this.sizes[d]) throw new Error(`rename: dimension ${d} -> ${nd} changes size`);
      const bounds: number[] = [];
      const kids: number[] = [];
      for (const [, hi, k] of this.edges(n)) {
        const c = go(k);
        if (c <= TRUE ? false : this.heap[c]! <= nd) throw new Error("rename: map is not monotone on this set");
        bounds.push(hi);
        kids.push(c);
      }
      const r = this.mk(nd, bounds, kids);
      memo.set(n, r);
      return r;
    };
    return go(a);
  }

  // ---- reading nodes (for sets/queries.ts) ----------------------------------------------------

  /** Number of edges of a node (0 for the terminals). */
  edgeCount(n: SetId): number {
    return n <= TRUE ? 0 : this.heap[n + 1]!;
  }
  /** Exclusive upper bound of edge k of node n (edges are consecutive from 0). */
  edgeHi(n: SetId, k: number): number {
    return this.heap[n + NODE_HEADER + 2 * k]!;
  }
  /** Child of edge k of node n. */
  edgeKid(n: SetId, k: number): SetId {
    return this.heap[n + NODE_HEADER + 2 * k + 1]!;
  }

  // ---- queries (implemented in queries.ts) ------------------------------------------------------

  /** Membership of one point (a segment index per dimension). */
  member(a: SetId, pt: readonly number[]): boolean {
    return member(this, a, pt);
  }
  /** One point of a non-empty set; see queries.ts `witness`. */
  witness(
    a: SetId,
    pick?: (d: number, lo: number, hi: number) => number,
    prefer?: (d: number, lo: number, hi: number) => number,
  ): number[] | undefined {
    return witness(this, a, pick, prefer);
  }
  /** The set as disjoint boxes (at most `limit`). */
  cubes(a: SetId, limit = 16): { boxes: (IntervalSet | undefined)[][]; truncated: boolean } {
    return cubes(this, a, limit);
  }
  /** Number of points (segment count) as a float. */
  volume(a: SetId): number {
    return volume(this, a);
  }
  /** Weighted number of points: segment s of dimension d counts weights[d][s]. */
  weightedVolume(a: SetId, weights: readonly (readonly number[])[]): number {
    return weightedVolume(this, a, weights);
  }
  /** The segments dimension d takes in `a`. */
  project(a: SetId, d: number): IntervalSet {
    return project(this, a, d);
  }
  /** Debug rendering. */
  toString(a: SetId): string {
    return describe(this, a);
  }
}
