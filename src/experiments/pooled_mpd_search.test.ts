import { test } from "node:test";
import assert from "node:assert/strict";
import { caseTable, checkExpectations, runCase, standardCases } from "./pooled_mpd_search";

const byName = (name: string) => {
  const found = standardCases().find((c) => c.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
};

test("anisotropic sentences, random groups: pooling always concentrates (cosine and Euclidean)", () => {
  const result = runCase(byName("anisotropic, random groups"), 5, 1);
  assert.equal(result.cosineIncreaseShare, 0);
  assert.equal(result.euclideanIncreaseShare, 0);
  assert.ok(result.meanPooledCosineMpd < result.meanSentenceCosineMpd - 0.2);
});

test("isotropic sentences: the cosine MPD barely moves and goes up in some draws", () => {
  const result = runCase(byName("isotropic, random groups"), 12, 2);
  assert.ok(Math.abs(result.meanPooledCosineMpd - result.meanSentenceCosineMpd) < 0.01);
  assert.ok(result.cosineIncreaseShare > 0 && result.cosineIncreaseShare < 1);
  assert.equal(result.euclideanIncreaseShare, 0, "raw means are shorter, so Euclidean MPD still drops");
});

test("adversarial opposite pairs: the two means point in opposite directions, cosine MPD rises to ≈ 2", () => {
  const result = runCase(byName("opposite pairs, adversarial groups"), 10, 3);
  assert.equal(result.cosineIncreaseShare, 1);
  assert.ok(result.meanPooledCosineMpd > 1.98);
  assert.ok(Math.abs(result.meanSentenceCosineMpd - 4 / 3) < 0.02);
  assert.equal(result.normalizedEuclideanIncreaseShare, 1);
  assert.equal(result.euclideanIncreaseShare, 0);
});

test("cohesive topics and duplicated sentences raise the MPD; orthonormal sentences leave it unchanged", () => {
  const topics = runCase(byName("topics, groups = topics"), 5, 4);
  assert.equal(topics.cosineIncreaseShare, 1);
  assert.equal(topics.euclideanIncreaseShare, 1);
  const duplicates = runCase(byName("identical sentences within groups"), 5, 5);
  assert.equal(duplicates.cosineIncreaseShare, 1);
  assert.ok(Math.abs(duplicates.worstSpreadIncrease) < 1e-12, "constant groups: spread unchanged");
  const orthonormal = runCase(byName("orthonormal sentences"), 5, 6);
  assert.equal(orthonormal.meanSentenceCosineMpd, 1);
  assert.ok(Math.abs(orthonormal.meanPooledCosineMpd - 1) < 1e-12);
  assert.equal(orthonormal.cosineIncreaseShare, 0);
});

test("the spread never grows, in any case", () => {
  for (const testCase of standardCases()) {
    const result = runCase(testCase, testCase.name.startsWith("random small") ? 300 : 3, 7);
    assert.equal(result.spreadIncreaseShare, 0, testCase.name);
    assert.ok(result.worstSpreadIncrease < 1e-12, testCase.name);
  }
});

test("exact expectations over all partitions: positive cone never violates E[D_p] ≤ D_s; isotropic does; E[MSD] = MSD/k", () => {
  const positive = checkExpectations(60, true, 1);
  assert.equal(positive.cosineExpectationViolations, 0);
  assert.ok(positive.worstCosineExpectationGap < 0);
  assert.ok(positive.worstSquaredDistanceIdentityError < 1e-12);
  const isotropic = checkExpectations(60, false, 2);
  assert.ok(isotropic.cosineExpectationViolations > 0);
  assert.ok(isotropic.worstSquaredDistanceIdentityError < 1e-12);
});

test("caseTable has one row per case", () => {
  const rows = caseTable([runCase(byName("orthonormal sentences"), 2, 1)]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].k, 4);
});
