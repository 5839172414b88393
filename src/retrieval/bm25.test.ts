import { test } from "node:test";
import assert from "node:assert/strict";
import { Bm25Index } from "./bm25";

const split = (text: string) => text.split(" ").filter((t) => t !== "");
const DOCS = [
  { id: "d1", text: "cat cat dog" },
  { id: "d2", text: "dog bird" },
  { id: "d3", text: "fish fish fish fish" },
];

test("BM25: idf = ln(1 + (N − n + 0.5)/(n + 0.5))", () => {
  const index = new Bm25Index(DOCS, { analyze: split });
  assert.ok(Math.abs(index.idf("cat") - Math.log(1 + 2.5 / 1.5)) < 1e-12);
  assert.ok(Math.abs(index.idf("dog") - Math.log(1 + 1.5 / 2.5)) < 1e-12);
  assert.ok(Math.abs(index.idf("unseen") - Math.log(1 + 3.5 / 0.5)) < 1e-12);
  assert.equal(index.averageLength, 3);
});

test("BM25: hand-computed scores with k1 = 1.2, b = 0.75, query terms counted with multiplicity", () => {
  const index = new Bm25Index(DOCS, { k1: 1.2, b: 0.75, analyze: split });
  const scores = index.scores("cat dog dog");
  // d1: |d| = 3 = avgdl, so the length factor is 1: cat tf 2, dog tf 1
  const idfCat = Math.log(1 + 2.5 / 1.5);
  const idfDog = Math.log(1 + 1.5 / 2.5);
  const d1 = (idfCat * 2 * 2.2) / (2 + 1.2) + (2 * idfDog * 1 * 2.2) / (1 + 1.2);
  // d2: |d| = 2, factor 1 − 0.75 + 0.75·2/3 = 0.75
  const d2 = (2 * idfDog * 1 * 2.2) / (1 + 1.2 * 0.75);
  assert.ok(Math.abs(scores[0] - d1) < 1e-12, `${scores[0]} vs ${d1}`);
  assert.ok(Math.abs(scores[1] - d2) < 1e-12, `${scores[1]} vs ${d2}`);
  assert.equal(scores[2], 0);
  assert.ok(Math.abs(d1 - 2.28865) < 1e-5 && Math.abs(d2 - 1.08843) < 1e-5);
});

test("BM25 search: ranked by score, then id; zero-score documents fill the list; default analyzer stems", () => {
  const index = new Bm25Index([
    { id: "b", text: "Binding of the receptors" },
    { id: "a", text: "receptor binding" },
    { id: "c", text: "unrelated words here" },
  ]);
  const hits = index.search("receptors bind", 3);
  assert.deepEqual(
    hits.map((h) => h.docId),
    ["a", "b", "c"],
  );
  assert.ok(Math.abs(hits[0].score - hits[1].score) < 1e-12); // same terms, same length after stopwords: a tie
  assert.equal(hits[2].score, 0);
});
