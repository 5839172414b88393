import { test } from "node:test";
import assert from "node:assert/strict";
import { boundaryScores, chunkSizeStats, defaultWindow, pk, windowDiff } from "./metrics";

// 10 sentences; reference chunks 3 + 3 + 4, hypothesis 4 + 2 + 4. Default k = round(10 / 6) = 2, 8 windows over 9 gaps:
// reference counts per window 0 1 1 0 1 1 0 0, hypothesis 0 0 1 1 1 1 0 0: they differ in windows 1 and 3.
const reference = [3, 6];
const hypothesis = [4, 6];

test("Pk and WindowDiff on a toy segmentation, by hand", () => {
  assert.equal(defaultWindow(10, reference), 2);
  assert.equal(pk(10, reference, hypothesis), 2 / 8);
  assert.equal(windowDiff(10, reference, hypothesis), 2 / 8);
  assert.equal(pk(10, reference, reference), 0);
  // k = 3: 7 windows; reference counts 1 1 1 1 1 1 0, hypothesis 0 1 1 1 1 1 0 → one disagreement
  assert.equal(pk(10, reference, hypothesis, { k: 3 }), 1 / 7);
});

test("degenerate hypotheses: no boundary and every boundary", () => {
  assert.equal(pk(10, reference, []), 4 / 8);
  assert.equal(windowDiff(10, reference, []), 4 / 8);
  const every = [1, 2, 3, 4, 5, 6, 7, 8, 9]; // two boundaries in every window of 2 gaps
  assert.equal(pk(10, reference, every), 4 / 8); // wrong exactly where the reference window is empty
  assert.equal(windowDiff(10, reference, every), 1);
  assert.equal(windowDiff(10, reference, every, { weighted: true }), (2 + 1 + 1 + 2 + 1 + 1 + 2 + 2) / 8);
  const everyScores = boundaryScores(reference, every);
  assert.deepEqual([everyScores.precision, everyScores.recall, everyScores.matched], [2 / 9, 1, 2]);
  assert.ok(Math.abs(everyScores.f1 - 4 / 11) < 1e-15);
  assert.deepEqual(boundaryScores(reference, []), { precision: 0, recall: 0, f1: 0, matched: 0 });
  assert.deepEqual(boundaryScores([], []), { precision: 1, recall: 1, f1: 1, matched: 0 });
  assert.equal(pk(10, [], []), 0);
  assert.equal(pk(1, [], []), 0); // no gap, no window
  assert.equal(pk(3, [1], [], { k: 10 }), 1); // k clamped to the 2 gaps: one window, which disagrees
});

test("boundary P/R/F1: exact and within a tolerance, each reference matched once", () => {
  assert.deepEqual(boundaryScores(reference, hypothesis), { precision: 0.5, recall: 0.5, f1: 0.5, matched: 1 });
  assert.deepEqual(boundaryScores(reference, hypothesis, { tolerance: 1 }), {
    precision: 1,
    recall: 1,
    f1: 1,
    matched: 2,
  });
  assert.equal(boundaryScores([5], [4, 6], { tolerance: 1 }).matched, 1);
  assert.equal(boundaryScores([2, 4], [3, 5], { tolerance: 1 }).matched, 2);
});

test("chunk size variance in sentences and in tokens", () => {
  const sentences = chunkSizeStats(10, reference);
  assert.equal(sentences.chunks, 3);
  assert.ok(Math.abs(sentences.mean - 10 / 3) < 1e-12);
  assert.ok(Math.abs(sentences.variance - 2 / 9) < 1e-12);
  assert.deepEqual([sentences.min, sentences.max], [3, 4]);
  const tokens = chunkSizeStats(10, reference, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // chunks of 6, 15 and 34 tokens
  assert.ok(Math.abs(tokens.mean - 55 / 3) < 1e-12);
  assert.ok(Math.abs(tokens.variance - 3678 / 27) < 1e-9);
  assert.deepEqual(chunkSizeStats(0, []), { chunks: 0, mean: 0, variance: 0, min: 0, max: 0 });
});

test("malformed boundaries are refused", () => {
  assert.throws(() => pk(5, [0, 2], []), /reference: \[0,2\] must be increasing/);
  assert.throws(() => pk(5, [], [3, 3]), /hypothesis/);
  assert.throws(() => pk(5, [], [5]), /1 … 4/);
});
