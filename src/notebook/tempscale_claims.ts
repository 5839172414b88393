/**
 * The claim checks of notebook 08 (TempScale's attention temperature vs length and shift), with their thresholds as named
 * constants fixed before any number is seen. Intervals are 95% percentile bootstraps: over queries (resampled within their
 * length × shift cell) for nDCG@10, over documents (within their length group) for MPD. Identities (kind "identity") hold by
 * construction; a failure there is a bug, not evidence. Nothing is measured here.
 */
import type { TempScaleEffects } from "../experiments/tempscale";
import type { BootstrapInterval } from "../metrics/stats";
import type { SubsetReport } from "../retrieval/subset";
import type { ClaimCheck } from "./verdict";

/** An effect "is larger" when its 95% CI lies above this (a difference of nDCG@10 gains, or of MPD changes). */
export const TEMPSCALE_EFFECT_FLOOR = 0;
/** A 2 × 2 cell with fewer queries than this leaves the claims untestable here (they are then reported as not held). */
export const MIN_QUERIES_PER_CELL = 5;
/** τ = 1 must reproduce the default embeddings exactly (the multiply is skipped): largest |difference| allowed. */
export const UNIT_TEMPERATURE_TOLERANCE = 0;

const fmt = (x: number, d = 4) => x.toFixed(d);
const ci = (i: BootstrapInterval) => `${fmt(i.estimate)} [${fmt(i.lower)}, ${fmt(i.upper)}]`;

export function tempScaleChecks(input: {
  effects: TempScaleEffects;
  unitTemperatureMaxDiff: number;
  subset: SubsetReport;
}): ClaimCheck[] {
  const { effects, subset } = input;
  const smallest = Math.min(...Object.values(effects.cellSizes));
  const testable = smallest >= MIN_QUERIES_PER_CELL;
  const untestable = testable ? "" : ` (untestable: a cell has ${smallest} < ${MIN_QUERIES_PER_CELL} queries)`;
  const larger = (i: BootstrapInterval) => testable && i.lower > TEMPSCALE_EFFECT_FLOOR;
  const tau = `τ* = ${effects.bestTemperature}`;
  return [
    {
      claim: "τ = 1 reproduces the default embeddings (the temperature multiply is skipped)",
      measured: `max |diff| ${input.unitTemperatureMaxDiff}`,
      criterion: `max |diff| ≤ ${UNIT_TEMPERATURE_TOLERANCE}`,
      held: input.unitTemperatureMaxDiff <= UNIT_TEMPERATURE_TOLERANCE,
      kind: "identity",
    },
    {
      claim: "every relevant document of the sampled queries is in the subset",
      measured: `${subset.relevantKept} of ${subset.relevantTotal}`,
      criterion: "all kept",
      held: subset.relevantKept === subset.relevantTotal,
      kind: "identity",
    },
    {
      claim: `Zhou et al.'s story: TempScale's nDCG@10 gain (${tau} vs 1) is larger for long than for short documents at equal shift`,
      measured: ci(effects.lengthEffect) + untestable,
      criterion: `95% query-bootstrap CI of ½Σ_shift (gain_long − gain_short) above ${TEMPSCALE_EFFECT_FLOOR}`,
      held: larger(effects.lengthEffect),
    },
    {
      claim: `the paper's story: TempScale's nDCG@10 gain (${tau} vs 1) is larger for high- than for low-shift documents at equal length`,
      measured: ci(effects.shiftEffect) + untestable,
      criterion: `95% query-bootstrap CI of ½Σ_length (gain_high − gain_low) above ${TEMPSCALE_EFFECT_FLOOR}`,
      held: larger(effects.shiftEffect),
    },
    {
      claim: `Zhou et al.'s mechanism: ${tau} raises the MPD of long documents more than that of short documents`,
      measured: ci(effects.mpdLengthEffect),
      criterion: `95% document-bootstrap CI of ΔMPD_long − ΔMPD_short above ${TEMPSCALE_EFFECT_FLOOR}`,
      held: effects.mpdLengthEffect.lower > TEMPSCALE_EFFECT_FLOOR,
    },
  ];
}
