import { test } from "node:test";
import assert from "node:assert/strict";
import type { SweepRow } from "../experiments/sweep";
import { ANISOTROPY_OVERLAP_MARGIN, MIN_TEXTS_PER_CELL, PAPER_TOLERANCE, REPEAT_MPD_MARGIN } from "./claims";
import {
  lengthAloneWithinMargin,
  lengthEquivalentToNone,
  positive,
  shiftPredictsBetweenCells,
  summarizeByModel,
  sweepChecks,
} from "./length_vs_shift_claims";

const base: SweepRow = {
  model: "m",
  corpus: "c",
  texts: 100,
  plainMpd: NaN,
  compareK: 8,
  mpdRepeat: 0.5,
  mpdSequential: 0.4,
  mpdRandom: 0.3,
  overlapRepeat: 1,
  overlapSequential: 0.8,
  overlapRandom: 0.6,
  chance: 1 / 32,
  minCellTexts: 32,
  rShift: 0,
  rLength: 0,
  shiftCellP: 0.01,
  lengthWithin: 0,
  lengthWithinLower: -0.1,
  lengthWithinUpper: 0.1,
  shiftWithin: 0,
  shiftWithinLower: -0.1,
  mpdRepeatMinusSequentialLower: 0.05,
  mpdSequentialMinusRandomLower: 0.05,
  overlapRepeatMinusSequentialLower: 0.05,
  overlapSequentialMinusRandomLower: 0.01,
  note: "",
};

test("the margins derive from the paper's numbers and the tolerance", () => {
  assert.equal(MIN_TEXTS_PER_CELL, 10);
  assert.ok(Math.abs(REPEAT_MPD_MARGIN - 0.05) < 1e-12);
  assert.ok(Math.abs(ANISOTROPY_OVERLAP_MARGIN - 0.075) < 1e-12);
  assert.ok(1 / MIN_TEXTS_PER_CELL <= PAPER_TOLERANCE);
});

test("the criteria: p below α, intervals inside margins or above 0", () => {
  const p = (pValue: number) => ({
    statistic: 1,
    pValue,
    smallestPossiblePValue: 0.005,
    strata: 3,
    units: 9,
    exact: true,
  });
  assert.ok(
    shiftPredictsBetweenCells(p(0.01)) && !shiftPredictsBetweenCells(p(0.05)) && !shiftPredictsBetweenCells(undefined),
  );
  assert.ok(
    lengthEquivalentToNone({ estimate: 0, lower: -0.29, upper: 0.29 }) &&
      !lengthEquivalentToNone({ estimate: 0, lower: -0.31, upper: 0.1 }),
  );
  assert.ok(positive({ estimate: 0.2, lower: 0.01, upper: 0.3 }) && !positive({ estimate: 0.2, lower: 0, upper: 0.3 }));
  assert.ok(
    lengthAloneWithinMargin({ estimate: 0, lower: -0.04, upper: 0.1 }) &&
      !lengthAloneWithinMargin({ estimate: 0, lower: -0.06, upper: 0.1 }),
  );
});

test("sweepChecks: encoders judged together, the static baseline apart, small cells excluded, paper values labelled", () => {
  const rows = [base, { ...base, model: "glove", shiftCellP: 0.2 }];
  const isStatic = (m: string) => m === "glove";
  const checks = sweepChecks(rows, isStatic, summarizeByModel(rows), [{ model: "m", meanOverCorpora: 0.5 }]);
  assert.deepEqual(
    checks.map((c) => c.held),
    [true, true, true, true, false, true],
  );
  assert.match(String(checks[3].paper), /secondary source/);
  const small = sweepChecks(
    [{ ...base, minCellTexts: MIN_TEXTS_PER_CELL - 1 }],
    isStatic,
    summarizeByModel([base]),
    [],
  );
  assert.equal(small[2].held, false);
  assert.equal(small[3].held, false);
  assert.deepEqual(
    summarizeByModel([base, { ...base, corpus: "d", shiftCellP: 0.3 }]).map((s) => [
      s.shiftPredicts,
      s.maxP,
      s.shiftHolds,
    ]),
    [["1 of 2 corpora", 0.3, "no"]],
  );
});
