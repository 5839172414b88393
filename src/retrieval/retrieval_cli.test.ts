// `shiftlab retrieve` and `shiftlab evaluate` end to end on a tiny BEIR folder (src/cli/retrieve.ts, src/cli/evaluate.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { projectRoot } from "../assets/paths";

const bin = path.join(projectRoot(), "bin", "shiftlab.js");
const shiftlab = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: projectRoot() });

function tinyDataset(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "retrieve-cli-"));
  mkdirSync(path.join(dir, "qrels"));
  const docs = [
    { _id: "d1", title: "Protein binding", text: "Receptors bind proteins." },
    { _id: "d2", title: "Cell death", text: "Apoptosis in cancer cells." },
    { _id: "d3", title: "", text: "Weather in spring." },
  ];
  writeFileSync(path.join(dir, "corpus.jsonl"), docs.map((d) => JSON.stringify(d)).join("\n") + "\n");
  const queries = [
    { _id: "q1", text: "protein receptor binding" },
    { _id: "q2", text: "cancer cell apoptosis" },
  ];
  writeFileSync(path.join(dir, "queries.jsonl"), queries.map((q) => JSON.stringify(q)).join("\n") + "\n");
  writeFileSync(path.join(dir, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t2\n");
  return dir;
}

test("retrieve --method bm25 prints the metrics as one JSON object and writes a run that evaluate scores the same", () => {
  const dir = tinyDataset();
  const runFile = path.join(dir, "bm25.run");
  const run = shiftlab(["retrieve", "--dataset", dir, "--method", "bm25", "--top-k", "2", "--run-out", runFile]);
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.equal(result.method, "bm25");
  assert.equal(result.queries, 2);
  assert.equal(result.documents, 3);
  assert.equal(result.ndcg_at_10, 1);
  assert.equal(result.mrr_at_10, 1);
  assert.match(readFileSync(runFile, "utf8"), /^q1 Q0 d1 1 \S+ shiftlab-bm25\nq1 Q0 \S+ 2 /);
  const evaluated = shiftlab(["evaluate", "--qrels", path.join(dir, "qrels", "test.tsv"), "--run", runFile]);
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.equal(JSON.parse(evaluated.stdout).ndcg_at_10, 1);
});

test("unknown flags, stray arguments and conflicting options exit 2 with a usage line", () => {
  const cases = [
    ["retrieve", "--dataset", "x", "--method", "bm25", "--bogus", "1"],
    ["retrieve", "--dataset", "x", "--method", "bm25", "stray"],
    ["retrieve", "--dataset", "x", "--method", "bm25", "--model", "m"],
    ["retrieve", "--dataset", "x", "--method", "bm25", "--postprocess", "whiten"],
    ["retrieve", "--dataset", "x", "--model", "m", "--postprocess", "pca"],
    ["evaluate", "--qrels", "a", "--run", "b", "extra"],
    ["evaluate", "--qrels", "a"],
  ];
  for (const args of cases) {
    const run = shiftlab(args);
    assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`usage: shiftlab ${args[0]} `));
  }
});

test("evaluate: a malformed run line is an error naming file and line", () => {
  const dir = tinyDataset();
  const runFile = path.join(dir, "bad.run");
  writeFileSync(runFile, "q1 Q0 d1 1 0.5 t\nq1 Q0 d2 2\n");
  const run = shiftlab(["evaluate", "--qrels", path.join(dir, "qrels", "test.tsv"), "--run", runFile]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /bad\.run:2: a run line has 6 fields/);
});
