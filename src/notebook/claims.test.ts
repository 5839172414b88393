import { test } from "node:test";
import assert from "node:assert/strict";
import type { SweepRow } from "../experiments/sweep";
import { lengthDoesNotPredict, mpdOrdered, overlapOrdered, shiftPredicts, summarizeByModel, sweepChecks } from "./claims";

const base: SweepRow = {
  model: "m", corpus: "c", texts: 10, plainMpd: NaN, compareK: 8, mpdRepeat: 0, mpdSequential: 0, mpdRandom: 0, overlapRepeat: 1, overlapSequential: 1,
  overlapRandom: 1, rShift: 0, rLength: 0, partialShiftGivenLengthK: 0, partialLengthGivenShiftK: 0, betaShiftK: 0, betaLengthK: 0, rSquaredK: 0,
};

test("the criteria: Shift above the threshold, length small and below Shift, orderings weak for Overlap@1 and strict for MPD", () => {
  assert.ok(shiftPredicts(0.31) && !shiftPredicts(0.3));
  assert.ok(lengthDoesNotPredict(-0.2, 0.5) && !lengthDoesNotPredict(0.2, 0.1) && !lengthDoesNotPredict(0.3, 0.9));
  assert.ok(overlapOrdered([1, 1, 0.5]) && !overlapOrdered([0.5, 1, 0.2]));
  assert.ok(mpdOrdered([0.5, 0.4, 0.3]) && !mpdOrdered([0.5, 0.5, 0.3]));
});

test("summarizeByModel: mean plain MPD per model and the Shift criterion corpus by corpus", () => {
  const rows = [
    { ...base, model: "a", corpus: "x", plainMpd: 0.2, partialShiftGivenLengthK: 0.8 },
    { ...base, model: "a", corpus: "y", plainMpd: 0.4, partialShiftGivenLengthK: 0.31 },
    { ...base, model: "b", corpus: "x", plainMpd: 0.05, partialShiftGivenLengthK: 0.9 },
    { ...base, model: "b", corpus: "y", plainMpd: 0.07, partialShiftGivenLengthK: 0.3 },
  ];
  const summary = summarizeByModel(rows);
  assert.deepEqual(summary.map((s) => [s.model, s.shiftPredicts, s.minPartialShift, s.shiftHolds]), [
    ["a", "2 of 2 corpora", 0.31, "yes"],
    ["b", "1 of 2 corpora", 0.3, "no"],
  ]);
  assert.ok(Math.abs(summary[0].plainMpd - 0.3) < 1e-12 && Math.abs(summary[1].plainMpd - 0.06) < 1e-12);
});

test("sweepChecks: encoders judged together, the static baseline apart, one line per encoder", () => {
  const rows = [
    { ...base, model: "enc", mpdRepeat: 0.5, mpdSequential: 0.4, mpdRandom: 0.3, partialShiftGivenLengthK: 0.6, partialLengthGivenShiftK: 0.1 },
    { ...base, model: "glove", partialShiftGivenLengthK: 0.1 },
  ];
  const isStatic = (m: string) => m === "glove";
  const checks = sweepChecks(rows, isStatic, summarizeByModel(rows), [{ model: "enc", meanOverCorpora: 0.5 }]);
  assert.deepEqual(checks.map((c) => c.held), [true, true, true, true, false, true]);
  assert.equal(checks[0].measured, "1 of 1 (model, corpus) pairs");
  assert.equal(checks[5].claim, "enc: Shift predicts concentration at fixed length");
});
