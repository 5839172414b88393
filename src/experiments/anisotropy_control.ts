/**
 * Is anisotropy itself what hurts retrieval? Controls at one k that could fail (notebook 04), on cells whose texts differ from
 * their queries (the repeat cell cannot show a loss: each text is nearly its query):
 * - injected: the sequential cell's texts get a common direction (their own mean direction, common_direction.ts) until their
 *   mean cosine equals the random cell's; queries are untouched, as shift leaves the single-sentence queries untouched. If
 *   anisotropy alone hurt retrieval, Overlap@1 would fall towards the random cell's.
 * - centred: the random cell's texts lose their mean (and the queries theirs): anisotropy drops to about 0. If anisotropy were
 *   the cause, Overlap@1 would rise towards the sequential cell's.
 * Differences are paired by seed (the same seeds in both cells), with seed-bootstrap intervals.
 */
import type { Matrix } from "../matrix";
import { centreRows, injectCommonDirection, meanDirection, weightForAnisotropy } from "../metrics/common_direction";
import { anisotropy64 } from "../metrics/vectors";
import { fractionWithinRank, relevantRanks } from "../metrics/retrieval";
import type { BootstrapInterval } from "../metrics/stats";
import type { CorpusConstruction, TextVectors } from "./length_vs_shift";
import { pairedMeanDifference } from "./length_vs_shift_inference";

export interface AnisotropyControlRow {
  corpus: string;
  k: number;
  condition: string;
  /** where the cell's anisotropy comes from */
  source: "natural prose" | "injected" | "shift" | "shift, centred";
  anisotropy: number;
  overlapAt1: number;
  recallAt5: number;
  /** Overlap@1 of a random ranking: 1 / pool size */
  chance: number;
}

export interface AnisotropyContrast {
  corpus: string;
  k: number;
  seeds: number;
  /** Overlap@1 sequential − sequential injected to the random cell's anisotropy (loss from anisotropy alone) */
  injectedLoss: BootstrapInterval;
  /** Overlap@1 random centred − random (gain from removing anisotropy) */
  centringGain: BootstrapInterval;
  /** Overlap@1 sequential injected − random: same anisotropy, different shift */
  shiftAtEqualAnisotropy: BootstrapInterval;
}

export interface AnisotropyControls {
  rows: AnisotropyControlRow[];
  contrasts: AnisotropyContrast[];
  notes: string[];
}

/** The controls per corpus at one k; a corpus whose cells have fewer than minTexts paired seeds is noted and skipped. */
export function anisotropyControls(
  constructions: readonly CorpusConstruction[],
  vectors: TextVectors,
  k: number,
  options: { minTexts: number; seed?: number; resamples?: number; confidence?: number },
): AnisotropyControls {
  const result: AnisotropyControls = { rows: [], contrasts: [], notes: [] };
  for (const c of constructions) {
    const cell = (mode: string) =>
      new Map(c.texts.filter((t) => t.k === k && t.mode === mode).map((t) => [t.seedId, t.text]));
    const [sequential, random] = [cell("sequential"), cell("random")];
    const seeds = [...sequential.keys()].filter((s) => random.has(s));
    if (seeds.length < Math.max(2, options.minTexts)) {
      result.notes.push(
        `${c.corpus} k=${k}: ${seeds.length} paired seeds < ${options.minTexts}, no anisotropy control`,
      );
      continue;
    }
    const queries = vectors.rows(seeds.map((s) => c.seedSentences.get(s)!));
    const measure = (condition: string, source: AnisotropyControlRow["source"], q: Matrix, texts: Matrix) => {
      const ranks = relevantRanks(q, texts);
      const row: AnisotropyControlRow = {
        corpus: c.corpus,
        k,
        condition,
        source,
        anisotropy: anisotropy64(texts),
        overlapAt1: fractionWithinRank(ranks, 1),
        recallAt5: fractionWithinRank(ranks, 5),
        chance: 1 / seeds.length,
      };
      result.rows.push(row);
      return { row, hits: ranks.map((r): number => (r === 1 ? 1 : 0)) };
    };
    const sequentialTexts = vectors.rows(seeds.map((s) => sequential.get(s)!));
    const randomTexts = vectors.rows(seeds.map((s) => random.get(s)!));
    const asIs = measure("sequential", "natural prose", queries, sequentialTexts);
    const target = Math.min(anisotropy64(randomTexts), 0.999);
    const direction = meanDirection(sequentialTexts);
    const injected = measure(
      "sequential + common direction (to random's anisotropy)",
      "injected",
      queries,
      injectCommonDirection(sequentialTexts, direction, weightForAnisotropy(sequentialTexts, direction, target)),
    );
    const shifted = measure("random", "shift", queries, randomTexts);
    // each set loses its own mean: single sentences and long texts do not share one common component
    const centred = measure("random (centred)", "shift, centred", centreRows(queries), centreRows(randomTexts));
    const interval = (a: number[], b: number[]) =>
      pairedMeanDifference(a, b, { seed: options.seed, resamples: options.resamples, confidence: options.confidence });
    result.contrasts.push({
      corpus: c.corpus,
      k,
      seeds: seeds.length,
      injectedLoss: interval(asIs.hits, injected.hits),
      centringGain: interval(centred.hits, shifted.hits),
      shiftAtEqualAnisotropy: interval(injected.hits, shifted.hits),
    });
  }
  return result;
}
