import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateQuery, evaluateRun, trecEvalOrder } from "./ir_metrics";
import type { Qrels, Run } from "./trec_files";

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

// q1: graded judgments; q2: judged but nothing relevant; q3: one relevant document
const QRELS: Qrels = new Map([
  [
    "q1",
    new Map([
      ["d1", 2],
      ["d2", 1],
      ["d3", 0],
      ["d4", 1],
    ]),
  ],
  ["q2", new Map([["d5", 0]])],
  ["q3", new Map([["d1", 1]])],
  ["q5", new Map([["d1", 1]])],
]);
// q1: d1 and dX tie at 0.8; trec_eval puts the larger id first, so dX is rank 2 and d1 rank 3. q3: d1 and d2 tie → d2, d1.
const RUN: Run = new Map([
  [
    "q1",
    [
      { docId: "d3", score: 0.9 },
      { docId: "d1", score: 0.8 },
      { docId: "dX", score: 0.8 },
      { docId: "d2", score: 0.5 },
    ],
  ],
  ["q2", [{ docId: "d5", score: 1 }]],
  [
    "q3",
    [
      { docId: "d1", score: 0.7 },
      { docId: "d2", score: 0.7 },
    ],
  ],
  ["q4", [{ docId: "d1", score: 0.7 }]],
]);

test("trecEvalOrder: score descending, then document id descending (trec_eval's comp_sim_docno)", () => {
  assert.deepEqual(
    trecEvalOrder(RUN.get("q1")!).map((h) => h.docId),
    ["d3", "dX", "d1", "d2"],
  );
});

test("evaluateQuery: graded nDCG@10, recall, MRR@10 and MAP@100 computed by hand, ties as trec_eval breaks them", () => {
  const m = evaluateQuery(QRELS.get("q1")!, RUN.get("q1")!)!;
  // ranks: d3 (0), dX (unjudged), d1 (2), d2 (1); d4 (1) not retrieved
  const dcg = 2 / Math.log2(4) + 1 / Math.log2(5); // 1.4306765581
  const idealDcg = 2 / Math.log2(2) + 1 / Math.log2(3) + 1 / Math.log2(4); // 3.1309297536
  close(m.ndcg_at_10, dcg / idealDcg, "nDCG@10");
  close(m.ndcg_at_10, 0.456949427384, "nDCG@10 value");
  close(m.recall_at_10, 2 / 3, "Recall@10");
  close(m.recall_at_100, 2 / 3, "Recall@100");
  close(m.mrr_at_10, 1 / 3, "MRR@10");
  close(m.map_at_100, (1 / 3 + 2 / 4) / 3, "MAP@100");
  const tie = evaluateQuery(QRELS.get("q3")!, RUN.get("q3")!)!;
  close(tie.ndcg_at_10, 1 / Math.log2(3), "nDCG@10 after the tie");
  close(tie.mrr_at_10, 0.5, "MRR@10 after the tie");
  assert.equal(evaluateQuery(QRELS.get("q2")!, RUN.get("q2")!), undefined);
});

test("evaluateQuery: cut-offs at 10 and 100", () => {
  const hits = Array.from({ length: 120 }, (_, i) => ({ docId: `n${String(i).padStart(3, "0")}`, score: 1000 - i }));
  hits[10] = { docId: "r1", score: 1000 - 10 }; // rank 11
  hits[110] = { docId: "r2", score: 1000 - 110 }; // rank 111
  const m = evaluateQuery(
    new Map([
      ["r1", 1],
      ["r2", 3],
    ]),
    hits,
  )!;
  assert.equal(m.ndcg_at_10, 0);
  assert.equal(m.mrr_at_10, 0);
  assert.equal(m.recall_at_10, 0);
  assert.equal(m.recall_at_100, 0.5);
  close(m.map_at_100, 1 / 11 / 2, "MAP@100");
});

test("evaluateRun: means over queries with relevant documents, skipped and ignored queries counted", () => {
  const m = evaluateRun(QRELS, RUN);
  assert.equal(m.queries, 2);
  assert.equal(m.skipped_no_relevant, 1); // q2
  assert.equal(m.skipped_not_in_run, 1); // q5
  assert.equal(m.ignored_unjudged, 1); // q4
  close(m.ndcg_at_10, (0.456949427384 + 1 / Math.log2(3)) / 2, "mean nDCG@10");
  close(m.recall_at_100, (2 / 3 + 1) / 2, "mean Recall@100");
  close(m.mrr_at_10, (1 / 3 + 1 / 2) / 2, "mean MRR@10");
  close(m.map_at_100, ((1 / 3 + 2 / 4) / 3 + 1 / 2) / 2, "mean MAP@100");
});
