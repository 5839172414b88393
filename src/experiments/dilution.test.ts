import { test } from "node:test";
import assert from "node:assert/strict";
import { matrixFromRows, normalizeRows, type Matrix } from "../matrix";
import type { EmbeddingModel, ModelInfo, TokenStates } from "../embedding/model";
import { dilutionCoordinate, meanDistanceToPooled, theorem1Curve } from "../metrics/shift";
import { meanOfUnitRows } from "../metrics/vectors";
import { gaussian, seededRandom } from "../util/random";
import {
  checkMeanPoolingIdentity,
  dispersionContextualCorrelation,
  measureContextualDilution,
  randomSentenceVectors,
  rankCorrelation,
  summarizeDilution,
  syntheticIdentityChecks,
  textDilution,
  textPreview,
} from "./dilution";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test("Theorem 1 on hand-made sets: orthogonal pair, opposite pair, identical vectors", () => {
  const orthogonal = checkMeanPoolingIdentity(
    matrixFromRows([
      [1, 0],
      [0, 1],
    ]),
  );
  close(orthogonal.cPair, 1);
  close(orthogonal.cMeanMeasured, 1 - Math.sqrt(0.5)); // ‖μ‖ = √2/2
  close(orthogonal.deviation, 0);
  const opposite = checkMeanPoolingIdentity(
    matrixFromRows([
      [1, 0],
      [-1, 0],
    ]),
  );
  close(opposite.cPair, 2);
  close(opposite.cMeanMeasured, 1); // μ = 0: cosine 0 by convention, and the formula gives 1 − √0
  close(opposite.cMeanPredicted, 1);
  const same = checkMeanPoolingIdentity(
    matrixFromRows([
      [0.6, 0.8],
      [0.6, 0.8],
      [0.6, 0.8],
    ]),
  );
  close(same.cPair, 0, 1e-7);
  close(same.cMeanMeasured, 0, 1e-7);
});

test("Theorem 1 holds to float64 rounding on random unit vectors, k = 2 … 64, and C_pair spans the range", () => {
  const checks = syntheticIdentityChecks({
    ks: Array.from({ length: 63 }, (_, i) => i + 2),
    drawsPerK: 3,
    dimension: 64,
    seed: 11,
  });
  assert.equal(checks.length, 63 * 3);
  assert.ok(Math.max(...checks.map((c) => c.deviation)) < 1e-12);
  assert.ok(Math.min(...checks.map((c) => c.cPair)) < 0.3, "some draws are concentrated");
  assert.ok(Math.max(...checks.map((c) => c.cPair)) > 0.9, "some draws are nearly orthogonal");
});

test("the dilution coordinate makes the curve universal: C_mean = 1 − √(1 − x)", () => {
  close(dilutionCoordinate(0.6, 4), 0.45);
  close(theorem1Curve(0.75), 0.5);
  close(theorem1Curve(0), 0);
  close(theorem1Curve(1), 1);
});

test("textDilution: a contextual vector equal to the first sentence gives C_mean = mean distance to it", () => {
  const sentences = matrixFromRows([
    [1, 0],
    [0, 1],
  ]);
  const result = textDilution({ id: "t", source: "s" }, sentences, [2, 0]);
  assert.equal(result.k, 2);
  close(result.dispersion, 1);
  close(result.dilutionCoordinate, 0.5);
  close(result.cMeanContextual, 0.5); // distances 0 and 1
  close(result.cMeanOfMean, 1 - Math.SQRT1_2);
});

/** Sentences are "w<i>." tokens with fixed random vectors; a joined text embeds as the mean (or the first sentence). */
class FakeModel implements EmbeddingModel {
  readonly info: ModelInfo = {
    name: "fake",
    source: "",
    architecture: "fake",
    modelType: "fake",
    hiddenSize: 3,
    numLayers: 1,
    maxLength: 512,
    defaultPooling: "mean",
    normalize: true,
    backend: "cpu",
  };
  readonly lastTruncations = [];
  calls: string[][] = [];
  constructor(private readonly contextual: "mean" | "first") {}
  private vector(sentence: string): number[] {
    const i = Number(sentence.slice(1, -1));
    return [1 + (i % 3), (i * 7) % 5, (i * 3) % 4];
  }
  async embed(texts: string[]): Promise<Matrix> {
    this.calls.push(texts);
    return normalizeRows(
      matrixFromRows(
        texts.map((t) => {
          const parts = t.split(" ").map((s) => normalizeRows(matrixFromRows([this.vector(s)])).data);
          if (this.contextual === "first") return Array.from(parts[0]);
          return [0, 1, 2].map((j) => parts.reduce((sum, p) => sum + p[j], 0) / parts.length);
        }),
      ),
    );
  }
  async tokenStates(): Promise<TokenStates> {
    throw new Error("not used");
  }
  countTokens(texts: string[]): number[] {
    return texts.map((t) => t.split(" ").length + 2);
  }
  dispose(): void {}
}

const texts = [
  { id: "a", source: "fake", sentences: ["w1.", "w2.", "w3."] },
  { id: "b", source: "fake", sentences: ["w4.", "w5."] },
  { id: "c", source: "fake", sentences: ["w6.", "w7.", "w8.", "w9."] },
];

test("measureContextualDilution: one embed call for the sentences, one for the joined texts; a mean-pooling model sits on the curve", async () => {
  const model = new FakeModel("mean");
  const results = await measureContextualDilution(model, texts);
  assert.deepEqual(model.calls, [texts.flatMap((t) => t.sentences), ["w1. w2. w3.", "w4. w5.", "w6. w7. w8. w9."]]);
  assert.deepEqual(
    results.map((r) => [r.id, r.k]),
    [
      ["a", 3],
      ["b", 2],
      ["c", 4],
    ],
  );
  for (const r of results) close(r.cMeanContextual, r.cMeanPredicted, 1e-6); // float32 embeddings
  const summary = summarizeDilution("fake", results);
  assert.equal(summary.texts, 3);
  close(summary.meanSentences, 3);
  assert.ok(summary.maxIdentityDeviation < 1e-12);
  assert.ok(Math.abs(summary.meanContextualMinusTheorem) < 1e-6);
});

test("measureContextualDilution: a model that embeds a text as its first sentence is off the curve", async () => {
  const results = await measureContextualDilution(new FakeModel("first"), texts);
  const first = results[0];
  assert.ok(first.cMeanContextual - first.cMeanPredicted > 0.01);
  // the mean direction minimises C_mean: any other pooled vector sits above Theorem 1's curve
  assert.ok(summarizeDilution("fake", results).minContextualMinusTheorem > 0);
});

test("rankCorrelation: a monotone relation has ρ = 1 and a degenerate interval; the interval is reproducible", () => {
  const x = [0.1, 0.5, 0.2, 0.9, 0.4, 0.3, 0.8];
  const perfect = rankCorrelation(
    x,
    x.map((v) => v * v),
    { seed: 1, resamples: 200 },
  );
  close(perfect.interval.estimate, 1);
  close(perfect.interval.lower, 1);
  const noisy = [0.3, 0.1, 0.4, 0.7, 0.2, 0.6, 0.5];
  const a = rankCorrelation(x, noisy, { seed: 5, resamples: 300 });
  const b = rankCorrelation(x, noisy, { seed: 5, resamples: 300 });
  assert.deepEqual(a, b);
  close(a.interval.estimate, 0.32142857142857145, 1e-12); // scipy.stats.spearmanr gives 0.3214285714285715
  assert.ok(a.interval.lower < a.interval.estimate && a.interval.estimate < a.interval.upper);
});

test("dispersionContextualCorrelation pairs Disp with contextual C_mean", async () => {
  const results = await measureContextualDilution(new FakeModel("mean"), texts);
  const correlation = dispersionContextualCorrelation(results, { seed: 2, resamples: 50 });
  assert.equal(correlation.n, 3);
  assert.ok(Number.isFinite(correlation.interval.estimate));
});

test("rankCorrelation with clusters resamples documents: wider on clustered pairs, identical when every document has one text", () => {
  // 12 documents of 6 texts; x and y share a document effect, so pairs of one document are not independent
  const rng = seededRandom(11);
  const x: number[] = [];
  const y: number[] = [];
  const documents: string[] = [];
  for (let d = 0; d < 12; d++) {
    const effect = gaussian(rng);
    for (let j = 0; j < 6; j++) {
      x.push(effect + 0.5 * gaussian(rng));
      y.push(effect + 0.5 * gaussian(rng));
      documents.push(`doc${d}`);
    }
  }
  const byText = rankCorrelation(x, y, { seed: 3, resamples: 500 });
  const byDocument = rankCorrelation(x, y, { seed: 3, resamples: 500, clusters: documents });
  assert.equal(byDocument.clusters, 12);
  assert.equal(byDocument.interval.estimate, byText.interval.estimate);
  assert.ok(
    byDocument.interval.upper - byDocument.interval.lower > 1.3 * (byText.interval.upper - byText.interval.lower),
  );
  assert.deepEqual(
    rankCorrelation(x, y, { seed: 3, resamples: 100, clusters: x.map((_, i) => i) }).interval,
    rankCorrelation(x, y, { seed: 3, resamples: 100 }).interval,
  );
  assert.throws(() => rankCorrelation(x, y, { seed: 3, clusters: ["a"] }), /cluster labels/);
});

test("Theorem 1's curve is a lower bound: no pooled vector is closer on average to the sentences than the mean", () => {
  const rng = seededRandom(8);
  for (let trial = 0; trial < 200; trial++) {
    const sentences = randomSentenceVectors(rng, 2 + (trial % 9), 6, rng() * 3);
    const bound = checkMeanPoolingIdentity(sentences).cMeanPredicted;
    const mean = meanOfUnitRows(sentences);
    const nearby = Array.from(mean, (v) => v + 0.3 * gaussian(rng));
    assert.ok(meanDistanceToPooled(sentences, nearby) >= bound - 1e-12);
    close(
      meanDistanceToPooled(
        sentences,
        mean.map((v) => 5 * v),
      ),
      bound,
      1e-12,
    );
  }
});

test("textPreview: the opening words, cut at a word boundary", () => {
  assert.equal(textPreview(["Short text.", "Two."]), "Short text. Two.");
  assert.equal(textPreview(["alpha beta gamma delta"], 12), "alpha beta…");
});
