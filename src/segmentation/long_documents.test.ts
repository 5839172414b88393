import { test } from "node:test";
import assert from "node:assert/strict";
import { gutenbergChapters, longDocuments } from "./long_documents";

test("Gutenberg chapters: cut at chapter headings, table-of-contents stubs dropped", () => {
  const chapters = gutenbergChapters({ minSentences: 20 });
  const books = new Set(chapters.map((c) => c.id.replace(/-chapter-\d+$/, "")));
  assert.ok(books.size >= 20, `${books.size} books with chapters`);
  assert.ok(chapters.every((c) => c.sentences.length >= 20 && c.source === "gutenberg"));
  assert.ok(chapters.every((c) => c.sentences.every((s) => !/^\s*(CHAPTER|Chapter)\s+[IVXLC\d]+\s*\.?$/.test(s))));
});

test("long documents: named WikiText articles plus chapters of a few books, cut to maxSentences, the same for the same seed", () => {
  const options = {
    wikitext: ["wikitext-wt2-test-00"],
    books: 2,
    chaptersPerBook: 3,
    seed: 5,
    minSentences: 20,
    maxSentences: 40,
  };
  const documents = longDocuments(options);
  assert.equal(documents.length, 1 + 2 * 3);
  assert.equal(documents[0].id, "wikitext-wt2-test-00");
  assert.equal(new Set(documents.slice(1).map((d) => d.id.replace(/-chapter-\d+$/, ""))).size, 2);
  assert.ok(documents.every((d) => d.sentences.length >= 20 && d.sentences.length <= 40));
  assert.deepEqual(longDocuments(options), documents);
  assert.throws(() => longDocuments({ ...options, books: 1000 }), /books have/);
});
