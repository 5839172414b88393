import { test } from "node:test";
import assert from "node:assert/strict";
import { constructTexts, describeConstruction, type ConstructedText, type SentenceDocument } from "./construct";

/** 12 documents of 10 sentences each; every sentence is unique and 3–9 words long. */
const DOCS: SentenceDocument[] = Array.from({ length: 12 }, (_, d) => ({
  id: `doc${d}`,
  sentences: Array.from({ length: 10 }, (_, s) => {
    const filler = Array.from({ length: ((d * 7 + s * 3) % 7) + 2 }, (_, w) => `w${w}`);
    return [`d${d}s${s}`, ...filler].join(" ") + ".";
  }),
}));
const SENTENCE_HOME = new Map(DOCS.flatMap((d, di) => d.sentences.map((s, si) => [s, [di, si]] as const)));

/** One word piece per word, plus [CLS] and [SEP]. */
const countWords = (texts: string[]) => texts.map((t) => t.split(" ").filter((w) => w !== "").length + 2);

function bySeed(texts: ConstructedText[]): Map<string, ConstructedText[]> {
  const groups = new Map<string, ConstructedText[]>();
  for (const t of texts) {
    const key = `${t.k}|${t.seedId}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return groups;
}

/** A sentence of the output equals its source sentence, or is a word prefix of it (the last one, cut by matching). */
function isSameOrPrefix(kept: string, source: string): boolean {
  return kept === source || source.startsWith(kept + " ");
}

const base = { countTokens: countWords, ks: [1, 2, 4, 8], maxTokens: 512, seeds: 6, seed: 42 };

test("matched texts have equal word-piece lengths with a one-piece-per-word counter", () => {
  const { texts, reports } = constructTexts(DOCS, base);
  assert.deepEqual(reports.map((r) => r.built), [6, 6, 6, 6]);
  for (const group of bySeed(texts).values()) {
    assert.deepEqual(group.map((t) => t.mode), ["repeat", "sequential", "random"]);
    assert.equal(new Set(group.map((t) => t.tokens)).size, 1, JSON.stringify(group));
    for (const t of group) assert.equal(countWords([t.text])[0], t.tokens);
  }
  assert.ok(reports.every((r) => r.residualMax === 0 && r.residualMean === 0));
});

test("with multi-piece words the residual stays under one word's pieces", () => {
  // Words starting with "w1" cost 3 pieces: trimming can leave up to 2 pieces of slack.
  const pieces = (texts: string[]) => texts.map((t) => t.split(" ").reduce((n, w) => n + (w.startsWith("w1") ? 3 : 1), 2));
  const { texts, reports } = constructTexts(DOCS, { ...base, countTokens: pieces, maxResidual: 10 });
  for (const group of bySeed(texts).values()) {
    const lengths = group.map((t) => t.tokens);
    assert.ok(Math.max(...lengths) - Math.min(...lengths) <= 2, `${lengths}`);
    for (const t of group) assert.equal(pieces([t.text])[0], t.tokens);
  }
  assert.ok(reports.some((r) => r.residualMax > 0), "the test should exercise a non-zero residual");
  assert.ok(reports.every((r) => r.residualMax <= 2));
  const strict = constructTexts(DOCS, { ...base, countTokens: pieces, maxResidual: 0 });
  assert.ok(strict.reports.some((r) => r.skipped.residual > 0));
  assert.ok(strict.reports.every((r) => r.residualMax === 0));
});

test("repeat repeats the seed, sequential follows the document, random draws from other documents", () => {
  const { texts } = constructTexts(DOCS, base);
  for (const t of texts) {
    const [seedDoc, seedIndex] = t.seedId.split("#");
    const doc = DOCS.find((d) => d.id === seedDoc)!;
    const seedSentence = doc.sentences[Number(seedIndex)];
    assert.ok(t.sentences.length <= t.k && t.sentences.length > 0);
    assert.equal(t.text, t.sentences.join(" "));
    assert.ok(isSameOrPrefix(t.sentences[0], seedSentence));
    t.sentences.forEach((s, j) => {
      if (t.mode === "repeat") assert.ok(isSameOrPrefix(s, seedSentence));
      if (t.mode === "sequential") assert.ok(isSameOrPrefix(s, doc.sentences[Number(seedIndex) + j]), `${s} is not sentence ${j} after the seed`);
      if (t.mode === "random" && j > 0) {
        const source = [...SENTENCE_HOME.entries()].find(([full]) => isSameOrPrefix(s, full))!;
        assert.notEqual(DOCS[source[1][0]].id, seedDoc, `random sentence ${s} comes from the seed's own document`);
      }
    });
    if (t.mode === "random") assert.equal(new Set(t.sentences).size, t.sentences.length);
  }
  const k8 = texts.filter((t) => t.k === 8 && t.mode === "repeat");
  assert.ok(k8.some((t) => t.sentences.length === 8 && new Set(t.sentences).size === 1));
});

test("same seed gives identical output, another seed other random texts", () => {
  const a = constructTexts(DOCS, base);
  assert.deepEqual(constructTexts(DOCS, base), a);
  const b = constructTexts(DOCS, { ...base, seed: 43 });
  const randomTexts = (c: typeof a) => c.texts.filter((t) => t.mode === "random" && t.k > 1).map((t) => t.text);
  assert.notDeepEqual(randomTexts(a), randomTexts(b));
  // k streams are independent: dropping a k leaves the others unchanged.
  const only4 = constructTexts(DOCS, { ...base, ks: [4] });
  assert.deepEqual(only4.texts, a.texts.filter((t) => t.k === 4));
});

test("maxTokens caps the length and k; skips are reported", () => {
  const { texts, reports } = constructTexts(DOCS, { ...base, maxTokens: 20 });
  assert.ok(texts.every((t) => t.tokens <= 20));
  const k8 = reports.find((r) => r.k === 8)!;
  assert.equal(k8.built, 0); // 8 sentences of ≥ 3 words never fit in 20 pieces
  assert.ok(k8.skipped.tooLong > 0);
  assert.match(k8.note!, /only 0 of 6 seeds/);
  assert.equal(reports.find((r) => r.k === 1)!.built, 6);
  const long = constructTexts(DOCS, { ...base, ks: [11] });
  assert.equal(long.reports[0].candidates, 0);
  assert.equal(long.reports[0].note, "no document has 11 sentences");
  assert.match(describeConstruction(reports), /k=8: 0\/6 seeds \(skipped: tooLong \d+\)/);
});

test("seeds far over maxTokens are rejected from sentence lengths, without measuring the long texts", () => {
  const measured: string[] = [];
  const spy = (texts: string[]) => (measured.push(...texts), countWords(texts));
  const { reports } = constructTexts(DOCS, { ...base, ks: [8], maxTokens: 10, countTokens: spy });
  assert.equal(reports[0].candidates, 36); // 3 positions with 8 sentences ahead in each of 12 documents
  assert.equal(reports[0].skipped.tooLong, 36);
  assert.ok(measured.every((t) => t === "" || SENTENCE_HOME.has(t)), "a joined text was measured");
});

test("maxCutFraction 0 keeps only seeds whose three texts already have equal lengths", () => {
  const { texts, reports } = constructTexts(DOCS, { ...base, ks: [2, 4], maxCutFraction: 0 });
  assert.ok(reports.every((r) => r.skipped.cutTooMuch > 0));
  for (const t of texts) {
    assert.equal(t.sentences.length, t.k);
    assert.ok(t.sentences.every((s) => SENTENCE_HOME.has(s)), "a sentence was trimmed");
  }
});

test("a single document cannot provide random sentences", () => {
  const { reports } = constructTexts(DOCS.slice(0, 1), { ...base, ks: [1, 2], seeds: 2 });
  assert.equal(reports[0].built, 2);
  assert.equal(reports[1].built, 0);
  assert.ok(reports[1].skipped.fewOtherSentences > 0);
});
