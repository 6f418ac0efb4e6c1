// Property: for thousands of random valid programs, laid out with random whitespace and comments
// between any two tokens (gen.ts), formatting is idempotent, its output parses cleanly, compiles to
// the identical IR and keeps every comment.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateProgram } from "./gen.js";
import { format, meaning, parsed } from "./helpers.js";

// Each full run checks and lowers the program twice (about 10 ms); the layout-only runs are cheaper.
const RUNS = Number(process.env.POL_FMT_RUNS ?? 700);
const LAYOUT_RUNS = Number(process.env.POL_FMT_LAYOUT_RUNS ?? 1500);

async function checkLayout(src: string, printWidth: number): Promise<string> {
  const out = await format(src, { printWidth });
  const result = parsed(out);
  expect(result.errors, out).toEqual([]);
  expect(await format(out, { printWidth }), `not idempotent:\n${src}\n----- formatted -----\n${out}`).toBe(out);
  expect(result.comments).toEqual(parsed(src).comments);
  return out;
}

async function checkOne(src: string, printWidth: number): Promise<void> {
  const before = meaning(src);
  expect(before.errors, src).toBeUndefined();
  const out = await checkLayout(src, printWidth);
  expect(meaning(out).ir, `meaning changed:\n${src}\n----- formatted -----\n${out}`).toBe(before.ir);
}

describe("formatting random programs", () => {
  it(`is idempotent, parses, keeps the IR and every comment (${RUNS} programs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), fc.constantFrom(40, 60, 80, 100), async (seed, comments, width) => {
        await checkOne(generateProgram(seed, comments), width);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it(`is idempotent, parses and keeps every comment (${LAYOUT_RUNS} more programs, widths 20-120, up to a comment in every other gap)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 20, max: 120 }), fc.constantFrom(2, 5, 12), async (seed, width, every) => {
        await checkLayout(generateProgram(seed, true, every), width);
      }),
      { numRuns: LAYOUT_RUNS },
    );
  }, 120_000);
});
