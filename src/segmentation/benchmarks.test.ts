import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkSizes } from "./boundaries";
import { arxivConcatenated, choiStyle, wikitextSections } from "./benchmarks";
import { scoreChunkers } from "./benchmark";

test("Choi-style documents: 10 segments of 3–11 sentences, the same for the same seed", () => {
  const documents = choiStyle({ documents: 3, seed: 4 });
  assert.equal(documents.length, 3);
  for (const d of documents) {
    const sizes = chunkSizes(d.sentences.length, d.boundaries);
    assert.equal(sizes.length, 10);
    assert.ok(
      sizes.every((s) => s >= 3 && s <= 11),
      JSON.stringify(sizes),
    );
  }
  assert.deepEqual(choiStyle({ documents: 3, seed: 4 }), documents);
  assert.notDeepEqual(choiStyle({ documents: 3, seed: 5 })[0].sentences, documents[0].sentences);
  const small = choiStyle({ documents: 2, seed: 1, minSentences: 3, maxSentences: 5 });
  assert.ok(small.every((d) => chunkSizes(d.sentences.length, d.boundaries).every((s) => s >= 3 && s <= 5)));
});

test("concatenated arXiv abstracts and WikiText sections carry their true boundaries", () => {
  const [arxiv] = arxivConcatenated({ documents: 1, seed: 2, segments: 4 });
  assert.equal(arxiv.boundaries.length, 3);
  const wiki = wikitextSections();
  assert.ok(wiki.length > 50, `${wiki.length} articles`);
  const boulter = wiki.find((d) => d.id === "wikitext-wt2-test-00")!;
  // the lead and Career (its subsections add no boundary); Filmography holds only headings, so it is no segment
  assert.equal(boulter.boundaries.length, 1);
  assert.equal(boulter.sentences[boulter.boundaries[0]].slice(0, 40), "In 2000 Boulter had a guest-starring rol");
});

test("scoring at the reference size: fixed chunks match the truth of equal-size segments exactly", async () => {
  const documents = [
    { id: "even", sentences: Array.from({ length: 12 }, (_, i) => `Sentence number ${i} here.`), boundaries: [4, 8] },
  ];
  const [fixed] = await scoreChunkers(undefined, documents, ["fixed"], { target: "reference" });
  assert.deepEqual(
    [fixed.pk, fixed.windowDiff, fixed.f1, fixed.meanChunkSentences, fixed.chunkSizeVariance],
    [0, 0, 1, 4, 0],
  );
});
