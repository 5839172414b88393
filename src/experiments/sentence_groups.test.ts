import { test } from "node:test";
import assert from "node:assert/strict";
import type { Document } from "../text/corpora";
import { describeSelection, documentSentences, joinSentences, sentenceWindows, wholeDocuments } from "./sentence_groups";

const words = (texts: string[]) => texts.map((t) => t.split(" ").length + 2); // + [CLS] [SEP]

function book(id: string, sentences: number): Document {
  return { id, source: "test", text: Array.from({ length: sentences }, (_, i) => `Sentence number ${i} of ${id}.`).join(" ") };
}

test("documentSentences drops fragments shorter than minWords", () => {
  const doc: Document = { id: "d", source: "test", text: "CHAPTER I. The storm broke at dawn over the hills. NORA. Where are you going now?" };
  assert.deepEqual(documentSentences(doc), ["The storm broke at dawn over the hills.", "Where are you going now?"]);
  assert.deepEqual(documentSentences(doc, 1).length, 4);
});

test("wholeDocuments keeps texts with enough sentences that fit the model", () => {
  const docs: Document[] = [
    { id: "one", source: "test", text: "Only one sentence is here." },
    { id: "two", source: "test", text: "A first sentence is here. A second sentence follows it." },
    { id: "long", source: "test", text: "A first rather long sentence is here. A second rather long sentence follows it." },
  ];
  const { texts, report } = wholeDocuments(docs, { countTokens: words, maxTokens: 14 });
  assert.deepEqual(texts.map((t) => t.id), ["two"]);
  assert.deepEqual(texts[0].sentences, ["A first sentence is here.", "A second sentence follows it."]);
  assert.deepEqual(report, { kept: 1, tooFewSentences: 1, tooLong: 1 });
  assert.equal(joinSentences(texts[0].sentences), "A first sentence is here. A second sentence follows it.");
  assert.match(describeSelection("x", report), /1 texts/);
});

test("sentenceWindows: fixed-size windows are consecutive, disjoint, spread over documents first, and reproducible", () => {
  const docs = [book("a", 40), book("b", 40), book("c", 10)];
  const { windows, report } = sentenceWindows(docs, { count: 5, sentencesPerWindow: 8, seed: 3 });
  assert.equal(windows.length, 5);
  assert.equal(report.documents, 3, "the first round takes one window from each document");
  for (const w of windows) {
    assert.equal(w.sentences.length, 8);
    const [doc, start] = w.id.split("#");
    w.sentences.forEach((s, j) => assert.equal(s, `Sentence number ${Number(start) + j} of ${doc}.`));
  }
  const starts = windows.filter((w) => w.id.startsWith("a#")).map((w) => Number(w.id.split("#")[1])).sort((x, y) => x - y);
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] >= 8, "windows of one document do not overlap");
  assert.deepEqual(sentenceWindows(docs, { count: 5, sentencesPerWindow: 8, seed: 3 }).windows, windows);
});

test("sentenceWindows: ranges of lengths, the token limit and the skipped edges", () => {
  const docs = [book("a", 100), book("b", 100)];
  const ranged = sentenceWindows(docs, { count: 20, sentencesPerWindow: [3, 6], seed: 1 }).windows;
  assert.equal(ranged.length, 20);
  assert.ok(ranged.every((w) => w.sentences.length >= 3 && w.sentences.length <= 6));
  assert.ok(new Set(ranged.map((w) => w.sentences.length)).size > 1);

  // each sentence is 5 words: a window of 4 has 22 word pieces with the specials
  const limited = sentenceWindows(docs, { count: 3, sentencesPerWindow: [4, 5], seed: 2, countTokens: words, maxTokens: 22 });
  assert.ok(limited.windows.every((w) => w.sentences.length === 4));
  assert.ok(limited.report.tooLong > 0);

  const inner = sentenceWindows(docs, { count: 1000, sentencesPerWindow: 5, seed: 4, skipEdges: 0.2 }).windows;
  for (const w of inner) {
    const index = Number(w.id.split("#")[1]);
    assert.ok(index >= 20 && index + 5 <= 80, `window ${w.id} lies inside the middle 60%`);
  }
  assert.throws(() => sentenceWindows(docs, { count: 1, sentencesPerWindow: [5, 3], seed: 0 }), /sentencesPerWindow/);
});
