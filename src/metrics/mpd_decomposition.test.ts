import { test } from "node:test";
import assert from "node:assert/strict";
import { matrixFromRows } from "../matrix";
import { gaussian, seededRandom } from "../util/random";
import { allEqualPartitions, consecutiveGroups, randomGroups } from "../experiments/pooled_mpd";
import { decomposeCosineMpd, groupMeans } from "./mpd_decomposition";
import { meanPairwiseCosineDistance64, meanSquaredPairwiseDistance, spread, unitRows64 } from "./vectors";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

function randomUnitRows(n: number, dimension: number, seed: number, shift = 0): Float64Array[] {
  const rng = seededRandom(seed);
  return unitRows64(
    matrixFromRows(
      Array.from({ length: n }, () =>
        Array.from({ length: dimension }, (_, j) => gaussian(rng) + (j === 0 ? shift : 0)),
      ),
    ),
  );
}

test("groupMeans: plain and unit-length means of each group", () => {
  const rows = [Float64Array.of(2, 0), Float64Array.of(0, 2), Float64Array.of(4, 4)];
  assert.deepEqual(
    groupMeans(rows, [[0, 1], [2]]).map((m) => Array.from(m)),
    [
      [1, 1],
      [4, 4],
    ],
  );
  close(groupMeans(rows, [[0, 1]], { normalize: true })[0][0], Math.SQRT1_2);
});

test("decomposition: D_p − D_s = λ(W − B) − A exactly, for consecutive and random partitions", () => {
  for (const [seed, shift] of [
    [1, 0],
    [2, 1.5],
    [3, -0.5],
  ]) {
    const rows = randomUnitRows(24, 8, seed, shift);
    for (const groups of [
      consecutiveGroups(3, 8, 4),
      randomGroups(24, 3, seededRandom(seed)),
      consecutiveGroups(1, 24, 1),
    ]) {
      const d = decomposeCosineMpd(rows, groups);
      close(d.sentenceMpd, meanPairwiseCosineDistance64(rows), 1e-12);
      close(d.pooledMpd, meanPairwiseCosineDistance64(groupMeans(rows, groups)), 1e-12);
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
    const expected =
      partitions.reduce((t, p) => t + meanSquaredPairwiseDistance(groupMeans(rows, p)), 0) / partitions.length;
    close(expected, meanSquaredPairwiseDistance(rows) / k, 1e-12);
  }
});
