import { test } from "node:test";
import assert from "node:assert/strict";
import { topK } from "./ranking";

test("topK: best scores first, ties broken by ascending document id", () => {
  const hits = topK([0.5, 0.9, 0.5, 0.1, 0.5], ["d3", "d1", "d2", "d0", "d10"], 4);
  assert.deepEqual(hits, [
    { docId: "d1", score: 0.9 },
    { docId: "d10", score: 0.5 },
    { docId: "d2", score: 0.5 },
    { docId: "d3", score: 0.5 },
  ]);
});

test("topK: k larger than the collection returns everything, sorted; the result does not depend on input order", () => {
  const ids = Array.from({ length: 50 }, (_, i) => `doc${i}`);
  const scores = ids.map((_, i) => (i * 7) % 5); // many ties; score 4 for i ≡ 2 (mod 5)
  const forward = topK(scores, ids, 10);
  const reversed = topK(scores.slice().reverse(), ids.slice().reverse(), 10);
  assert.deepEqual(forward, reversed);
  assert.deepEqual(
    forward.map((h) => h.docId),
    ["doc12", "doc17", "doc2", "doc22", "doc27", "doc32", "doc37", "doc42", "doc47", "doc7"],
  );
  assert.equal(topK([1, 2], ["a", "b"], 5).length, 2);
});

test("topK: NaN scores and bad k are errors", () => {
  assert.throws(() => topK([1, NaN], ["a", "b"], 1), /document "b" is NaN/);
  assert.throws(() => topK([1], ["a"], 0), /positive integer/);
});
