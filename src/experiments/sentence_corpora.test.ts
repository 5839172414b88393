import { test } from "node:test";
import assert from "node:assert/strict";
import { loadSentenceDocuments, plainPassages } from "./sentence_corpora";

const countWords = (texts: string[]) => texts.map((t) => t.split(" ").filter((w) => w !== "").length + 2);

test("real corpora load as sentence documents; plain passages respect the token limit", () => {
  const arxiv = loadSentenceDocuments("arxiv", { limit: 5, seed: 1 });
  assert.equal(arxiv.length, 5);
  assert.ok(
    arxiv.every((d) => d.id.startsWith("ml-") && d.sentences.length >= 2),
    JSON.stringify(arxiv.map((d) => d.sentences.length)),
  );
  const fiction = loadSentenceDocuments("brown-fiction", { limit: 4, seed: 1 });
  assert.equal(fiction.length, 4);
  assert.ok(
    fiction.every((d) => /^c[klnpr]/.test(d.id) && d.sentences.length > 50),
    fiction.map((d) => d.id).join(" "),
  ); // Brown fiction ids: ck, cl, cm, cn, cp, cr
  const passages = plainPassages(fiction, {
    count: 10,
    sentencesPerPassage: 8,
    seed: 3,
    maxTokens: 60,
    countTokens: countWords,
  });
  assert.equal(passages.length, 4); // at most one per document
  assert.ok(passages.every((p) => countWords([p])[0] <= 60 || !p.includes(". ")));
  assert.deepEqual(plainPassages(fiction, { count: 10, seed: 3, maxTokens: 60, countTokens: countWords }), passages);
});
