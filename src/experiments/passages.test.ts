import { test } from "node:test";
import assert from "node:assert/strict";
import { isProseParagraph, passagesOf, proseRuns, samplePassages, wholeDocumentPassages, type Passage } from "./passages";

/** A book-like document: a title, a byline, two chapters with headings, prose paragraphs of 1–3 sentences. */
const BOOK = [
  "THE TEST BOOK.",
  "By A. Writer",
  "CHAPTER I.",
  "One starts here. Two follows.",
  "Three is alone.",
  "Four begins. Five goes on. Six ends it.",
  "CHAPTER II.",
  "Seven opens the second part. Eight is next.",
  "Nine closes the book.",
].join("\n\n");

const wordCount = (texts: string[]) => texts.map((t) => t.split(" ").length);

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

test("passagesOf starts passages at paragraph starts and never crosses a heading", () => {
  const all = passagesOf([{ id: "book", text: BOOK }], { sentencesPerPassage: 3, maxPassagesPerDocument: 10, seed: 1 });
  // candidate starts with 3 sentences left in their run: 0 (One), 2 (Three), 3 (Four), 6 (Seven); runs: sentences 0–5 and 6–8
  const ids = all.map((p) => p.id);
  for (const id of ids) assert.ok(["book#0", "book#2", "book#3", "book#6"].includes(id), `unexpected start ${id}`);
  assert.ok(ids.includes("book#6"), "the second chapter's only passage is always free");
  const second = all.find((p) => p.id === "book#6")!;
  assert.deepEqual(second.sentences, ["Seven opens the second part.", "Eight is next.", "Nine closes the book."]);
  assert.equal(second.text, "Seven opens the second part. Eight is next. Nine closes the book.");
  assert.equal(second.documentId, "book");
  // kept passages never overlap and come back in reading order
  const starts = all.map((p) => Number(p.id.split("#")[1]));
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] >= 3, `passages overlap: ${ids.join(", ")}`);
  // in the first run, 0 and 3 can both be kept, 2 excludes both: so 2 or 3 passages in all
  assert.ok(all.length === 2 || all.length === 3, `got ${ids.join(", ")}`);
});

test("passagesOf is seeded per document and respects maxPassagesPerDocument", () => {
  const documents = Array.from({ length: 6 }, (_, d) => ({
    id: `doc${d}`,
    text: Array.from({ length: 12 }, (_, p) => `Paragraph ${p} of document ${d} says one thing. It then says another.`).join("\n\n"),
  }));
  const options = { sentencesPerPassage: 4, maxPassagesPerDocument: 2, seed: 7 };
  const first = passagesOf(documents, options);
  assert.deepEqual(passagesOf(documents, options), first);
  assert.equal(first.length, 12);
  for (const d of documents) assert.equal(first.filter((p) => p.documentId === d.id).length, 2);
  for (const p of first) assert.equal(p.sentences.length, 4);
  // a document's passages do not depend on which other documents are passed
  const alone = passagesOf([documents[3]], options);
  assert.deepEqual(alone, first.filter((p) => p.documentId === "doc3"));
  // another seed draws other positions somewhere
  const reseeded = passagesOf(documents, { ...options, seed: 8 });
  assert.notDeepEqual(reseeded.map((p) => p.id), first.map((p) => p.id));
});

test("passagesOf drops passages over maxTokens and skips documents that are too short", () => {
  const documents = [
    { id: "short", text: "Only one sentence here." },
    { id: "mixed", text: "Tiny one. Tiny two.\n\nThis sentence is a great deal longer than the others are. Tiny three." },
  ];
  const all = passagesOf(documents, { sentencesPerPassage: 2, maxPassagesPerDocument: 5, seed: 0 });
  assert.deepEqual(all.map((p) => p.id).sort(), ["mixed#0", "mixed#2"]);
  const capped = passagesOf(documents, { sentencesPerPassage: 2, maxPassagesPerDocument: 5, seed: 0, maxTokens: 6, countTokens: wordCount });
  assert.deepEqual(capped.map((p) => p.text), ["Tiny one. Tiny two."]);
  assert.throws(() => passagesOf(documents, { sentencesPerPassage: 2, maxPassagesPerDocument: 1, seed: 0, maxTokens: 6 }), /countTokens/);
});

test("wholeDocumentPassages keeps every sentence of each document", () => {
  const documents = [
    { id: "a", text: "We propose a method. It works well. Code is public." },
    { id: "b", text: "A single sentence." },
    { id: "c", text: "Short. Text." },
  ];
  const passages = wholeDocumentPassages(documents);
  assert.deepEqual(passages, [
    { id: "a#0", documentId: "a", sentences: ["We propose a method.", "It works well.", "Code is public."], text: "We propose a method. It works well. Code is public." },
    { id: "c#0", documentId: "c", sentences: ["Short.", "Text."], text: "Short. Text." },
  ]);
  assert.deepEqual(wholeDocumentPassages(documents, { maxTokens: 3, countTokens: wordCount }).map((p) => p.id), ["c#0"]);
});

test("samplePassages draws a seeded subset in the original order", () => {
  const passages: Passage[] = Array.from({ length: 20 }, (_, i) => ({ id: `d#${i}`, documentId: "d", sentences: [`S${i}.`], text: `S${i}.` }));
  const sample = samplePassages(passages, 5, 3);
  assert.equal(sample.length, 5);
  assert.deepEqual(samplePassages(passages, 5, 3), sample);
  const positions = sample.map((p) => passages.indexOf(p));
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  assert.equal(samplePassages(passages, 50, 3).length, 20);
});
