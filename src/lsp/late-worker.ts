// The analysis process behind phase 2 (check.ts), forked by late.ts at a lower CPU priority: it
// receives the project and the open documents' text, checks the project itself (with its own parse
// cache, so only changed files are parsed again), then lowers it and runs the tier-chain analysis, and
// answers with the lowering and analysis diagnostics and the summary of the Calico objects. Nothing
// large crosses the process boundary. It exits when the server does.
import { checkProject, completeProject } from "./check.js";
import { ParseCache } from "./parse-cache.js";
import type { LateRequest, LateResponse } from "./late.js";

const cache = new ParseCache();

process.on("disconnect", () => process.exit(0));

process.on("message", (req: LateRequest) => {
  const t0 = performance.now();
  let res: LateResponse;
  try {
    const open = new Map(Object.entries(req.openTexts));
    const check = checkProject({
      entries: req.entries,
      projectRoot: req.projectRoot,
      stdlibRoot: req.stdlibRoot,
      openText: (abs) => open.get(abs),
      cache,
      analysis: req.analysis,
      info: req.info,
    });
    const late = completeProject(check, { analysis: req.analysis, info: req.info });
    res = { id: req.id, ok: true, late: { ...late, millis: performance.now() - t0 } };
  } catch (e) {
    res = { id: req.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  process.send?.(res);
});
