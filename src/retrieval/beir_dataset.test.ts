import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { documentText, loadBeirDataset, parseCorpus, parseQueries } from "./beir_dataset";

function writeDataset(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "beir-"));
  mkdirSync(path.join(dir, "qrels"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const CORPUS = '{"_id": "d1", "title": "T1", "text": "one\u2028two"}\n{"_id": 2, "text": "no title"}\n\n';
const QUERIES = '{"_id": "q1", "text": "first"}\n{"_id": "q2", "text": "second"}\n{"_id": "q3", "text": "unjudged"}\n';

test("loadBeirDataset: corpus, the split's judged queries in file order, qrels; U+2028 stays inside a line", () => {
  const dir = writeDataset({
    "corpus.jsonl": CORPUS,
    "queries.jsonl": QUERIES,
    "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq2\td1\t1\nq1\t2\t0\n",
  });
  const data = loadBeirDataset(dir);
  assert.deepEqual(data.corpus, [
    { id: "d1", title: "T1", text: "one\u2028two" },
    { id: "2", title: "", text: "no title" },
  ]);
  assert.deepEqual(
    data.queries.map((q) => q.id),
    ["q1", "q2"],
  );
  assert.equal(data.qrels.get("q2")!.get("d1"), 1);
  assert.equal(documentText(data.corpus[0]), "T1 one\u2028two");
  assert.equal(documentText(data.corpus[1]), "no title");
});

test("loadBeirDataset: qrels naming unknown queries or documents name the qrels line", () => {
  const unknownDoc = writeDataset({
    "corpus.jsonl": CORPUS,
    "queries.jsonl": QUERIES,
    "qrels/test.tsv": "q1\td1\t1\nq1\td9\t1\n",
  });
  assert.throws(() => loadBeirDataset(unknownDoc), /test\.tsv:2: document "d9" is not in .*corpus\.jsonl/);
  const unknownQuery = writeDataset({
    "corpus.jsonl": CORPUS,
    "queries.jsonl": QUERIES,
    "qrels/test.tsv": "qx\td1\t1\n",
  });
  assert.throws(() => loadBeirDataset(unknownQuery), /test\.tsv:1: query "qx" is not in/);
  assert.throws(() => loadBeirDataset(unknownQuery, "dev"), /no qrels for split "dev"/);
});

test("corpus and queries: missing _id, malformed JSON, duplicates and missing text name file and line", () => {
  assert.throws(
    () => parseCorpus('{"_id": "a", "text": "x"}\n{"title": "t", "text": "y"}\n', "c.jsonl"),
    /^Error: c\.jsonl:2: row without a string "_id"$/,
  );
  assert.throws(
    () => parseCorpus('{"_id": "a", "text": "x"}\n{"_id": "b", "text": \n', "c.jsonl"),
    /c\.jsonl:2: malformed JSON/,
  );
  assert.throws(
    () => parseCorpus('{"_id": "a", "text": "x"}\n\n{"_id": "a", "text": "y"}\n', "c.jsonl"),
    /c\.jsonl:3: duplicate _id "a" \(first on line 1\)/,
  );
  assert.throws(() => parseQueries('{"_id": "q"}\n', "q.jsonl"), /q\.jsonl:1: "text" must be a string, got nothing/);
  assert.throws(() => parseQueries('["q"]\n', "q.jsonl"), /q\.jsonl:1: not a JSON object/);
});

test("the shared SciFact set loads whole: 5,183 documents, 300 test queries, 339 judgments", () => {
  const data = loadBeirDataset("beir-scifact");
  assert.equal(data.corpus.length, 5183);
  assert.equal(data.queries.length, 300);
  assert.equal(
    [...data.qrels.values()].reduce((n, judged) => n + judged.size, 0),
    339,
  );
});
