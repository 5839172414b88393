import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { assetsRoot } from "../assets/paths";
import { loadModel } from "../embedding/load_model";
import { constructTexts, seedSentencesOf, type ConstructedText, type SentenceDocument } from "./construct";
import { auditLeakage, describeConstruction, leakFree } from "./construction_audit";
import { loadSentenceDocuments, type SentenceCorpus } from "./sentence_corpora";

const hasAssets = () => existsSync(join(assetsRoot(), "models")) && existsSync(join(assetsRoot(), "data"));

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

const base = { countTokens: countWords, ks: [1, 2, 4, 8], maxTokens: 512, seeds: 4, seed: 42 };

test("matched texts have equal word-piece lengths with a one-piece-per-word counter", () => {
  const { texts, reports } = constructTexts(DOCS, base);
  assert.ok(reports.every((r) => r.built === reports[0].built) && reports[0].built >= 2, JSON.stringify(reports));
  for (const group of bySeed(texts).values()) {
    assert.deepEqual(
      group.map((t) => t.mode),
      ["repeat", "sequential", "random"],
    );
    assert.equal(new Set(group.map((t) => t.tokens)).size, 1, JSON.stringify(group));
    for (const t of group) assert.equal(countWords([t.text])[0], t.tokens);
  }
  assert.ok(reports.every((r) => r.residualMax === 0 && r.residualMean === 0));
});

test("with multi-piece words the residual stays under one word's pieces", () => {
  // Words starting with "w1" cost 3 pieces: trimming can leave up to 2 pieces of slack.
  const pieces = (texts: string[]) =>
    texts.map((t) => t.split(" ").reduce((n, w) => n + (w.startsWith("w1") ? 3 : 1), 2));
  const { texts, reports } = constructTexts(DOCS, { ...base, countTokens: pieces, maxResidual: 10 });
  for (const group of bySeed(texts).values()) {
    const lengths = group.map((t) => t.tokens);
    assert.ok(Math.max(...lengths) - Math.min(...lengths) <= 2, `${lengths}`);
    for (const t of group) assert.equal(pieces([t.text])[0], t.tokens);
  }
  assert.ok(
    reports.some((r) => r.residualMax > 0),
    "the test should exercise a non-zero residual",
  );
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
      if (t.mode === "sequential")
        assert.ok(isSameOrPrefix(s, doc.sentences[Number(seedIndex) + j]), `${s} is not sentence ${j} after the seed`);
      if (t.mode === "random" && j > 0) {
        const source = [...SENTENCE_HOME.entries()].find(([full]) => isSameOrPrefix(s, full))!;
        assert.notEqual(DOCS[source[1][0]].id, seedDoc, `random sentence ${s} comes from the seed's own document`);
      }
    });
    if (t.mode === "random") assert.equal(new Set(t.sentences).size, t.sentences.length);
  }
  const k8 = texts.filter((t) => t.k === 8 && t.mode === "repeat");
  assert.ok(k8.length > 0 && k8.every((t) => t.sentences.length >= 6), "matching cuts at most a quarter of a text");
});

test("same seed gives identical output, another seed other random texts", () => {
  const a = constructTexts(DOCS, base);
  assert.deepEqual(constructTexts(DOCS, base), a);
  const b = constructTexts(DOCS, { ...base, seed: 43 });
  const randomTexts = (c: typeof a) => c.texts.filter((t) => t.mode === "random" && t.k > 1).map((t) => t.text);
  assert.notDeepEqual(randomTexts(a), randomTexts(b));
  // the same seeds at every k, and each seed's texts are nested: a smaller k's sentences start its larger k's
  const seedsAt = (k: number) => a.texts.filter((t) => t.k === k && t.mode === "sequential").map((t) => t.seedId);
  for (const k of [2, 4, 8]) assert.deepEqual(seedsAt(k), seedsAt(1));
  for (const t of a.texts.filter((t) => t.k === 4 && t.mode === "random")) {
    const longer = a.texts.find((u) => u.k === 8 && u.mode === "random" && u.seedId === t.seedId)!;
    t.sentences.slice(0, -1).forEach((s, j) => assert.equal(s, longer.sentences[j]));
  }
});

test("maxTokens caps the length and k; skips are reported", () => {
  const { texts, reports } = constructTexts(DOCS, { ...base, maxTokens: 20 });
  assert.equal(texts.length, 0); // 8 sentences of ≥ 3 words never fit in 20 pieces, and a seed must build at every k
  const k8 = reports.find((r) => r.k === 8)!;
  assert.ok(k8.skipped.tooLong > 0);
  assert.match(k8.note!, /only 0 of 4 seeds/);
  const fits = constructTexts(DOCS, { ...base, ks: [1, 2], maxTokens: 20 });
  assert.ok(fits.texts.every((t) => t.tokens <= 20) && fits.reports.every((r) => r.built === 4));
  const long = constructTexts(DOCS, { ...base, ks: [11] });
  assert.equal(long.reports[0].candidates, 0);
  assert.equal(long.reports[0].note, "no document has 11 sentences");
  assert.match(describeConstruction(reports), /k=8: 0\/4 seeds \(skipped: tooLong \d+/);
});

test("seeds far over maxTokens are rejected from sentence lengths, without measuring the long texts", () => {
  const measured: string[] = [];
  const spy = (texts: string[]) => (measured.push(...texts), countWords(texts));
  const { reports } = constructTexts(DOCS, { ...base, ks: [8], maxTokens: 10, countTokens: spy });
  assert.equal(reports[0].candidates, 36); // 3 positions with 8 sentences ahead in each of 12 documents
  assert.equal(reports[0].skipped.tooLong, 36);
  assert.ok(
    measured.every((t) => t === "" || SENTENCE_HOME.has(t)),
    "a joined text was measured",
  );
});

test("maxCutFraction 0 keeps only seeds whose three texts already have equal lengths", () => {
  const { texts, reports } = constructTexts(DOCS, { ...base, ks: [2, 4], maxCutFraction: 0 });
  assert.ok(reports.some((r) => r.skipped.cutTooMuch > 0));
  for (const t of texts) {
    assert.equal(t.sentences.length, t.k);
    assert.ok(
      t.sentences.every((s) => SENTENCE_HOME.has(s)),
      "a sentence was trimmed",
    );
  }
});

test("a single document cannot provide random sentences", () => {
  const { reports, seedLevel } = constructTexts(DOCS.slice(0, 1), { ...base, ks: [1, 2], seeds: 2 });
  assert.deepEqual(
    reports.map((r) => r.built),
    [0, 0],
  );
  assert.ok(seedLevel.fewOtherSentences > 0 && reports[1].skipped.fewOtherSentences === seedLevel.fewOtherSentences);
});

test("no leakage: no query sentence in another seed's text, windows disjoint, even with duplicated sentences", () => {
  // every document repeats one shared sentence: without the string rule it would land in other seeds' texts
  const docs = DOCS.map((d) => ({
    id: d.id,
    sentences: d.sentences.map((s, i) => (i === 3 ? "The same sentence everywhere." : s)),
  }));
  const construction = constructTexts(docs, { ...base, seeds: 6 });
  const seedSentences = seedSentencesOf(construction.texts, docs);
  assert.ok(leakFree(auditLeakage(construction.texts, seedSentences)));
  const owners = new Map<string, Set<string>>();
  for (const t of construction.texts)
    for (const s of t.sentences) owners.set(s, (owners.get(s) ?? new Set()).add(t.seedId));
  assert.ok(
    [...owners.values()].every((o) => o.size === 1),
    "a sentence is used by two seeds",
  );
  assert.ok(construction.seedLevel.overlap > 0, "the rule should have cost some candidates");
});

// The guarantee on the real corpora, at the notebooks' small and full parameters (construction only: no embedding).
for (const scale of ["small", "full"] as const) {
  test(`no leakage on the real corpora at ${scale} scale (notebooks 04 and 05)`, { skip: !hasAssets() }, async () => {
    const model = await loadModel();
    const countTokens = (t: string[]) => model.countTokens(t);
    const plans: [SentenceCorpus, number[], number, number | undefined][] =
      scale === "small"
        ? [
            ["arxiv", [1, 2, 4, 8], 32, undefined],
            ["brown-fiction", [1, 2, 4, 8], 32, undefined],
            ["wikitext", [1, 2, 4, 8], 16, undefined],
            ["bbc", [1, 2, 4, 8], 16, undefined],
          ]
        : [
            ["arxiv", [1, 2, 4, 8], 200, undefined],
            ["brown-fiction", [1, 2, 4, 8, 16], 200, undefined],
            ["gutenberg", [1, 2, 4, 8, 16], 100, 40],
          ];
    for (const [corpus, ks, seeds, limit] of plans) {
      const documents = loadSentenceDocuments(corpus, { seed: 2603, limit });
      const c = constructTexts(documents, { countTokens, ks, maxTokens: model.info.maxLength, seeds, seed: 2603 });
      const audits = auditLeakage(c.texts, seedSentencesOf(c.texts, documents));
      assert.ok(leakFree(audits), `${corpus}: ${JSON.stringify(audits)}`);
      assert.ok(c.reports[0].built > 0, `${corpus}: no seed built`);
    }
    model.dispose();
  });
}
