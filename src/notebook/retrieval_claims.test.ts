import { test } from "node:test";
import assert from "node:assert/strict";
import type { SourceMeasurement, SourceSlope } from "../experiments/retrieval_anisotropy";
import { RETRIEVAL_HARM_MARGIN, retrievalAnisotropyChecks } from "./retrieval_claims";

const interval = (estimate: number, lower: number, upper: number) => ({
  estimate,
  lower,
  upper,
  confidence: 0.95,
  standardError: 0,
  resamples: 100,
});
const slope = (
  source: SourceSlope["source"],
  s: [number, number, number],
  change: [number, number, number],
  mpdTop = 0.3,
): SourceSlope => ({
  source,
  metric: "ndcg_at_10",
  slope: interval(...s),
  change: interval(...change),
  mpdBase: 0.4,
  mpdTop,
});
const measurement: SourceMeasurement = {
  levels: [],
  centring: [{ injectedLabel: "x", largestDifference: 0 }],
  matchingErrors: [1e-6],
};
const subsets = [
  { name: "toy", report: { queries: 1, judgedDocuments: 1, distractors: 0, relevantKept: 1, relevantTotal: 1 } },
];
const claimOf = (slopes: SourceSlope[]) =>
  retrievalAnisotropyChecks({ slopes, measurement, subsets }).find((c) => c.kind !== "identity")!;

test("retrieval claim: holds only when shift harms and neither other source does (non-inferiority at the margin)", () => {
  const shift = slope("semantic shift", [2, 1, 3], [-0.2, -0.3, -0.1]);
  const fine = (source: SourceSlope["source"]) => slope(source, [0, -1, 1], [0, -RETRIEVAL_HARM_MARGIN / 2, 0.01]);
  assert.equal(claimOf([shift, fine("coherent length"), fine("common direction")]).held, true);
  // (c) hurts beyond the margin
  assert.equal(
    claimOf([shift, fine("coherent length"), slope("common direction", [1, 0.5, 2], [-0.05, -0.08, -0.02])]).held,
    false,
  );
  // shift's slope interval includes 0
  assert.equal(
    claimOf([
      slope("semantic shift", [1, -1, 3], [-0.1, -0.2, 0.01]),
      fine("coherent length"),
      fine("common direction"),
    ]).held,
    false,
  );
  // (b) did not lower MPD enough: no anisotropy was induced, so it cannot support the claim
  assert.equal(
    claimOf([shift, slope("coherent length", [0, -1, 1], [0, -0.005, 0.005], 0.399), fine("common direction")]).held,
    false,
  );
  assert.equal(
    retrievalAnisotropyChecks({
      slopes: [shift, fine("coherent length"), fine("common direction")],
      measurement,
      subsets,
    })
      .filter((c) => c.kind === "identity")
      .every((c) => c.held),
    true,
  );
});
