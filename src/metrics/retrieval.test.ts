import { test } from "node:test";
import assert from "node:assert/strict";
import { matrixFromRows } from "../matrix";
import { fractionWithinRank, meanReciprocalRank, overlapAtK, relevantRanks } from "./retrieval";

// Candidates on the unit circle at 0°, 90°, 180°, 270° (scaled: cosine ignores length).
const candidates = matrixFromRows([
  [2, 0],
  [0, 1],
  [-3, 0],
  [0, -1],
]);

test("ranks count the candidates at least as similar as the relevant one", () => {
  // query 0 at 10°: nearest 0°, then 90°, then 270°, then 180°
  // query 1 at 100°: nearest 90° (rank 1)
  // query 2 at 10° again, but its relevant candidate is 270° → rank 3
  const deg = (d: number) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)];
  const queries = matrixFromRows([deg(10), deg(100), deg(10)]);
  assert.deepEqual(relevantRanks(queries, candidates, [0, 1, 3]), [1, 1, 3]);
  assert.deepEqual(relevantRanks(queries, candidates, [2, 1, 1]), [4, 1, 2]);
  assert.equal(overlapAtK(queries, candidates, 1, [0, 1, 3]), 2 / 3);
  assert.equal(overlapAtK(queries, candidates, 3, [0, 1, 3]), 1);
  assert.equal(overlapAtK(queries, candidates, 1, [2, 1, 1]), 1 / 3);
});

test("by default query i looks for candidate i; ties count against the query", () => {
  const queries = matrixFromRows([
    [1, 0.01],
    [0.01, 1],
  ]);
  assert.deepEqual(relevantRanks(queries, candidates), [1, 1]);
  // two identical candidates: neither wins the tie
  const twins = matrixFromRows([
    [1, 1],
    [1, 1],
    [-1, 0],
  ]);
  assert.deepEqual(
    relevantRanks(
      matrixFromRows([
        [1, 1],
        [1, 1],
      ]),
      twins,
    ),
    [2, 2],
  );
  assert.equal(
    overlapAtK(
      matrixFromRows([
        [1, 1],
        [1, 1],
      ]),
      twins,
      1,
    ),
    0,
  );
  assert.equal(
    overlapAtK(
      matrixFromRows([
        [1, 1],
        [1, 1],
      ]),
      twins,
      2,
    ),
    1,
  );
});

test("helpers and argument checks", () => {
  assert.equal(fractionWithinRank([1, 2, 5, 6], 5), 0.75);
  assert.ok(Number.isNaN(fractionWithinRank([], 1)));
  assert.equal(meanReciprocalRank([1, 2, 4]), (1 + 0.5 + 0.25) / 3);
  assert.throws(() => overlapAtK(candidates, candidates, 0), /positive integer/);
  assert.throws(() => relevantRanks(matrixFromRows([[1, 0, 0]]), candidates), /widths differ/);
  assert.throws(() => relevantRanks(candidates, candidates, [0, 1]), /2 relevant indices for 4 queries/);
  assert.throws(() => relevantRanks(matrixFromRows([[1, 0]]), candidates, [4]), /not a candidate row/);
});

test("more queries than one similarity block", () => {
  // 600 queries, each equal to one of 3 well-separated candidates (query i → candidate i % 3)
  const three = matrixFromRows([
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ]);
  const queries = matrixFromRows(Array.from({ length: 600 }, (_, i) => [0, 1, 2].map((j) => (j === i % 3 ? 1 : 0.1))));
  const relevant = Array.from({ length: 600 }, (_, i) => i % 3);
  assert.equal(overlapAtK(queries, three, 1, relevant), 1);
  assert.equal(
    overlapAtK(
      queries,
      three,
      1,
      relevant.map((r) => (r + 1) % 3),
    ),
    0,
  );
});
