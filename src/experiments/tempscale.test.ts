import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { projectRoot } from "../assets/paths";
import { loadModel } from "../embedding/load_model";
import { matrixFromRows } from "../matrix";
import { meanPairwiseCosineDistance } from "../metrics/geometry";
import type { BeirDataset } from "../retrieval/beir_dataset";
import { seededRandom } from "../util/random";
import { tempScaleChecks } from "../notebook/tempscale_claims";
import {
  measureTempScale,
  splitAtMedians,
  stratifiedResample,
  tempScaleEffects,
  tempScaleRows,
  type TempScaleMeasurement,
} from "./tempscale";

/** 8 documents (d0 … d7) and 8 queries, query q_i judging document d_i relevant */
function dataset(): BeirDataset {
  const corpus = Array.from({ length: 8 }, (_, i) => ({
    id: `d${i}`,
    title: "",
    text: `Document ${i} about topic ${i}. It has words.`,
  }));
  const queries = Array.from({ length: 8 }, (_, i) => ({ id: `q${i}`, text: `topic ${i}` }));
  const qrels = new Map(queries.map((q, i) => [q.id, new Map([[`d${i}`, 1]])]));
  return { name: "toy", dir: "", split: "test", corpus, queries, qrels };
}
// lengths and shifts chosen so that the 2 × 2 cells each hold two documents
const TOKENS = [10, 10, 30, 30, 10, 10, 30, 30];
const SHIFTS = [0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9];

test("median splits: a value equal to the median goes low; a query takes its relevant documents' cell", () => {
  const profile = splitAtMedians(dataset(), TOKENS, SHIFTS, new Array(8).fill(2));
  assert.equal(profile.medianTokens, 20);
  assert.deepEqual(
    profile.documents.map((d) => d.long),
    [false, false, true, true, false, false, true, true],
  );
  assert.deepEqual(
    profile.queries.map((q) => q.highShift),
    [false, false, false, false, true, true, true, true],
  );
  const ties = splitAtMedians(dataset(), [1, 2, 3, 4, 5, 6, 7, 7], SHIFTS, new Array(8).fill(2));
  assert.deepEqual(
    ties.documents.map((d) => d.long),
    [false, false, false, false, true, true, true, true],
  ); // median 4.5
});

test("stratified resample keeps every stratum's size and draws only its own items", () => {
  const draw = stratifiedResample([[0, 1, 2], [3], [4, 5]]);
  const sample = draw([0, 1, 2, 3, 4, 5], seededRandom(1));
  assert.equal(sample.length, 6);
  assert.ok(sample.slice(0, 3).every((i) => i <= 2) && sample[3] === 3 && sample.slice(4).every((i) => i >= 4));
});

/** nDCG@10 per query: τ = 1 all 0.5; τ = 0.8 adds `gain(q)`; τ = 0.5 is worse everywhere */
function synthetic(gain: (q: number) => number): TempScaleMeasurement {
  const vectors = matrixFromRows(Array.from({ length: 8 }, (_, i) => [1, i % 2, i / 8]));
  return {
    temperatures: [1, 0.8, 0.5],
    ndcg: [new Array(8).fill(0.5), Array.from({ length: 8 }, (_, q) => 0.5 + gain(q)), new Array(8).fill(0.1)],
    documentVectors: [vectors, vectors, vectors],
  };
}

test("effects: a gain only on high-shift queries is a shift effect, not a length effect; τ* is the best τ < 1", () => {
  const profile = splitAtMedians(dataset(), TOKENS, SHIFTS, new Array(8).fill(2));
  const effects = tempScaleEffects(
    synthetic((q) => (SHIFTS[q] > 0.5 ? 0.2 : 0)),
    profile,
    { seed: 3, resamples: 200 },
  );
  assert.equal(effects.bestTemperature, 0.8);
  assert.deepEqual(effects.cellSizes, { "long|high": 2, "long|low": 2, "short|high": 2, "short|low": 2 });
  assert.ok(
    Math.abs(effects.shiftEffect.estimate - 0.2) < 1e-12 && Math.abs(effects.shiftEffect.lower - 0.2) < 1e-12,
    "constant gains: a zero-width interval",
  );
  assert.ok(Math.abs(effects.lengthEffect.estimate) < 1e-12);
  assert.ok(Math.abs(effects.overallGain.estimate - 0.1) < 1e-12);
  assert.equal(effects.mpdLengthEffect.estimate, 0, "the same vectors at both τ: no MPD change");
  // a gain on long queries only: the length effect, by hand ½[(0.3 − 0) + (0.3 − 0)] = 0.3
  const byLength = tempScaleEffects(
    synthetic((q) => (TOKENS[q] > 20 ? 0.3 : 0)),
    profile,
    { seed: 3, resamples: 200 },
  );
  assert.ok(Math.abs(byLength.lengthEffect.estimate - 0.3) < 1e-12 && Math.abs(byLength.shiftEffect.estimate) < 1e-12);
  const checks = tempScaleChecks({
    effects: byLength,
    unitTemperatureMaxDiff: 0,
    subset: { queries: 8, judgedDocuments: 8, distractors: 0, relevantKept: 8, relevantTotal: 8 },
  });
  // cells of 2 queries are below MIN_QUERIES_PER_CELL: the claims cannot hold, the identities do
  assert.deepEqual(
    checks.map((c) => c.held),
    [true, true, false, false, false],
  );
});

test("rows: MPD of each group is the MPD of its documents' vectors; nDCG@10 the mean of its queries'", () => {
  const profile = splitAtMedians(dataset(), TOKENS, SHIFTS, new Array(8).fill(2));
  const m = synthetic((q) => q / 100);
  const rows = tempScaleRows(m, profile);
  assert.equal(rows.length, 3 * 5);
  const longAt08 = rows.find((r) => r.tau === 0.8 && r.group === "long")!;
  assert.equal(longAt08.documents, 4);
  assert.ok(Math.abs(longAt08.ndcg_at_10 - (0.5 + (2 + 3 + 6 + 7) / 400)) < 1e-12);
  const longVectors = matrixFromRows([2, 3, 6, 7].map((i) => [1, i % 2, i / 8]));
  assert.ok(Math.abs(longAt08.mpd - meanPairwiseCosineDistance(longVectors)) < 1e-6);
});

test("measureTempScale on a tiny checkpoint: τ = 1 first, and each τ's nDCG@10 lies in [0, 1]", async () => {
  process.env.SHIFTLAB_NO_CACHE = "1";
  const model = await loadModel(path.join(projectRoot(), "src", "encoders", "testdata", "bert"));
  try {
    const data = dataset();
    const profile = splitAtMedians(data, TOKENS, SHIFTS, new Array(8).fill(2));
    await assert.rejects(measureTempScale(model, data, profile, [0.5, 1]), /first temperature must be 1/);
    const m = await measureTempScale(model, data, profile, [1, 0.5]);
    assert.equal(m.ndcg.length, 2);
    assert.ok(m.ndcg.flat().every((v) => v >= 0 && v <= 1));
    assert.notDeepEqual(m.documentVectors[0].data, m.documentVectors[1].data);
  } finally {
    model.dispose();
    delete process.env.SHIFTLAB_NO_CACHE;
  }
});
