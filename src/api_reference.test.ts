/** docs/api.md is generated from src/index.ts: it must list exactly what the public API exports (`npm run docs` rewrites it). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { apiByModule, apiReferenceMarkdown } from "../scripts/api_reference";

test("docs/api.md matches the exports of src/index.ts (run npm run docs after changing the public API)", () => {
  const page = readFileSync(path.join(__dirname, "..", "docs", "api.md"), "utf8");
  assert.equal(page, apiReferenceMarkdown());
  const names = [...apiByModule().values()].flat().map((e) => e.name);
  for (const expected of [
    "loadModel",
    "semanticShift",
    "dispersion",
    "meanPairwiseCosineDistance",
    "startNotebook",
    "reportVerdicts",
    "saveFigure",
  ]) {
    assert.ok(names.includes(expected), `${expected} is part of the public API`);
  }
});
