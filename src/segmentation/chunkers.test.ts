import { test } from "node:test";
import assert from "node:assert/strict";
import { matrixFromRows } from "../matrix";
import { seededRandom, gaussian } from "../util/random";
import { chunkBoundaries } from "./chunkers";
import { fixedSentenceBoundaries, fixedSentenceBoundariesForTarget, fixedTokenBoundaries } from "./fixed";
import { adjacentDistances, percentileBoundaries, semanticBoundaries } from "./semantic";
import { shiftSplitterBoundaries } from "./shift_splitter";
import { textTilingBoundaries } from "./texttiling";

/** Sentence vectors of consecutive topics: topic t points along axis t, plus noise of the given scale. */
function topicVectors(segmentLengths: number[], noise: number, seed = 1) {
  const rng = seededRandom(seed);
  const rows: number[][] = [];
  segmentLengths.forEach((length, topic) => {
    for (let i = 0; i < length; i++)
      rows.push(Array.from({ length: 16 }, (_, d) => (d === topic ? 1 : 0) + noise * gaussian(rng)));
  });
  return matrixFromRows(rows);
}

test("fixed chunks: every size sentences, token budgets, and the size closest to a target", () => {
  assert.deepEqual(fixedSentenceBoundaries(10, 3), [3, 6, 9]);
  assert.deepEqual(fixedSentenceBoundaries(3, 5), []);
  assert.deepEqual(fixedTokenBoundaries([5, 5, 5, 20, 1, 1], 10), [2, 3, 4]); // the 20-token sentence stands alone
  assert.deepEqual(fixedSentenceBoundariesForTarget(10, 3.3), [4, 8]); // means: size 3 → 2.5, size 4 → 3.33
  assert.deepEqual(chunkBoundaries("fixed", { sentences: Array(7).fill("x") }, { size: 2 }), [2, 4, 6]);
});

test("semantic chunking cuts above the 95th percentile of adjacent distances (numpy percentile)", () => {
  // 21 gaps: percentile 95 of 0, 0.05, …, 1.0 is 0.95, so only the gap of distance 1.0 is cut
  const gaps = Array.from({ length: 21 }, (_, i) => i / 20);
  assert.deepEqual(percentileBoundaries(gaps, 95), [21]);
  assert.deepEqual(percentileBoundaries([0.1, 0.9, 0.2, 0.8], 50), [2, 4]);
  const vectors = topicVectors([4, 6, 5], 0.05);
  assert.equal(adjacentDistances(vectors).length, 14);
  assert.deepEqual(semanticBoundaries(vectors, { targetSize: 5 }), [4, 10]);
});

test("the Shift Splitter finds topic changes, and with W = 1 it cuts where semantic chunking does", () => {
  const vectors = topicVectors([5, 7, 4, 6], 0.15, 3);
  assert.deepEqual(shiftSplitterBoundaries(vectors, { targetSize: 5.5 }), [5, 12, 16]);
  // increments at the three changes: 0.788, 0.499, 0.807; the 90th percentile of the 21 increments is the 0.499 itself,
  // and a cut needs an increment strictly above it
  assert.deepEqual(shiftSplitterBoundaries(vectors), [5, 16]);
  assert.deepEqual(shiftSplitterBoundaries(vectors, { percentile: 85 }), [5, 12, 16]);
  const noisy = topicVectors([3, 3, 3, 3, 3, 3], 0.6, 7);
  for (const target of [2, 3, 4, 6]) {
    assert.deepEqual(
      shiftSplitterBoundaries(noisy, { window: 1, targetSize: target }),
      semanticBoundaries(noisy, { targetSize: target }),
    );
  }
  assert.deepEqual(shiftSplitterBoundaries(matrixFromRows([[1, 0]])), []);
});

test("TextTiling finds vocabulary changes and snaps them to sentence starts", () => {
  const topics = [
    "river boat water fish bank current stream flow",
    "violin music concert orchestra melody score tempo chord",
    "oven bread flour yeast dough baking crust loaf",
  ];
  const rng = seededRandom(5);
  const sentences: string[] = [];
  for (const vocabulary of topics) {
    const words = vocabulary.split(" ");
    for (let s = 0; s < 6; s++)
      sentences.push(Array.from({ length: 10 }, () => words[Math.floor(rng() * words.length)]).join(" ") + ".");
  }
  // Hearst's liberal cutoff (mean − sd/2) also takes the shallow valleys that random word choice makes inside a topic
  const liberal = textTilingBoundaries(sentences, { pseudoSentenceWords: 10, blockSize: 3 });
  assert.deepEqual(liberal, [4, 6, 10, 12, 14]);
  assert.deepEqual(textTilingBoundaries(sentences, { pseudoSentenceWords: 10, blockSize: 3, targetSize: 6 }), [6, 12]);
  assert.deepEqual(textTilingBoundaries(["Too short to tile."]), []);
});
