import { test } from "node:test";
import assert from "node:assert/strict";
import { formatRun, parseQrels, parseRun } from "./trec_files";

test("qrels: BEIR tsv with header and TREC four-column lines give the same judgments", () => {
  const beir = parseQrels("query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td2\t0\r\n\nq2\td1\t1\n", "test.tsv");
  const trec = parseQrels("q1 0 d1 2\nq1 0 d2 0\nq2 0 d1 1\n", "qrels.txt");
  assert.deepEqual(beir.qrels, trec.qrels);
  assert.equal(beir.qrels.get("q1")!.get("d1"), 2);
  assert.deepEqual(
    beir.entries.map((e) => e.line),
    [2, 3, 5],
  );
});

test("qrels: bad lines name file and line", () => {
  assert.throws(
    () => parseQrels("q1\td1\n", "a.tsv"),
    /^Error: a\.tsv:1: a qrels line has 3 \(BEIR\) or 4 \(TREC\) fields, found 2/,
  );
  assert.throws(
    () => parseQrels("q1\td1\t1\nq1\td1\t2\n", "a.tsv"),
    /a\.tsv:2: query q1 judges document d1 again \(first on line 1\)/,
  );
  assert.throws(() => parseQrels("q1\td1\thigh\n", "a.tsv"), /a\.tsv:1: relevance must be an integer/);
});

test("run: parsed per query in file order; malformed lines and duplicates name file and line", () => {
  const run = parseRun("q1 Q0 d1 1 0.5 tag\nq1 Q0 d2 2 0.25 tag\nq2 Q0 d9 1 -1e-3 tag\n", "run.txt");
  assert.deepEqual(run.get("q1"), [
    { docId: "d1", score: 0.5 },
    { docId: "d2", score: 0.25 },
  ]);
  assert.deepEqual(run.get("q2"), [{ docId: "d9", score: -0.001 }]);
  assert.throws(
    () => parseRun("q1 Q0 d1 1 0.5 tag\nq1 Q0 d2 2 tag\n", "run.txt"),
    /run\.txt:2: a run line has 6 fields/,
  );
  assert.throws(() => parseRun("q1 Q0 d1 1 NaN tag\n", "run.txt"), /run\.txt:1: score must be a finite number/);
  assert.throws(
    () => parseRun("q1 Q0 d1 1 1 t\nq1 Q0 d1 2 0.5 t\n", "run.txt"),
    /run\.txt:2: query q1 retrieves document d1 twice/,
  );
});

test("formatRun writes what parseRun reads back, ranks from 1", () => {
  const run = new Map([
    [
      "q1",
      [
        { docId: "d1", score: 0.8123456835746765 },
        { docId: "d2", score: 0.1 },
      ],
    ],
  ]);
  const text = formatRun(run, "bm25");
  assert.equal(text, "q1 Q0 d1 1 0.8123456835746765 bm25\nq1 Q0 d2 2 0.1 bm25\n");
  assert.deepEqual(parseRun(text, "x"), run);
});
