import { test } from "node:test";
import assert from "node:assert/strict";
import type { Matrix } from "../matrix";
import type { EmbeddingModel, ModelInfo, TokenStates } from "../embedding/model";
import { ols, partialCorrelation } from "../metrics/stats";
import { seededRandom, gaussian } from "../util/random";
import type { SentenceDocument } from "./construct";
import {
  constructCorpus,
  distinctTexts,
  measureLengthVsShift,
  regressConcentration,
  textsToEmbed,
  TextVectors,
  type TextMeasurement,
} from "./length_vs_shift";

/** 12 documents of 10 sentences; sentence "d3s4 w0 w1 …" carries its identity in its first word. */
const DOCS: SentenceDocument[] = Array.from({ length: 12 }, (_, d) => ({
  id: `doc${d}`,
  sentences: Array.from(
    { length: 10 },
    (_, s) => [`d${d}s${s}`, ...Array.from({ length: ((d * 7 + s * 3) % 5) + 2 }, (_, w) => `w${w}`)].join(" ") + ".",
  ),
}));
const countWords = (texts: string[]) => texts.map((t) => t.split(" ").filter((w) => w !== "").length + 2);

/**
 * A model whose vector of a text counts the sentence identities in it (one dimension per sentence of DOCS): every sentence is
 * orthogonal to every other, so repeat texts are one-hot and Shift is exactly k − 1 for k distinct sentences.
 */
class SentenceIdentityModel implements EmbeddingModel {
  readonly lastTruncations = [];
  embedCalls = 0;
  readonly info: ModelInfo = {
    name: "sentence-identity",
    source: "",
    architecture: "test",
    modelType: "test",
    hiddenSize: 120,
    numLayers: 0,
    maxLength: 512,
    defaultPooling: "mean",
    normalize: false,
    backend: "test",
  };
  async embed(texts: string[]): Promise<Matrix> {
    this.embedCalls++;
    const data = new Float32Array(texts.length * 120);
    texts.forEach((t, i) => {
      for (const match of t.matchAll(/d(\d+)s(\d+)/g)) data[i * 120 + Number(match[1]) * 10 + Number(match[2])] += 1;
    });
    return { rows: texts.length, cols: 120, data };
  }
  async tokenStates(text: string): Promise<TokenStates> {
    return { text, tokens: [], ids: [], states: { rows: 0, cols: 120, data: new Float32Array(0) }, truncated: false };
  }
  countTokens(texts: string[]): number[] {
    return countWords(texts);
  }
  dispose(): void {}
}

const options = { countTokens: countWords, ks: [1, 2, 4], maxTokens: 512, seeds: 6, seed: 7 };

test("constructCorpus records each seed's whole sentence; textsToEmbed lists every needed text once", () => {
  const construction = constructCorpus("toy", DOCS, options);
  assert.equal(construction.texts.length, 3 * 3 * 6);
  for (const t of construction.texts) {
    const [doc, index] = t.seedId.split("#");
    assert.equal(construction.seedSentences.get(t.seedId), DOCS.find((d) => d.id === doc)!.sentences[Number(index)]);
  }
  const texts = textsToEmbed([construction], ["an extra text"]);
  assert.equal(new Set(texts).size, texts.length);
  for (const t of construction.texts) assert.ok(texts.includes(t.text) && t.sentences.every((s) => texts.includes(s)));
  assert.ok(texts.includes("an extra text"));
});

test("per-cell measurements on orthogonal sentences have known values", async () => {
  const construction = constructCorpus("toy", DOCS, options);
  const model = new SentenceIdentityModel();
  const vectors = await TextVectors.embed(model, textsToEmbed([construction]));
  assert.equal(model.embedCalls, 1);
  const { texts, cells } = measureLengthVsShift([construction], vectors);
  assert.ok(texts.some((t) => t.mode === "random" && t.k === 4 && t.shift === 3));
  assert.deepEqual(
    cells.map((c) => `${c.k}:${c.mode}`),
    [
      "1:repeat",
      "1:sequential",
      "1:random",
      "2:repeat",
      "2:sequential",
      "2:random",
      "4:repeat",
      "4:sequential",
      "4:random",
    ],
  );
  for (const c of cells) {
    assert.equal(c.texts, 6);
    if (c.mode === "repeat" || c.k === 1) {
      // one-hot texts of distinct seeds: orthogonal, each its own seed's nearest text
      assert.equal(c.mpd, 1);
      assert.equal(c.anisotropy, 0);
      assert.equal(c.meanShift, 0);
      assert.equal(c.overlapAt1, 1);
      assert.equal(c.recallAt5, 1);
      assert.equal(c.meanReciprocalRank, 1);
    }
  }
  for (const t of texts) {
    const built = construction.texts.find((c) => c.seedId === t.seedId && c.k === t.k && c.mode === t.mode)!;
    assert.equal(t.tokens, built.tokens);
    // m orthogonal sentences (matching may drop trailing ones): Local m − 1, Disp 1
    if (t.mode === "random") assert.ok(Math.abs(t.shift - (built.sentences.length - 1)) < 1e-12, `${t.shift}`);
  }
  // re-counting with another tokenizer changes the length column only
  const recounted = measureLengthVsShift([construction], vectors, { countTokens: (xs) => xs.map((x) => x.length) });
  assert.deepEqual(
    recounted.texts.map((t) => t.shift),
    texts.map((t) => t.shift),
  );
  assert.deepEqual(
    recounted.texts.map((t) => t.tokens),
    texts.map(
      (t) => construction.texts.find((c) => c.seedId === t.seedId && c.k === t.k && c.mode === t.mode)!.text.length,
    ),
  );
  assert.throws(() => vectors.rows(["never embedded"]), /not embedded/);
});

/** Texts whose concentration is 0.8·z(shift) + noise, with length unrelated (given the cell). */
function syntheticTexts(): TextMeasurement[] {
  const rng = seededRandom(11);
  const texts: TextMeasurement[] = [];
  for (const k of [1, 2, 4, 8]) {
    for (const mode of ["repeat", "sequential", "random"] as const) {
      for (let s = 0; s < 40; s++) {
        const tokens = k * 20 + 10 * gaussian(rng);
        const shift =
          mode === "repeat" || k === 1
            ? 0.01 * gaussian(rng)
            : (k - 1) * (mode === "random" ? 0.8 : 0.5) + 0.3 * gaussian(rng);
        texts.push({
          corpus: "toy",
          mode,
          k,
          seedId: `s${s}`,
          tokens,
          shift,
          local: 0,
          dispersion: 0,
          concentration: 0.1 * shift + 0.05 * gaussian(rng),
          rank: 1,
        });
      }
    }
  }
  return texts;
}

test("regressConcentration: the standardised OLS and partial correlations of stats.ts, with k = 1 counted once", () => {
  const texts = syntheticTexts();
  const used = distinctTexts(texts);
  assert.equal(used.length, 40 + 3 * 3 * 40);
  const y = used.map((t) => t.concentration);
  const length = used.map((t) => t.tokens);
  const shift = used.map((t) => t.shift);
  const pooled = regressConcentration(texts, "none");
  const direct = ols(y, [length, shift], { standardize: true });
  assert.equal(pooled.n, used.length);
  assert.equal(pooled.length.beta, direct.coefficients[0]);
  assert.equal(pooled.shift.beta, direct.coefficients[1]);
  assert.equal(pooled.shift.t, direct.tValues[1]);
  assert.equal(pooled.partialShiftGivenLength, partialCorrelation(shift, y, [length]));
  assert.ok(pooled.shift.beta > 0.8 && Math.abs(pooled.partialLengthGivenShift) < 0.15, JSON.stringify(pooled));

  const withinK = regressConcentration(texts, "k");
  const kIndicators = [2, 4, 8].map((k) => used.map((t) => (t.k === k ? 1 : 0)));
  assert.ok(
    Math.abs(withinK.shift.beta - ols(y, [length, shift, ...kIndicators], { standardize: true }).coefficients[1]) <
      1e-12,
  );
  assert.ok(
    withinK.partialShiftGivenLength > 0.5 && Math.abs(withinK.partialLengthGivenShift) < 0.15,
    JSON.stringify(withinK),
  );

  const withinCell = regressConcentration(texts, "cell");
  assert.ok(withinCell.shift.beta > 0.3, JSON.stringify(withinCell));
  assert.ok(Math.abs(withinCell.correlationLength) < 0.15);
});
