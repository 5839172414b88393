import { test } from "node:test";
import assert from "node:assert/strict";

test("notebook 01–03 checks: identities apart from claims, criteria from the named constants", async () => {
  const { dilutionChecks, pooledMpdChecks, semanticShiftChecks, DISPERSION_PREDICTS_MIN_RHO } =
    await import("./claims");
  const interval = (estimate: number, lower: number, upper: number) => ({
    estimate,
    lower,
    upper,
    confidence: 0.95,
    standardError: 0,
    resamples: 100,
  });
  const summary = (source: string) => ({
    source,
    texts: 10,
    meanSentences: 5,
    meanDispersion: 0.5,
    meanCMeanOfMean: 0.2,
    meanCMeanContextual: 0.3,
    meanContextualMinusTheorem: 0.1,
    minContextualMinusTheorem: 0.01,
    maxIdentityDeviation: 1e-15,
  });
  const dilution = dilutionChecks({
    syntheticMaxDeviation: 1e-15,
    corpora: [
      { summary: summary("arXiv"), rho: { n: 10, clusters: 10, interval: interval(0.8, 0.6, 0.9) } },
      {
        summary: summary("Gutenberg"),
        rho: { n: 10, clusters: 3, interval: interval(0.7, DISPERSION_PREDICTS_MIN_RHO, 0.8) },
      },
    ],
  });
  assert.deepEqual(
    dilution.map((c) => [c.kind ?? "claim", c.held]),
    [
      ["identity", true],
      ["identity", true],
      ["identity", true],
      ["claim", true],
      ["claim", false],
      ["claim", true],
    ],
  );
  assert.match(String(dilution[3].paper), /secondary source/);
  const row = {
    corpus: "c",
    k: 2,
    groups: 4,
    sentenceCosineMpd: 0.8,
    consecutiveMeanCosineMpd: 0.7,
    randomMeanCosineMpd: 0.75,
    randomMeanCosineMpdStandardError: 0.01,
    randomPartitions: 5,
    sentenceNegativeCosineShare: 0.02,
    contextualCosineMpd: 0.9,
    sentenceEuclideanMpd: 1,
    consecutiveMeanEuclideanMpd: 0.9,
    randomMeanEuclideanMpd: 0.9,
    consecutiveNormalizedMeanEuclideanMpd: 1,
    contextualEuclideanMpd: 1,
    sentenceSpread: 1,
    consecutiveMeanSpread: 0.5,
    cohesion: 0,
    amplification: 0.1,
  };
  const expectation = {
    configurations: 5,
    cosineExpectationViolations: 0,
    worstCosineExpectationGap: -0.01,
    worstSquaredDistanceIdentityError: 1e-16,
  };
  const evidence = {
    rows: [row],
    positiveExpectation: expectation,
    isotropicExpectation: expectation,
    worstSyntheticSpreadIncrease: 0,
  };
  const pooled = pooledMpdChecks(evidence);
  assert.deepEqual(
    pooled.map((c) => c.held),
    [true, true, true, true, true, false, true],
  );
  // 0.75 − 0.8 + 2.776 · 0.02 > 0: the expectation is not shown to be below the sentences' MPD
  assert.equal(
    pooledMpdChecks({ ...evidence, rows: [{ ...row, randomMeanCosineMpdStandardError: 0.02 }] })[3].held,
    false,
  );
  const corpus = (label: string, lower: number, overLower: number) => ({
    label,
    n: 9,
    documents: 3,
    shift: interval(0.5, lower, 0.7),
    tokens: interval(0.1, -0.2, 0.3),
    shiftOverTokens: interval(0.4, overLower, 0.6),
    shiftGivenTokens: 0.4,
  });
  const shift = semanticShiftChecks(
    [
      corpus("a", 0.1, 0.1),
      corpus("b", 0.1, -0.1),
      corpus("c", -0.1, 0.1),
      corpus("d", 0.2, -0.2),
      corpus("e", 0.3, 0.2),
    ],
    { rho: -0.9, pValue: 0.083 },
  );
  assert.deepEqual(
    shift.map((c) => c.held),
    [true, true, true],
  );
});
