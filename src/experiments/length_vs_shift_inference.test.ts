import { test } from "node:test";
import assert from "node:assert/strict";
import { gaussian, seededRandom } from "../util/random";
import { ALPHA, LENGTH_MAX_ABS_PARTIAL_R, MIN_TEXTS_PER_CELL } from "../notebook/claims";
import { lengthEquivalentToNone, shiftPredictsBetweenCells } from "../notebook/length_vs_shift_claims";
import { regressConcentration, type TextMeasurement } from "./length_vs_shift";
import { cellLevelShiftTest, withinCellAssociations } from "./length_vs_shift_inference";
import { sweepRow } from "./sweep";

/**
 * Texts laid out as notebook 04 builds them (32 seeds; k = 1, 2, 4, 8; three modes; Shift set by mode and k, length by seed and
 * k). Concentration = cellEffect + (shiftEffect · Shift) + (lengthEffect · z(length)) + text noise, where each cell's effect is
 * drawn independently of its Shift: the null of the issue when shiftEffect = 0.
 */
function simulate(seed: number, effects: { shift?: number; length?: number; cellSd?: number } = {}): TextMeasurement[] {
  const rng = seededRandom(seed);
  const texts: TextMeasurement[] = [];
  const seedLength = Array.from({ length: 32 }, () => 20 + 5 * gaussian(rng));
  for (const k of [1, 2, 4, 8]) {
    for (const mode of ["repeat", "sequential", "random"] as const) {
      const cellEffect = (effects.cellSd ?? 1) * gaussian(rng);
      for (let s = 0; s < 32; s++) {
        const tokens = k * seedLength[s] + gaussian(rng);
        const shift =
          mode === "repeat" || k === 1 ? 0 : (k - 1) * (mode === "random" ? 0.3 : 0.15) * (1 + 0.3 * gaussian(rng));
        const concentration =
          cellEffect +
          (effects.shift ?? 0) * shift +
          (effects.length ?? 0) * ((tokens / k - 20) / 5) +
          0.3 * gaussian(rng);
        texts.push({
          corpus: "sim",
          mode,
          k,
          seedId: `s${s}`,
          tokens,
          shift,
          local: 0,
          dispersion: 0,
          concentration,
          rank: 1,
        });
      }
    }
  }
  return texts;
}

const options = { minTexts: MIN_TEXTS_PER_CELL, seed: 1, resamples: 200 };

test("between-cell Shift test: false positives near α under the null, where the old t > 2 rule fires most of the time", () => {
  const trials = 300;
  let newRule = 0;
  let oldRule = 0;
  for (let trial = 0; trial < trials; trial++) {
    const texts = simulate(1000 + trial);
    if (shiftPredictsBetweenCells(cellLevelShiftTest(texts, options))) newRule++;
    const old = regressConcentration(texts, "k");
    if (old.shift.t > 2 && old.partialShiftGivenLength > 0.3) oldRule++;
  }
  const rate = newRule / trials;
  console.log(
    `null: new rule ${rate.toFixed(3)} (α = ${ALPHA}), old rule (t > 2, partial r > 0.3) ${(oldRule / trials).toFixed(3)}`,
  );
  assert.ok(rate <= 0.1, `false-positive rate ${rate}`);
  assert.ok(oldRule / trials > 2 * rate, "the simulation should reproduce the old rule's inflation");
});

test("between-cell Shift test: a planted Shift effect is detected", () => {
  const trials = 100;
  let hits = 0;
  for (let trial = 0; trial < trials; trial++)
    if (shiftPredictsBetweenCells(cellLevelShiftTest(simulate(5000 + trial, { shift: 8 }), options))) hits++;
  console.log(`planted Shift effect: power ${(hits / trials).toFixed(3)}`);
  assert.ok(hits / trials >= 0.8, `power ${hits / trials}`);
});

test("within-cell length claim: holds with no length effect, fails with a planted one", () => {
  let heldNull = 0;
  let heldPlanted = 0;
  const trials = 20;
  for (let trial = 0; trial < trials; trial++) {
    if (lengthEquivalentToNone(withinCellAssociations(simulate(9000 + trial), options).lengthGivenShift)) heldNull++;
    if (
      lengthEquivalentToNone(withinCellAssociations(simulate(9000 + trial, { length: 0.3 }), options).lengthGivenShift)
    )
      heldPlanted++;
  }
  console.log(
    `length claim held: ${heldNull}/${trials} without a length effect, ${heldPlanted}/${trials} with one (margin ${LENGTH_MAX_ABS_PARTIAL_R})`,
  );
  assert.ok(heldNull >= 0.8 * trials);
  assert.ok(heldPlanted <= 0.1 * trials);
});

test("degenerate input: a corpus with only k = 1 texts (Shift constant) gives notes and NaN, never an error", () => {
  const texts = simulate(3).filter((t) => t.k === 1);
  const regression = regressConcentration(texts, "k");
  assert.ok(Number.isNaN(regression.shift.t) && /no fit/.test(regression.note ?? ""));
  const test = cellLevelShiftTest(texts, options);
  assert.ok(Number.isNaN(test.pValue));
  assert.match(withinCellAssociations(texts, options).note ?? "", /no estimate/);
  const row = sweepRow("m", "sim", [], texts, NaN, 8, options);
  assert.ok(Number.isNaN(row.shiftCellP) && Number.isNaN(row.compareK));
  assert.match(row.note, /no fit/);
  // a cell below the minimum is named and excluded
  const small = simulate(4).filter((t) => !(t.k === 8 && t.mode === "random" && Number(t.seedId.slice(1)) >= 5));
  const cells = [
    {
      corpus: "sim",
      mode: "random" as const,
      k: 8,
      texts: 5,
      meanTokens: 0,
      mpd: 0,
      anisotropy: 0,
      meanShift: 0,
      meanConcentration: 0,
      overlapAt1: 1,
      recallAt5: 1,
      meanReciprocalRank: 1,
    },
  ];
  assert.match(sweepRow("m", "sim", cells, small, NaN, 8, options).note, /5 texts < 10, excluded/);
  assert.equal(cellLevelShiftTest(small, options).units, 8);
});
