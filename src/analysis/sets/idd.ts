// An interned interval decision diagram (IDD): canonical sets over a product of compressed dimensions
// (shadow-analysis.md §5.2). A node tests one dimension and partitions its whole segment range into
// consecutive intervals, each leading to a child; adjacent intervals with the same child are merged,
// a node whose intervals all lead to the same child is that child (so unconstrained dimensions cost
// nothing), and nodes are hash-consed in a unique table. Hence equal sets are the same node id, and
// ∧ ∨ ∖ ⊕ are memoised simultaneous walks (a BDD `apply` with interval edges).
//
// Dimensions are tested in index order (0 first). Node 0 is the empty set, node 1 the full space.

import { type IntervalSet, rangesOf } from "./interval-set.js";

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
}

const HEAP_LIMIT = 1 << 28; // node ids are heap offsets; cache keys are (id << 3) | op
const CACHE_MIN_BITS = 14;
const CACHE_MAX_BITS = 16;
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
  // Scratch stack where apply builds edge lists before interning them.
  private scratch = new Int32Array(1 << 12);
  private sp = 0;
  private readonly volumes = new Map<number, number>();
  private readonly wvolumes = new WeakMap<readonly (readonly number[])[], { memo: Map<number, number>; cum: Float64Array[] }>();

  constructor(sizes: readonly number[]) {
    for (const s of sizes) if (!(Number.isInteger(s) && s >= 1)) throw new Error(`bad dimension size ${s}`);
    this.sizes = [...sizes];
    this.dims = sizes.length;
    this.heap[0] = this.dims;
    this.heap[1] = this.dims;
  }

  get nodeCount(): number {
    return this.count;
  }

  /** Drop the operation caches (results stay valid; only speed is affected). */
  clearCaches(): void {
    this.cache.fill(-1);
    this.volumes.clear();
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

  // ---- queries ----------------------------------------------------------------------------------

  /** Membership of one point (a segment index per dimension). */
  member(a: SetId, pt: readonly number[]): boolean {
    const h = this.heap;
    let n = a;
    while (n > TRUE) {
      const x = pt[h[n]!]!;
      const m = h[n + 1]!;
      let at = n + NODE_HEADER;
      for (let k = 0; k < m - 1 && h[at]! <= x; k++) at += 2;
      n = h[at + 1]!;
    }
    return n === TRUE;
  }

  /**
   * One point of a non-empty set (undefined if empty). `pick(d, lo, hi)` chooses a segment inside the
   * half-open range [lo, hi) the walk allows for dimension d (default: lo); `prefer(d, lo, hi)` ranks
   * candidate edges (higher first; default: the first non-empty edge).
   */
  witness(
    a: SetId,
    pick: (d: number, lo: number, hi: number) => number = (_d, lo) => lo,
    prefer?: (d: number, lo: number, hi: number) => number,
  ): number[] | undefined {
    if (a === FALSE) return undefined;
    const pt: number[] = new Array<number>(this.dims);
    const chosen: boolean[] = new Array<boolean>(this.dims).fill(false);
    let n = a;
    while (n > TRUE) {
      const d = this.heap[n]!;
      let best: [number, number, SetId] | undefined;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const e of this.edges(n)) {
        if (e[2] === FALSE) continue;
        const score = prefer ? prefer(d, e[0], e[1]) : 0;
        if (best === undefined || score > bestScore) {
          best = e;
          bestScore = score;
        }
      }
      pt[d] = pick(d, best![0], best![1]);
      chosen[d] = true;
      n = best![2];
    }
    for (let d = 0; d < this.dims; d++) if (!chosen[d]) pt[d] = pick(d, 0, this.sizes[d]!);
    return pt;
  }

  /**
   * The set as a list of boxes (disjoint; one per path to TRUE), at most `limit` of them; `undefined`
   * in a box means the whole dimension. Returns `truncated` when there were more.
   */
  cubes(a: SetId, limit = 16): { boxes: (IntervalSet | undefined)[][]; truncated: boolean } {
    const boxes: (IntervalSet | undefined)[][] = [];
    let truncated = false;
    const cur: (IntervalSet | undefined)[] = new Array(this.dims).fill(undefined);
    const walk = (n: SetId): void => {
      if (truncated || n === FALSE) return;
      if (n === TRUE) {
        if (boxes.length >= limit) truncated = true;
        else boxes.push([...cur]);
        return;
      }
      const d = this.heap[n]!;
      // Group edges leading to the same child into one interval set.
      const byKid = new Map<SetId, number[]>();
      for (const [lo, hi, k] of this.edges(n)) {
        if (k === FALSE) continue;
        const s = byKid.get(k) ?? [];
        s.push(lo, hi);
        byKid.set(k, s);
      }
      for (const [k, s] of byKid) {
        cur[d] = s;
        walk(k);
        cur[d] = undefined;
      }
    };
    walk(a);
    return { boxes, truncated };
  }

  /** Number of points (segment-count volume) as a float; a cheap size measure for ranking overlaps. */
  volume(a: SetId): number {
    return this.vol(a, 0);
  }

  /**
   * Weighted volume: each segment of dimension d counts weights[d][segment] (e.g. how many addresses
   * or ports it stands for). A float; memoised per weights table.
   */
  weightedVolume(a: SetId, weights: readonly (readonly number[])[]): number {
    let entry = this.wvolumes.get(weights);
    if (!entry) {
      // Prefix sums: the weight of segments [lo, hi) is cum[hi] - cum[lo].
      const cum = weights.map((w) => {
        const c = new Float64Array(w.length + 1);
        for (let i = 0; i < w.length; i++) c[i + 1] = c[i]! + w[i]!;
        return c;
      });
      entry = { memo: new Map(), cum };
      this.wvolumes.set(weights, entry);
    }
    const { memo, cum } = entry;
    const go = (n: SetId, fromDim: number): number => {
      if (n === FALSE) return 0;
      const d = this.heap[n]!;
      let skipped = 1;
      for (let k = fromDim; k < d; k++) skipped *= cum[k]![cum[k]!.length - 1]!;
      if (n === TRUE) return skipped;
      let v = memo.get(n);
      if (v === undefined) {
        v = 0;
        const c = cum[d]!;
        const m = this.heap[n + 1]!;
        let lo = 0;
        for (let k = 0; k < m; k++) {
          const at = n + NODE_HEADER + 2 * k;
          const hi = this.heap[at]!;
          const kid = this.heap[at + 1]!;
          if (kid !== FALSE) v += (c[hi]! - c[lo]!) * go(kid, d + 1);
          lo = hi;
        }
        memo.set(n, v);
      }
      return skipped * v;
    };
    return go(a, 0);
  }

  private vol(n: SetId, fromDim: number): number {
    // Volume of n counted over dimensions fromDim..dims-1.
    if (n === FALSE) return 0;
    const d = this.heap[n]!;
    let skipped = 1;
    for (let k = fromDim; k < d; k++) skipped *= this.sizes[k]!;
    if (n === TRUE) return skipped;
    let v = this.volumes.get(n);
    if (v === undefined) {
      v = 0;
      for (const [lo, hi, k] of this.edges(n)) v += (hi - lo) * this.vol(k, d + 1);
      this.volumes.set(n, v);
    }
    return skipped * v;
  }

  /** Segment ranges of a point-set projection: the values dimension d takes in `a`. */
  project(a: SetId, d: number): IntervalSet {
    const seen = new Set<SetId>();
    const acc: [number, number][] = [];
    const walk = (n: SetId): boolean => {
      if (n === FALSE || seen.has(n)) return false;
      seen.add(n);
      const nd = this.heap[n]!;
      if (nd > d) {
        acc.push([0, this.sizes[d]!]);
        return true;
      }
      if (nd === d) {
        for (const [lo, hi, k] of this.edges(n)) if (k !== FALSE) acc.push([lo, hi]);
        return false;
      }
      for (const [, , k] of this.edges(n)) if (walk(k)) return true;
      return false;
    };
    walk(a);
    acc.sort((x, y) => x[0] - y[0]);
    const out: number[] = [];
    for (const [lo, hi] of acc) {
      const m = out.length;
      if (m > 0 && lo <= out[m - 1]!) out[m - 1] = Math.max(out[m - 1]!, hi);
      else out.push(lo, hi);
    }
    return out;
  }

  /** Debug rendering. */
  toString(a: SetId): string {
    if (a === FALSE) return "∅";
    if (a === TRUE) return "⊤";
    const { boxes, truncated } = this.cubes(a, 8);
    const parts = boxes.map((b) =>
      b
        .map((s, d) => (s === undefined ? undefined : `d${d}∈${rangesOf(s).map(([l, h]) => (h === l + 1 ? `${l}` : `${l}..${h - 1}`)).join(",")}`))
        .filter((x) => x !== undefined)
        .join(" × ") || "⊤",
    );
    return parts.join(" ∪ ") + (truncated ? " ∪ …" : "");
  }
}
