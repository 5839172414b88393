import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { matrixFromRows, normalizeRows, type Matrix } from "../matrix";
import type { EmbeddingModel, ModelInfo, TokenStates } from "../embedding/model";
import { meanPairwiseCosineDistance, meanPairwiseEuclideanDistance } from "../metrics/geometry";
import { unitRows64 } from "../metrics/shift";
import { gaussian, seededRandom } from "../util/random";
import {
  allEqualPartitions,
  consecutiveGroups,
  cosineMpd,
  decomposeCosineMpd,
  describeMpdChanges,
  euclideanMpd,
  euclideanRatioFigure,
  groupMeans,
  meanSquaredPairwiseDistance,
  measurePooledMpd,
  mpdVersusKFigure,
  pooledMpdTable,
  randomGroups,
  spread,
} from "./pooled_mpd";

before(async () => {
  await tf.setBackend("wasm");
});

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

function randomUnitRows(n: number, dimension: number, seed: number, shift = 0): Float64Array[] {
  const rng = seededRandom(seed);
  return unitRows64(matrixFromRows(Array.from({ length: n }, () => Array.from({ length: dimension }, (_, j) => gaussian(rng) + (j === 0 ? shift : 0)))));
}

test("consecutive and random groups partition the indices", () => {
  assert.deepEqual(consecutiveGroups(2, 4, 2), [[0, 1], [2, 3], [4, 5], [6, 7]]);
  assert.deepEqual(consecutiveGroups(2, 4, 4), [[0, 1, 2, 3], [4, 5, 6, 7]]);
  assert.throws(() => consecutiveGroups(2, 4, 3), /divide/);
  const groups = randomGroups(12, 3, seededRandom(1));
  assert.equal(groups.length, 4);
  assert.deepEqual(groups.flat().sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i));
});

test("allEqualPartitions enumerates each unordered partition once: (n−1)!! for pairs, 10 for 6 into 3s", () => {
  assert.equal(allEqualPartitions(4, 2).length, 3);
  assert.equal(allEqualPartitions(6, 2).length, 15);
  assert.equal(allEqualPartitions(8, 2).length, 105);
  assert.equal(allEqualPartitions(6, 3).length, 10);
  const keys = allEqualPartitions(6, 2).map((p) => JSON.stringify(p));
  assert.equal(new Set(keys).size, 15);
});

test("MPDs and spread on orthonormal vectors: cosine 1, Euclidean √2, spread 1 − 1/n", () => {
  const rows = unitRows64(matrixFromRows([[1, 0, 0], [0, 1, 0], [0, 0, 1]]));
  close(cosineMpd(rows), 1);
  close(euclideanMpd(rows), Math.SQRT2);
  close(meanSquaredPairwiseDistance(rows), 2);
  close(spread(rows), 2 / 3);
  assert.ok(Number.isNaN(cosineMpd(rows.slice(0, 1))));
});

test("float64 MPDs agree with the lab's tfjs geometry (float32) on 200 × 32 vectors", () => {
  const rng = seededRandom(4);
  const m: Matrix = matrixFromRows(Array.from({ length: 200 }, () => Array.from({ length: 32 }, (_, j) => gaussian(rng) + (j < 2 ? 1 : 0))));
  const rows = unitRows64(m);
  close(cosineMpd(rows), meanPairwiseCosineDistance(m), 1e-5);
  close(euclideanMpd(rows), meanPairwiseEuclideanDistance(normalizeRows(m)), 1e-4);
  const raw = Array.from({ length: 200 }, (_, i) => Float64Array.from(m.data.subarray(i * 32, (i + 1) * 32)));
  close(euclideanMpd(raw), meanPairwiseEuclideanDistance(m), 1e-3);
});

test("decomposition: D_p − D_s = λ(W − B) − A exactly, for consecutive and random partitions", () => {
  for (const [seed, shift] of [[1, 0], [2, 1.5], [3, -0.5]]) {
    const rows = randomUnitRows(24, 8, seed, shift);
    for (const groups of [consecutiveGroups(3, 8, 4), randomGroups(24, 3, seededRandom(seed)), consecutiveGroups(1, 24, 1)]) {
      const d = decomposeCosineMpd(rows, groups);
      close(d.sentenceMpd, cosineMpd(rows), 1e-12);
      close(d.pooledMpd, cosineMpd(groupMeans(rows, groups)), 1e-12);
      close(d.pooledMpd - d.sentenceMpd, d.cohesion - d.amplification, 1e-12);
      close(d.withinPairShare, (groups[0].length - 1) / 23);
    }
  }
  const single = decomposeCosineMpd(randomUnitRows(6, 4, 9), consecutiveGroups(1, 6, 1));
  close(single.pooledMpd, single.sentenceMpd);
  close(single.amplification, 0);
  assert.equal(single.cohesion, 0);
});

test("spread of the group means never exceeds the sentences' (total = within + between), equal for constant groups", () => {
  for (let seed = 0; seed < 20; seed++) {
    const rows = randomUnitRows(12, 3, seed, seed % 3);
    for (const k of [2, 3, 4, 6]) {
      const groups = randomGroups(12, k, seededRandom(seed + k));
      assert.ok(spread(groupMeans(rows, groups)) <= spread(rows) + 1e-15);
    }
  }
  const base = randomUnitRows(3, 5, 1);
  const repeated = base.flatMap((r) => [r, r]);
  close(spread(groupMeans(repeated, consecutiveGroups(3, 2, 2))), spread(repeated), 1e-15);
});

test("random partitions: E[mean squared distance of means] = (sentences' mean squared distance)/k exactly", () => {
  const rows = randomUnitRows(8, 3, 5, 0.3);
  for (const k of [2, 4]) {
    const partitions = allEqualPartitions(8, k);
    const expected = partitions.reduce((t, p) => t + meanSquaredPairwiseDistance(groupMeans(rows, p)), 0) / partitions.length;
    close(expected, meanSquaredPairwiseDistance(rows) / k, 1e-12);
  }
});

/** Sentence "w<i>." → a fixed vector with a common direction; a joined text → the mean of its sentences (mean pooling). */
class MeanPoolingFake implements EmbeddingModel {
  readonly info: ModelInfo = { name: "fake", source: "", architecture: "fake", modelType: "fake", hiddenSize: 4, numLayers: 1, maxLength: 512, defaultPooling: "mean", normalize: true, backend: "cpu" };
  readonly lastTruncations = [];
  calls = 0;
  private vector(sentence: string): number[] {
    const i = Number(sentence.slice(1, -1));
    return Array.from(normalizeRows(matrixFromRows([[2, Math.sin(i), Math.cos(3 * i), (i % 5) - 2]])).data);
  }
  async embed(texts: string[]): Promise<Matrix> {
    this.calls++;
    return matrixFromRows(
      texts.map((t) => {
        const parts = t.split(" ").map((s) => this.vector(s));
        return [0, 1, 2, 3].map((j) => parts.reduce((sum, p) => sum + p[j], 0) / parts.length);
      }),
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

test("measurePooledMpd: k = 1 is the sentence space; a mean-pooling model's contextual MPD equals the mean's", async () => {
  const blocks = Array.from({ length: 4 }, (_, b) => ({ id: `b${b}`, source: "fake", sentences: Array.from({ length: 8 }, (_, j) => `w${b * 8 + j}.`) }));
  const model = new MeanPoolingFake();
  const rows = await measurePooledMpd(model, "fake", blocks, { ks: [1, 2, 4, 8], seed: 1, randomPartitions: 3 });
  assert.equal(model.calls, 2, "one call for the sentences, one for every joined text");
  assert.deepEqual(rows.map((r) => [r.k, r.groups]), [[1, 32], [2, 16], [4, 8], [8, 4]]);
  const first = rows[0];
  for (const value of [first.consecutiveMeanCosineMpd, first.randomMeanCosineMpd, first.contextualCosineMpd]) close(value, first.sentenceCosineMpd, 1e-12);
  close(first.consecutiveMeanEuclideanMpd, first.sentenceEuclideanMpd, 1e-12);
  for (const r of rows) {
    close(r.contextualCosineMpd, r.consecutiveMeanCosineMpd, 1e-6);
    close(r.contextualEuclideanMpd, r.consecutiveNormalizedMeanEuclideanMpd, 1e-6);
    close(r.consecutiveMeanCosineMpd - r.sentenceCosineMpd, r.cohesion - r.amplification, 1e-12);
    assert.ok(r.consecutiveMeanSpread <= r.sentenceSpread + 1e-15);
  }
  // all sentence cosines are positive here (shared first coordinate): pooling concentrates
  for (const r of rows.slice(1)) assert.ok(r.randomMeanCosineMpd < r.sentenceCosineMpd);

  const changes = describeMpdChanges(rows, "contextualCosineMpd").split("\n");
  assert.equal(changes.length, 1);
  assert.match(changes[0], /^fake \(contextual \(model\)\), pooled − sentences: k=2: [+-]0\.\d{3}, k=4: .*, k=8: /);
  assert.equal(pooledMpdTable(rows)[0]["amplification A"], 0);
  const table = pooledMpdTable(rows);
  assert.equal(table.length, 4);
  assert.equal(table[2]["cos MPD sentences"], first.sentenceCosineMpd);
  assert.equal(mpdVersusKFigure("t", rows).data.length, 3);
  assert.equal(euclideanRatioFigure("t", rows).data.length, 3);
  await assert.rejects(measurePooledMpd(model, "fake", [blocks[0], { ...blocks[1], sentences: ["w1."] }], { seed: 1 }), /equal numbers/);
});
