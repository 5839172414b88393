import { test } from "node:test";
import assert from "node:assert/strict";
import { gaussian, randomInt, sampleInOrder, sampleWithoutReplacement, seededRandom, shuffle } from "./random";

test("seededRandom repeats for a seed and differs across seeds", () => {
  const first = Array.from({ length: 5 }, seededRandom(1));
  assert.deepEqual(Array.from({ length: 5 }, seededRandom(1)), first);
  assert.notDeepEqual(Array.from({ length: 5 }, seededRandom(2)), first);
});

test("uniform draws lie in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12", () => {
  const rng = seededRandom(7);
  const draws = Array.from({ length: 20000 }, rng);
  assert.ok(draws.every((u) => u >= 0 && u < 1));
  const m = draws.reduce((s, u) => s + u, 0) / draws.length;
  const v = draws.reduce((s, u) => s + (u - m) ** 2, 0) / draws.length;
  // standard error of the mean is √(1/12/20000) ≈ 0.002
  assert.ok(Math.abs(m - 0.5) < 0.01 && Math.abs(v - 1 / 12) < 0.005);
});

test("randomInt covers [0, n) evenly", () => {
  const rng = seededRandom(3);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 8000; i++) counts[randomInt(rng, 4)]++;
  assert.ok(
    counts.every((c) => Math.abs(c - 2000) < 150),
    counts.join(),
  );
});

test("shuffle returns a permutation and leaves the input alone", () => {
  const items = [1, 2, 3, 4, 5, 6, 7, 8];
  const shuffled = shuffle(items, seededRandom(4));
  assert.deepEqual(items, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(
    [...shuffled].sort((a, b) => a - b),
    items,
  );
  assert.notDeepEqual(shuffled, items);
  assert.deepEqual(shuffle(items, seededRandom(4)), shuffled);
});

test("sampleWithoutReplacement draws distinct items", () => {
  const sample = sampleWithoutReplacement([..."abcdefghij"], 6, seededRandom(5));
  assert.equal(sample.length, 6);
  assert.equal(new Set(sample).size, 6);
  assert.throws(() => sampleWithoutReplacement([1, 2], 3, seededRandom(5)));
});

test("gaussian draws have mean ≈ 0 and variance ≈ 1", () => {
  const rng = seededRandom(6);
  const draws = Array.from({ length: 20000 }, () => gaussian(rng));
  const m = draws.reduce((s, g) => s + g, 0) / draws.length;
  const v = draws.reduce((s, g) => s + (g - m) ** 2, 0) / draws.length;
  assert.ok(Math.abs(m) < 0.03 && Math.abs(v - 1) < 0.04, `${m} ${v}`);
});

test("sampleInOrder keeps the drawn items in their original order, and draws what sampleWithoutReplacement draws", () => {
  const items = [..."abcdefghij"];
  const drawn = sampleWithoutReplacement(
    items.map((_, i) => i),
    4,
    seededRandom(7),
  )
    .sort((a, b) => a - b)
    .map((i) => items[i]);
  assert.deepEqual(sampleInOrder(items, 4, seededRandom(7)), drawn);
  assert.deepEqual(sampleInOrder(items, 20, seededRandom(7)), items);
  assert.throws(() => sampleInOrder(items, -1, seededRandom(7)), /non-negative integer/);
});
