// A set of spans by value (file, start, end), without building a string key per lookup.

import type { Span } from "../source.js";

export class SpanSet {
  private readonly byFile = new Map<string, Map<number, number | Set<number>>>();

  /** Adds `span`; false when an equal span was already there. */
  add(span: Span): boolean {
    let starts = this.byFile.get(span.file);
    if (!starts) this.byFile.set(span.file, (starts = new Map()));
    const ends = starts.get(span.start);
    if (ends === undefined) {
      starts.set(span.start, span.end);
      return true;
    }
    if (typeof ends === "number") {
      if (ends === span.end) return false;
      starts.set(span.start, new Set([ends, span.end]));
      return true;
    }
    if (ends.has(span.end)) return false;
    ends.add(span.end);
    return true;
  }
}
