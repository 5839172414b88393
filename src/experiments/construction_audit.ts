/**
 * Leakage audit of a controlled construction (construct.ts): does a seed's query sentence occur in a constructed text that is not
 * its own? Such a text is a second near-copy of the query in the retrieval pool, which lowers Overlap@1 of the sequential and
 * random cells but never of the repeat cell, and so pushes the measured ordering towards the paper's. "Occurs" means: equals one
 * of the text's sentences (after matching; sentences are compared as strings, so a duplicate sentence elsewhere counts too).
 * Also the one-line-per-k summary of what a construction built and skipped.
 */
import type { ConstructedText, ConstructionMode, ConstructionReport } from "./construct";

export interface LeakageAudit {
  k: number;
  seeds: number;
  /** pairs of seeds whose sequential texts share a sentence */
  overlappingSequentialPairs: number;
  /** queries that are a sentence of another seed's sequential text at this k */
  queriesInOtherSequential: number;
  /** random texts holding another seed's query sentence */
  randomWithOtherQueries: number;
  /** queries that are a sentence of any other seed's text (any mode, any k of the construction) */
  queriesInOtherTexts: number;
}

/** One audit per k; `seedSentences` maps seedId → query sentence (CorpusConstruction.seedSentences). */
export function auditLeakage(
  texts: readonly ConstructedText[],
  seedSentences: ReadonlyMap<string, string>,
): LeakageAudit[] {
  // sentence → the seeds whose texts hold it (any mode, any k)
  const owners = new Map<string, Set<string>>();
  for (const t of texts) for (const s of t.sentences) (owners.get(s) ?? owners.set(s, new Set()).get(s)!).add(t.seedId);
  const ks = [...new Set(texts.map((t) => t.k))].sort((a, b) => a - b);
  return ks.map((k) => {
    const of = (mode: ConstructionMode) => texts.filter((t) => t.k === k && t.mode === mode);
    const sequential = of("sequential");
    const seeds = [...new Set(texts.filter((t) => t.k === k).map((t) => t.seedId))];
    const query = (seedId: string) => seedSentences.get(seedId)!;
    let pairs = 0;
    const sets = sequential.map((t) => new Set(t.sentences));
    for (let a = 0; a < sequential.length; a++) {
      for (let b = a + 1; b < sequential.length; b++) if (sequential[b].sentences.some((s) => sets[a].has(s))) pairs++;
    }
    const inOther = (seedId: string, pool: readonly ConstructedText[]) =>
      pool.some((t) => t.seedId !== seedId && t.sentences.includes(query(seedId)));
    return {
      k,
      seeds: seeds.length,
      overlappingSequentialPairs: pairs,
      queriesInOtherSequential: seeds.filter((id) => inOther(id, sequential)).length,
      randomWithOtherQueries: of("random").filter((t) =>
        t.sentences.some((s) => s !== query(t.seedId) && seeds.some((id) => id !== t.seedId && query(id) === s)),
      ).length,
      queriesInOtherTexts: seeds.filter((id) => [...(owners.get(query(id)) ?? [])].some((o) => o !== id)).length,
    };
  });
}

/**
 * Is the construction free of leaks: no query sentence in any text but its own seed's? (Sequential windows are disjoint by
 * position; overlappingSequentialPairs may still count a pair when a sentence cut short by matching equals another text's sentence.)
 */
export const leakFree = (audits: readonly LeakageAudit[]) => audits.every((a) => a.queriesInOtherTexts === 0);

/** One line per k, for notebooks: built/wanted, skips by reason, residual. */
export function describeConstruction(reports: ConstructionReport[]): string {
  return reports
    .map((r) => {
      const skips = Object.entries(r.skipped)
        .filter(([, n]) => n > 0)
        .map(([why, n]) => `${why} ${n}`)
        .join(", ");
      const residual =
        r.built > 0 ? `residual max ${r.residualMax}, mean ${r.residualMean.toFixed(2)} word pieces` : "";
      return `k=${r.k}: ${r.built}/${r.wanted} seeds${skips ? ` (skipped: ${skips})` : ""}${residual ? `; ${residual}` : ""}${r.note ? `; ${r.note}` : ""}`;
    })
    .join("\n");
}
