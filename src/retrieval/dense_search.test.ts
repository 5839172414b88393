import { test } from "node:test";
import assert from "node:assert/strict";
import { matrixFromRows } from "../matrix";
import { denseSearch } from "./dense_search";

const DOCS = matrixFromRows([
  [1, 0, 0],
  [0, 2, 0], // same direction as the next row: an exact tie
  [0, 1, 0],
  [1, 1, 0],
  [0, 0, 0], // zero vector: cosine 0 with everything
]);
const IDS = ["a", "c", "b", "d", "z"];

test("denseSearch: cosine top-k, ties by ascending id, the same for every query block size", () => {
  const queries = matrixFromRows([
    [0, 3, 0],
    [1, 0.5, 0],
  ]);
  const expected = [
    [
      ["b", 1],
      ["c", 1],
      ["d", Math.SQRT1_2],
    ],
    [
      ["d", 1.5 / Math.sqrt(2.5)],
      ["a", 2 / Math.sqrt(5)],
      ["b", 1 / Math.sqrt(5)],
    ],
  ];
  for (const blockEntries of [1, 5, 1 << 22]) {
    const hits = denseSearch(queries, DOCS, IDS, 3, { blockEntries });
    assert.equal(hits.length, 2);
    hits.forEach((row, q) => {
      assert.deepEqual(
        row.map((h) => h.docId),
        expected[q].map((e) => e[0]),
      );
      row.forEach((h, i) => assert.ok(Math.abs(h.score - (expected[q][i][1] as number)) < 1e-6));
    });
  }
});

test("denseSearch: k beyond the corpus returns every document; the zero vector scores 0", () => {
  const [row] = denseSearch(matrixFromRows([[0, 0, 1]]), DOCS, IDS, 10);
  assert.deepEqual(
    row.map((h) => h.docId),
    ["a", "b", "c", "d", "z"],
  );
  assert.ok(row.every((h) => h.score === 0));
  assert.throws(() => denseSearch(matrixFromRows([[1, 0]]), DOCS, IDS, 1), /width 2 differs/);
});
