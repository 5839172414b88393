import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { projectRoot } from "../assets/paths";
import { theorem1Prediction } from "../metrics/shift";
import { CorpusShiftSummary, type DocumentShift } from "./shift";

const bin = path.join(projectRoot(), "bin", "shiftlab.js");

const record = (id: string, sentences: number, disp: number, cMean: number, tokens = 50): DocumentShift => ({
  id,
  sentences,
  local: disp * (sentences - 1),
  disp,
  shift: disp * disp * (sentences - 1),
  cMean,
  tokens,
});

test("corpus summary: quantiles, and the most diluted documents with their reasons", () => {
  const summary = new CorpusShiftSummary(512);
  for (let i = 0; i < 20; i++) summary.add(record(`d${i}`, 3 + (i % 5), 0.2 + i * 0.01, 0.1 + i * 0.01));
  summary.add(record("long", 30, 0.6, 0.5, 900));
  const out = summary.summary();
  assert.equal(out.documents, 21);
  assert.equal(out.quantiles.sentences.max, 30);
  assert.equal(out.quantiles.cMean.median, 0.2);
  assert.deepEqual(
    out.mostAtRisk.map((r) => r.id),
    ["long", "d19", "d18", "d17", "d16"],
  );
  const reasons = out.mostAtRisk[0].reasons;
  assert.match(reasons[0], /^truncated: 900 tokens, the model reads 512/);
  assert.match(reasons[1], /^long: 30 sentences/);
  assert.ok(reasons.some((r) => r.startsWith("dispersed: Disp 0.600")));
  assert.match(reasons.at(-1)!, new RegExp(`below ${theorem1Prediction(0.6, 30).toFixed(3)}$`));
});

test("shiftlab shift: one record per document with Shift = Local · Disp, and the summary on stderr", () => {
  const input = [
    {
      id: "a",
      sentences: ["The river was wide and slow.", "Boats drifted on the water.", "The orchestra tuned their violins."],
    },
    { id: "b", text: "Pooling dilutes meaning. Long texts suffer most." },
  ]
    .map((d) => JSON.stringify(d))
    .join("\n");
  const run = spawnSync(process.execPath, [bin, "shift", "--model", "shiftlab-mini-encoder"], {
    input,
    encoding: "utf8",
    cwd: projectRoot(),
  });
  assert.equal(run.status, 0, run.stderr);
  const records = run.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as DocumentShift);
  assert.deepEqual(
    records.map((r) => [r.id, r.sentences]),
    [
      ["a", 3],
      ["b", 2],
    ],
  );
  for (const r of records) {
    assert.ok(Math.abs(r.shift - r.local * r.disp) < 1e-12);
    assert.ok(r.cMean! > 0 && r.cMean! < 1, `cMean ${r.cMean}`);
    assert.ok(r.cMean! >= theorem1Prediction(r.disp, r.sentences) - 1e-6, "no pooled vector beats Theorem 1's floor");
    assert.ok(r.tokens > r.sentences * 3);
  }
  const summary = JSON.parse(run.stderr.trim().split("\n").at(-1)!);
  assert.equal(summary.documents, 2);
  assert.equal(summary.mostAtRisk.length, 2);
  assert.ok(summary.mostAtRisk[0].cMean >= summary.mostAtRisk[1].cMean);
  const stray = spawnSync(process.execPath, [bin, "shift", "extra"], { input, encoding: "utf8", cwd: projectRoot() });
  assert.equal(stray.status, 2);
  assert.match(stray.stderr, /unexpected argument "extra"/);
});
