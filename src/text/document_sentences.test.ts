import { test } from "node:test";
import assert from "node:assert/strict";
import type { Document } from "./corpora";
import { BOOK } from "../testing/book_fixture";
import {
  documentSentences,
  isProseParagraph,
  plainSentences,
  proseRuns,
  proseSentences,
  sentenceRuns,
  type SentenceRule,
} from "./document_sentences";

test("isProseParagraph keeps running text and drops headings, bylines and markers", () => {
  assert.equal(isProseParagraph("One starts here. Two follows."), true);
  assert.equal(isProseParagraph("“Stop!” he said, “or I’ll shoot.”"), true);
  assert.equal(isProseParagraph("THE TEST BOOK."), false); // no lowercase letter
  assert.equal(isProseParagraph("By A. Writer"), false); // does not end like a sentence
  assert.equal(isProseParagraph("[1]"), false);
});

test("proseRuns splits the document at non-prose paragraphs", () => {
  assert.deepEqual(proseRuns(BOOK), [
    [["One starts here.", "Two follows."], ["Three is alone."], ["Four begins.", "Five goes on.", "Six ends it."]],
    [["Seven opens the second part.", "Eight is next."], ["Nine closes the book."]],
  ]);
});

test("documentSentences drops fragments shorter than minWords", () => {
  const doc: Document = {
    id: "d",
    source: "test",
    text: "CHAPTER I. The storm broke at dawn over the hills. NORA. Where are you going now?",
  };
  assert.deepEqual(documentSentences(doc), ["The storm broke at dawn over the hills.", "Where are you going now?"]);
  assert.deepEqual(documentSentences(doc, 1).length, 4);
});

test("sentenceRuns: 'prose' is proseRuns, 'plain' is every paragraph in one run and flattens to plainSentences", () => {
  assert.deepEqual(sentenceRuns(BOOK, "prose"), proseRuns(BOOK));
  const plain = sentenceRuns(BOOK, "plain");
  assert.equal(plain.length, 1);
  assert.equal(plain[0].length, 9);
  assert.deepEqual(plain.flat(2), plainSentences(BOOK));
  assert.deepEqual(sentenceRuns(BOOK, "prose").flat(2), proseSentences(BOOK));
  assert.deepEqual(sentenceRuns(" \n\n ", "plain"), []);
  assert.throws(() => sentenceRuns(BOOK, "all" as SentenceRule), /unknown sentence rule "all"/);
});
