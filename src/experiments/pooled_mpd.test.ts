import { test } from "node:test";
import assert from "node:assert/strict";
import { matrixFromRows, normalizeRows, type Matrix } from "../matrix";
import type { EmbeddingModel, ModelInfo, TokenStates } from "../embedding/model";
import { seededRandom } from "../util/random";
import {
  allEqualPartitions,
  consecutiveGroups,
  describeMpdChanges,
  measurePooledMpd,
  pooledMpdTable,
  randomGroups,
} from "./pooled_mpd";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test("consecutive and random groups partition the indices", () => {
  assert.deepEqual(consecutiveGroups(2, 4, 2), [
    [0, 1],
    [2, 3],
    [4, 5],
    [6, 7],
  ]);
  assert.deepEqual(consecutiveGroups(2, 4, 4), [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
  ]);
  assert.throws(() => consecutiveGroups(2, 4, 3), /divide/);
  const groups = randomGroups(12, 3, seededRandom(1));
  assert.equal(groups.length, 4);
  assert.deepEqual(
    groups.flat().sort((a, b) => a - b),
    Array.from({ length: 12 }, (_, i) => i),
  );
});

test("allEqualPartitions enumerates each unordered partition once: (n−1)!! for pairs, 10 for 6 into 3s", () => {
  assert.equal(allEqualPartitions(4, 2).length, 3);
  assert.equal(allEqualPartitions(6, 2).length, 15);
  assert.equal(allEqualPartitions(8, 2).length, 105);
  assert.equal(allEqualPartitions(6, 3).length, 10);
  const keys = allEqualPartitions(6, 2).map((p) => JSON.stringify(p));
  assert.equal(new Set(keys).size, 15);
});

/** Sentence "w<i>." → a fixed vector with a common direction; a joined text → the mean of its sentences (mean pooling). */
class MeanPoolingFake implements EmbeddingModel {
  readonly info: ModelInfo = {
    name: "fake",
    source: "",
    architecture: "fake",
    modelType: "fake",
    hiddenSize: 4,
    numLayers: 1,
    maxLength: 512,
    defaultPooling: "mean",
    normalize: true,
    backend: "cpu",
  };
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
  const blocks = Array.from({ length: 4 }, (_, b) => ({
    id: `b${b}`,
    source: "fake",
    sentences: Array.from({ length: 8 }, (_, j) => `w${b * 8 + j}.`),
  }));
  const model = new MeanPoolingFake();
  const rows = await measurePooledMpd(model, "fake", blocks, { ks: [1, 2, 4, 8], seed: 1, randomPartitions: 3 });
  assert.equal(model.calls, 2, "one call for the sentences, one for every joined text");
  assert.deepEqual(
    rows.map((r) => [r.k, r.groups]),
    [
      [1, 32],
      [2, 16],
      [4, 8],
      [8, 4],
    ],
  );
  const first = rows[0];
  for (const value of [first.consecutiveMeanCosineMpd, first.randomMeanCosineMpd, first.contextualCosineMpd])
    close(value, first.sentenceCosineMpd, 1e-12);
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
  await assert.rejects(
    measurePooledMpd(model, "fake", [blocks[0], { ...blocks[1], sentences: ["w1."] }], { seed: 1 }),
    /equal numbers/,
  );
});

test("negativeCosineShare counts pairs a < b with a negative cosine", async () => {
  const { negativeCosineShare } = await import("./pooled_mpd");
  const rows = [
    [1, 0],
    [0, 1],
    [-1, 0.1],
  ].map((r) => Float64Array.from(r));
  assert.equal(negativeCosineShare(rows), 1 / 3);
  assert.ok(Number.isNaN(negativeCosineShare(rows.slice(0, 1))));
});
