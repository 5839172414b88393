import { test } from "node:test";
import assert from "node:assert/strict";
import type { BeirDataset } from "./beir_dataset";
import { sampleBeirSubset } from "./subset";

const corpus = Array.from({ length: 20 }, (_, i) => ({ id: `d${i}`, title: "", text: `document ${i}` }));
const qrels = new Map([
  [
    "q1",
    new Map([
      ["d1", 1],
      ["d2", 0],
    ]),
  ],
  ["q2", new Map([["d3", 2]])],
  ["q3", new Map([["d4", 0]])], // no relevant document: never sampled
  [
    "q4",
    new Map([
      ["d5", 1],
      ["d6", 1],
    ]),
  ],
]);
const dataset: BeirDataset = {
  name: "toy",
  dir: "",
  split: "test",
  corpus,
  queries: ["q1", "q2", "q3", "q4"].map((id) => ({ id, text: id })),
  qrels,
};

test("sampleBeirSubset: every judged document of the kept queries, plus the asked number of distractors, seeded", () => {
  const { dataset: sub, report } = sampleBeirSubset(dataset, { queries: 2, distractors: 5, seed: 1 });
  assert.equal(sub.queries.length, 2);
  assert.ok(sub.queries.every((q) => q.id !== "q3"));
  const ids = new Set(sub.corpus.map((d) => d.id));
  for (const q of sub.queries) for (const id of sub.qrels.get(q.id)!.keys()) assert.ok(ids.has(id));
  assert.equal(report.distractors, 5);
  assert.equal(sub.corpus.length, report.judgedDocuments + 5);
  assert.equal(report.relevantKept, report.relevantTotal);
  assert.deepEqual(
    [...sub.qrels.keys()],
    sub.queries.map((q) => q.id),
  );
  assert.deepEqual(sampleBeirSubset(dataset, { queries: 2, distractors: 5, seed: 1 }).dataset.corpus, sub.corpus);
  // corpus order is kept
  assert.deepEqual(
    sub.corpus.map((d) => Number(d.id.slice(1))),
    [...sub.corpus.map((d) => Number(d.id.slice(1)))].sort((a, b) => a - b),
  );
});

test("sampleBeirSubset: no limits keeps every document and every query with a relevant document", () => {
  const { dataset: sub, report } = sampleBeirSubset(dataset, { seed: 3 });
  assert.equal(sub.corpus.length, 20);
  assert.deepEqual(
    sub.queries.map((q) => q.id),
    ["q1", "q2", "q4"],
  );
  assert.equal(report.relevantTotal, 4);
});
