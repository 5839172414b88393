import { test } from "node:test";
import assert from "node:assert/strict";
import type { Document } from "../text/corpora";
import { BOOK } from "../testing/book_fixture";
import { joinSentences, plainSentences, proseSentences } from "../text/document_sentences";
import { loadCorpus } from "../text/corpora";
import { plainPassages } from "./sentence_corpora";
import {
  describeSelection,
  passagesOf,
  samplePassages,
  sentenceWindows,
  wholeDocumentPassages,
  wholeDocuments,
  type Passage,
} from "./sentence_units";

const words = (texts: string[]) => texts.map((t) => t.split(" ").length + 2); // + [CLS] [SEP]

function book(id: string, sentences: number): Document {
  return {
    id,
    source: "test",
    text: Array.from({ length: sentences }, (_, i) => `Sentence number ${i} of ${id}.`).join(" "),
  };
}

const wordCount = (texts: string[]) => texts.map((t) => t.split(" ").length);

test("wholeDocuments keeps texts with enough sentences that fit the model", () => {
  const docs: Document[] = [
    { id: "one", source: "test", text: "Only one sentence is here." },
    { id: "two", source: "test", text: "A first sentence is here. A second sentence follows it." },
    {
      id: "long",
      source: "test",
      text: "A first rather long sentence is here. A second rather long sentence follows it.",
    },
  ];
  const { texts, report } = wholeDocuments(docs, { countTokens: words, maxTokens: 14 });
  assert.deepEqual(
    texts.map((t) => t.id),
    ["two"],
  );
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
  const starts = windows
    .filter((w) => w.id.startsWith("a#"))
    .map((w) => Number(w.id.split("#")[1]))
    .sort((x, y) => x - y);
  for (let i = 1; i < starts.length; i++)
    assert.ok(starts[i] - starts[i - 1] >= 8, "windows of one document do not overlap");
  assert.deepEqual(sentenceWindows(docs, { count: 5, sentencesPerWindow: 8, seed: 3 }).windows, windows);
});

test("sentenceWindows: ranges of lengths, the token limit and the skipped edges", () => {
  const docs = [book("a", 100), book("b", 100)];
  const ranged = sentenceWindows(docs, { count: 20, sentencesPerWindow: [3, 6], seed: 1 }).windows;
  assert.equal(ranged.length, 20);
  assert.ok(ranged.every((w) => w.sentences.length >= 3 && w.sentences.length <= 6));
  assert.ok(new Set(ranged.map((w) => w.sentences.length)).size > 1);

  // each sentence is 5 words: a window of 4 has 22 word pieces with the specials
  const limited = sentenceWindows(docs, {
    count: 3,
    sentencesPerWindow: [4, 5],
    seed: 2,
    countTokens: words,
    maxTokens: 22,
  });
  assert.ok(limited.windows.every((w) => w.sentences.length === 4));
  assert.ok(limited.report.tooLong > 0);

  const inner = sentenceWindows(docs, { count: 1000, sentencesPerWindow: 5, seed: 4, skipEdges: 0.2 }).windows;
  for (const w of inner) {
    const index = Number(w.id.split("#")[1]);
    assert.ok(index >= 20 && index + 5 <= 80, `window ${w.id} lies inside the middle 60%`);
  }
  assert.throws(() => sentenceWindows(docs, { count: 1, sentencesPerWindow: [5, 3], seed: 0 }), /sentencesPerWindow/);
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
  assert.deepEqual(
    starts,
    [...starts].sort((a, b) => a - b),
  );
  for (let i = 1; i < starts.length; i++)
    assert.ok(starts[i] - starts[i - 1] >= 3, `passages overlap: ${ids.join(", ")}`);
  // in the first run, 0 and 3 can both be kept, 2 excludes both: so 2 or 3 passages in all
  assert.ok(all.length === 2 || all.length === 3, `got ${ids.join(", ")}`);
});

test("passagesOf is seeded per document and respects maxPassagesPerDocument", () => {
  const documents = Array.from({ length: 6 }, (_, d) => ({
    id: `doc${d}`,
    text: Array.from(
      { length: 12 },
      (_, p) => `Paragraph ${p} of document ${d} says one thing. It then says another.`,
    ).join("\n\n"),
  }));
  const options = { sentencesPerPassage: 4, maxPassagesPerDocument: 2, seed: 7 };
  const first = passagesOf(documents, options);
  assert.deepEqual(passagesOf(documents, options), first);
  assert.equal(first.length, 12);
  for (const d of documents) assert.equal(first.filter((p) => p.documentId === d.id).length, 2);
  for (const p of first) assert.equal(p.sentences.length, 4);
  // a document's passages do not depend on which other documents are passed
  const alone = passagesOf([documents[3]], options);
  assert.deepEqual(
    alone,
    first.filter((p) => p.documentId === "doc3"),
  );
  // another seed draws other positions somewhere
  const reseeded = passagesOf(documents, { ...options, seed: 8 });
  assert.notDeepEqual(
    reseeded.map((p) => p.id),
    first.map((p) => p.id),
  );
});

test("passagesOf drops passages over maxTokens and skips documents that are too short", () => {
  const documents = [
    { id: "short", text: "Only one sentence here." },
    {
      id: "mixed",
      text: "Tiny one. Tiny two.\n\nThis sentence is a great deal longer than the others are. Tiny three.",
    },
  ];
  const all = passagesOf(documents, { sentencesPerPassage: 2, maxPassagesPerDocument: 5, seed: 0 });
  assert.deepEqual(all.map((p) => p.id).sort(), ["mixed#0", "mixed#2"]);
  const capped = passagesOf(documents, {
    sentencesPerPassage: 2,
    maxPassagesPerDocument: 5,
    seed: 0,
    maxTokens: 6,
    countTokens: wordCount,
  });
  assert.deepEqual(
    capped.map((p) => p.text),
    ["Tiny one. Tiny two."],
  );
  assert.throws(
    () => passagesOf(documents, { sentencesPerPassage: 2, maxPassagesPerDocument: 1, seed: 0, maxTokens: 6 }),
    /countTokens/,
  );
});

test("wholeDocumentPassages keeps every prose sentence of each document ('plain': every sentence)", () => {
  const documents = [
    { id: "a", text: "Abstract\n\nWe propose a method. It works well. Code is public." },
    { id: "b", text: "A single sentence." },
    { id: "c", text: "Short. Text." },
  ];
  const passages = wholeDocumentPassages(documents);
  assert.deepEqual(passages, [
    {
      id: "a#0",
      documentId: "a",
      sentences: ["We propose a method.", "It works well.", "Code is public."],
      text: "We propose a method. It works well. Code is public.",
    },
    { id: "c#0", documentId: "c", sentences: ["Short.", "Text."], text: "Short. Text." },
  ]);
  assert.deepEqual(wholeDocumentPassages(documents, { sentenceRule: "plain" })[0].sentences, [
    "Abstract",
    "We propose a method.",
    "It works well.",
    "Code is public.",
  ]);
  assert.deepEqual(
    wholeDocumentPassages(documents, { maxTokens: 3, countTokens: wordCount }).map((p) => p.id),
    ["c#0"],
  );
});

test("passagesOf and wholeDocumentPassages give a document the same sentences, under either rule", () => {
  const documents = [
    { id: "book", text: BOOK },
    {
      id: "paper",
      text: [
        "1 Introduction",
        "Dr. Smith et al. studied the U.S. data in Fig. 2. The results held. See e.g. the appendix for more.",
        "Table 1: accuracy per model",
        "We then ask why. The answer is pooling! Is it? Yes, mostly.",
      ].join("\n\n"),
    },
  ];
  for (const sentenceRule of ["prose", "plain"] as const) {
    const whole = new Map(wholeDocumentPassages(documents, { sentenceRule }).map((p) => [p.documentId, p.sentences]));
    assert.deepEqual(whole.get("book"), sentenceRule === "prose" ? proseSentences(BOOK) : plainSentences(BOOK));
    for (const sentencesPerPassage of [1, 2, 3]) {
      const options = { sentencesPerPassage, maxPassagesPerDocument: 100, seed: 5, sentenceRule };
      const passages = passagesOf(documents, options);
      assert.ok(passages.length > 0);
      for (const passage of passages) {
        const start = Number(passage.id.split("#")[1]);
        const sentences = whole.get(passage.documentId)!;
        assert.deepEqual(passage.sentences, sentences.slice(start, start + sentencesPerPassage), passage.id);
      }
    }
  }
  // the default is the prose rule: no heading or caption is a sentence of a passage
  const prose = passagesOf(documents, { sentencesPerPassage: 1, maxPassagesPerDocument: 100, seed: 5 });
  assert.ok(prose.every((p) => !/^(1 Introduction|Table 1|CHAPTER|By A\.|THE TEST)/.test(p.text)));
  assert.deepEqual(
    prose.filter((p) => p.documentId === "paper").map((p) => p.text),
    ["Dr. Smith et al. studied the U.S. data in Fig. 2.", "We then ask why."],
  );
});

test("a passage keeps its document's category, and has none when the document has none", () => {
  const documents = [
    { id: "a", category: "mystery", text: "One clue. Two clues. Three clues." },
    { id: "b", text: "No genre here. Nor here. Nor there." },
  ];
  const options = { sentencesPerPassage: 2, maxPassagesPerDocument: 1, seed: 0 };
  for (const passages of [passagesOf(documents, options), wholeDocumentPassages(documents)]) {
    assert.deepEqual(
      passages.map((p) => [p.documentId, p.category]),
      [
        ["a", "mystery"],
        ["b", undefined],
      ],
    );
    assert.ok(!("category" in passages[1]), "absent, not undefined, when the document has no category");
  }
  // a real corpus: Brown passages carry the genre of their sample
  const brown = loadCorpus("brown", { limit: 6, seed: 2 });
  const genreOf = new Map(brown.map((d) => [d.id, d.category]));
  const passages = passagesOf(brown, { sentencesPerPassage: 7, maxPassagesPerDocument: 2, seed: 1 });
  assert.ok(passages.length >= 6);
  for (const p of passages) {
    assert.equal(typeof p.category, "string");
    assert.equal(p.category, genreOf.get(p.documentId));
  }
});

test("samplePassages draws a seeded subset in the original order", () => {
  const passages: Passage[] = Array.from({ length: 20 }, (_, i) => ({
    id: `d#${i}`,
    documentId: "d",
    sentences: [`S${i}.`],
    text: `S${i}.`,
  }));
  const sample = samplePassages(passages, 5, 3);
  assert.equal(sample.length, 5);
  assert.deepEqual(samplePassages(passages, 5, 3), sample);
  const positions = sample.map((p) => passages.indexOf(p));
  assert.deepEqual(
    positions,
    [...positions].sort((a, b) => a - b),
  );
  assert.equal(samplePassages(passages, 50, 3).length, 20);
});

test("one token-budget rule: no maxTokens keeps everything, maxTokens without countTokens throws in every selector", () => {
  const docs = [book("a", 6), book("b", 6)];
  const passageDocs = docs.map((d) => ({ id: d.id, text: d.text }));
  assert.equal(wholeDocuments(docs).texts.length, 2);
  assert.throws(() => wholeDocuments(docs, { maxTokens: 5 }), /wholeDocuments: maxTokens needs countTokens/);
  assert.throws(
    () => sentenceWindows(docs, { count: 2, sentencesPerWindow: 2, seed: 1, maxTokens: 5 }),
    /sentenceWindows: maxTokens needs countTokens/,
  );
  assert.throws(
    () => wholeDocumentPassages(passageDocs, { maxTokens: 5 }),
    /wholeDocumentPassages: maxTokens needs countTokens/,
  );
  const sentenceDocs = docs.map((d) => ({ id: d.id, sentences: d.text.split(/(?<=\.) /) }));
  assert.throws(
    () => plainPassages(sentenceDocs, { count: 1, seed: 1, maxTokens: 5 }),
    /plainPassages: maxTokens needs countTokens/,
  );
});
