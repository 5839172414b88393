/**
 * Seeded subsets of a BEIR dataset, for the small (CI) scale of the retrieval notebooks: a sample of the judged queries, every
 * document judged for them (so no relevant document is missing and judged non-relevant ones stay as hard negatives), plus a
 * seeded sample of the other documents as distractors. The qrels keep only the sampled queries. With no limits the dataset is
 * returned whole (the full scale).
 */
import { sampleInOrder, seededRandom } from "../util/random";
import type { BeirDataset } from "./beir_dataset";

export interface SubsetOptions {
  /** queries to keep (seeded sample, in dataset order); default: every judged query with a relevant document */
  queries?: number;
  /** documents beyond the judged ones (seeded sample, in corpus order); default: all */
  distractors?: number;
  seed: number;
}

export interface SubsetReport {
  queries: number;
  judgedDocuments: number;
  distractors: number;
  /** relevant (> 0) judgments of the kept queries whose document is in the subset, out of all of them */
  relevantKept: number;
  relevantTotal: number;
}

const hasRelevant = (judged: ReadonlyMap<string, number> | undefined) =>
  judged !== undefined && [...judged.values()].some((r) => r > 0);

export function sampleBeirSubset(
  dataset: BeirDataset,
  options: SubsetOptions,
): { dataset: BeirDataset; report: SubsetReport } {
  const rng = seededRandom(options.seed);
  const candidates = dataset.queries.filter((q) => hasRelevant(dataset.qrels.get(q.id)));
  const queries =
    options.queries === undefined || options.queries >= candidates.length
      ? candidates
      : sampleInOrder(candidates, options.queries, rng);
  const qrels = new Map(queries.map((q) => [q.id, dataset.qrels.get(q.id)!]));
  const judged = new Set([...qrels.values()].flatMap((j) => [...j.keys()]));
  const others = dataset.corpus.filter((d) => !judged.has(d.id));
  const kept =
    options.distractors === undefined || options.distractors >= others.length
      ? others
      : sampleInOrder(others, options.distractors, rng);
  const keptIds = new Set([...judged, ...kept.map((d) => d.id)]);
  const corpus = dataset.corpus.filter((d) => keptIds.has(d.id));
  const relevant = [...qrels.values()].flatMap((j) => [...j].filter(([, r]) => r > 0).map(([id]) => id));
  const corpusIds = new Set(corpus.map((d) => d.id));
  return {
    dataset: { ...dataset, corpus, queries, qrels },
    report: {
      queries: queries.length,
      judgedDocuments: judged.size,
      distractors: kept.length,
      relevantKept: relevant.filter((id) => corpusIds.has(id)).length,
      relevantTotal: relevant.length,
    },
  };
}
