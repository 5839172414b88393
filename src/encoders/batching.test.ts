import { test } from "node:test";
import assert from "node:assert/strict";
import { padIds, paddingFraction, planInInputOrder, planLengthBuckets } from "./batching";

test("length buckets: every text exactly once, longest first, ties in input order, at most batchSize per batch", () => {
  const lengths = [5, 9, 5, 7, 8, 6, 9, 5];
  const plan = planLengthBuckets(lengths, 3);
  assert.deepEqual(
    plan.map((b) => b.indices),
    [
      [1, 6, 4],
      [3, 5, 0],
      [2, 7],
    ],
  );
  assert.deepEqual(
    plan.map((b) => b.paddedLength),
    [9, 7, 5],
  );
  assert.deepEqual(
    plan.flatMap((b) => b.indices).sort((a, b) => a - b),
    lengths.map((_, i) => i),
  );
});

test("a text less than half as long as its batch's longest starts a new batch", () => {
  const plan = planLengthBuckets([512, 12, 23, 3, 11], 32);
  // sorted: 512, 23, 12, 11, 3; 12 >= 23 / 2 joins 23, 11 < 23 / 2 does not
  assert.deepEqual(
    plan.map((b) => [b.indices, b.paddedLength]),
    [
      [[0], 512],
      [[2, 1], 23],
      [[4], 11],
      [[3], 3],
    ],
  );
});

test("padding fraction: buckets beat input order on mixed lengths", () => {
  const lengths = [10, 100, 12, 98, 11, 99];
  const naive = planInInputOrder(lengths, 2);
  assert.deepEqual(
    naive.map((b) => b.indices),
    [
      [0, 1],
      [2, 3],
      [4, 5],
    ],
  );
  const total = lengths.reduce((a, b) => a + b, 0);
  assert.equal(paddingFraction(lengths, naive), (2 * 100 + 2 * 98 + 2 * 99 - total) / (2 * 100 + 2 * 98 + 2 * 99));
  const bucketed = planLengthBuckets(lengths, 2);
  assert.deepEqual(
    bucketed.map((b) => b.indices),
    [[1, 5], [3], [2, 4], [0]],
  );
  assert.equal(paddingFraction(lengths, bucketed), (2 * 100 + 98 + 2 * 12 + 10 - total) / (2 * 100 + 98 + 2 * 12 + 10));
  assert.ok(paddingFraction(lengths, bucketed) < 0.02);
  assert.ok(paddingFraction(lengths, naive) > 0.4);
  assert.equal(paddingFraction([], []), 0);
});

test("batchSize must be a positive integer", () => {
  assert.throws(() => planLengthBuckets([1, 2], 0), /batchSize must be a positive integer, got 0/);
  assert.throws(() => planInInputOrder([1, 2], 1.5), /got 1\.5/);
  assert.deepEqual(planLengthBuckets([], 4), []);
});

test("padIds right-pads ids with padId and masks the padding", () => {
  const { ids, mask, rows, length } = padIds(
    [
      [101, 7, 102],
      [101, 102],
    ],
    0,
  );
  assert.equal(rows, 2);
  assert.equal(length, 3);
  assert.deepEqual(Array.from(ids), [101, 7, 102, 101, 102, 0]);
  assert.deepEqual(Array.from(mask), [1, 1, 1, 1, 1, 0]);
});
