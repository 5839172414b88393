import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { projectRoot } from "../assets/paths";
import { parseSplitArgs, splitRecord, UsageError } from "./split";

const bin = path.join(projectRoot(), "bin", "shiftlab.js");
const shiftlab = (args: string[], input: string) =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: "utf8", cwd: projectRoot() });

const first = { id: "a", sentences: ["One.", "Two.", "Three.", "Four.", "Five.", "Six."], boundaries: [3] };
const second = { id: "b", text: "First sentence here. Second sentence here. Third sentence here. Fourth one." };
const input = [first, second].map((d) => JSON.stringify(d)).join("\n") + "\n";

test("split options: methods, numbers and unknown flags are checked as usage errors", () => {
  const settings = parseSplitArgs(["--method", "shift", "--target-size", "4.5", "--window", "2", "--tolerance", "1"]);
  assert.equal(settings.method, "shift");
  assert.equal(settings.chunking.targetSize, 4.5);
  assert.equal(settings.chunking.window, 2);
  assert.equal(settings.tolerance, 1);
  assert.throws(() => parseSplitArgs(["--method", "kmeans"]), UsageError);
  assert.throws(() => parseSplitArgs(["--method", "fixed", "--frobnicate", "1"]), /unknown option --frobnicate/);
  assert.throws(() => parseSplitArgs(["--method", "fixed", "stray"]), /unexpected argument "stray"/);
  assert.throws(
    () => parseSplitArgs(["--method", "fixed", "--target-size", "0"]),
    /--target-size must be a number > 0/,
  );
  assert.throws(() => parseSplitArgs(["--method", "fixed", "--size", "2.5"]), /--size must be a whole number/);
});

test("a split record: chunks with their text, and metrics when the truth is given", () => {
  const record = splitRecord({ lineNumber: 1, ...first }, [2, 4], { tolerance: 1 });
  assert.deepEqual(record.chunks, [
    { start: 0, end: 2, text: "One. Two." },
    { start: 2, end: 4, text: "Three. Four." },
    { start: 4, end: 6, text: "Five. Six." },
  ]);
  // k = round(6 / 4) = 2 over 5 gaps: truth counts 0 1 1 0, found 1 1 1 1 → Pk 2/4, WindowDiff 2/4
  assert.deepEqual(record.metrics, { pk: 0.5, windowDiff: 0.5, precision: 0.5, recall: 1, f1: 2 / 3 });
});

test("shiftlab split streams one line per document and the mean metrics on stderr", () => {
  const run = shiftlab(["split", "--method", "fixed", "--size", "3"], input);
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(lines[0].boundaries, [3]);
  assert.deepEqual(lines[0].metrics, { pk: 0, windowDiff: 0, precision: 1, recall: 1, f1: 1 });
  assert.deepEqual(lines[1].boundaries, [3]);
  assert.equal(lines[1].chunks[1].text, "Fourth one.");
  const summary = JSON.parse(run.stderr.trim().split("\n").at(-1)!);
  assert.deepEqual(summary, {
    method: "fixed",
    documents: 2,
    meanChunkSentences: 2.5,
    scored: 1,
    pk: 0,
    windowDiff: 0,
    precision: 1,
    recall: 1,
    f1: 1,
  });
});

test("shiftlab split: a malformed line stops with its number after the lines before it; bad flags exit 2", () => {
  const run = shiftlab(["split", "--method", "texttiling"], input + '{"id": "c", "text": \n');
  assert.equal(run.status, 1);
  assert.match(run.stderr, /stdin line 3: not valid JSON/);
  assert.deepEqual(
    run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).id),
    ["a", "b"],
  );
  const unknown = shiftlab(["split", "--method", "fixed", "--percentil", "90"], input);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --percentil/);
});
