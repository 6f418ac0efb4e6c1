// Writes the grammar's syntax diagrams as ONE self-contained HTML page (grammar/diagrams.html):
// chevrotain's diagram scripts and CSS are inlined from the installed package, so the page loads
// nothing from the network. Run: `npm run grammar:diagrams`.

import { createSyntaxDiagramsCode } from "chevrotain";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { polParser } from "./parser.js";

export function diagramsHtml(): string {
  const require = createRequire(import.meta.url);
  // the diagram assets ship in the package's top-level diagrams/ folder
  let dir = dirname(require.resolve("chevrotain"));
  while (!existsSync(join(dir, "diagrams", "diagrams.css")) && dirname(dir) !== dir) dir = dirname(dir);
  const base = join(dir, "diagrams") + "/";
  const html = createSyntaxDiagramsCode(polParser().getSerializedGastProductions(), { resourceBase: "@BASE@/", css: "@BASE@/diagrams.css" });
  return html
    .replace(/<link rel='stylesheet' href='@BASE@\/diagrams\.css'>/, () => `<style>\n${readFileSync(join(base, "diagrams.css"), "utf8")}\n</style>`)
    .replace(/<script src='@BASE@\/([^']+)'><\/script>/g, (_m, file: string) => `<script>\n${readFileSync(join(base, file), "utf8")}\n</script>`)
    .replace("<title>", "<title>.pol grammar — ");
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) process.stdout.write(diagramsHtml());
