/**
 * Ranking metrics with trec_eval's conventions, as BEIR reports them through pytrec_eval:
 *   nDCG@10    Σ_{i ≤ 10} gain_i / log2(i + 1) over the ranked list, divided by the same sum for the ideal list, which is every
 *              judged document of the query sorted by relevance (trec_eval's ndcg_cut.10). gain = the relevance level;
 *              levels ≤ 0 and unjudged documents gain 0.
 *   Recall@k   relevant documents in the top k / all relevant documents of the query (recall.10, recall.100).
 *   MRR@10     1 / the rank of the first relevant document within the top 10, else 0 (BEIR's mrr@10).
 *   MAP@100    Σ over relevant documents at rank i ≤ 100 of precision@i, divided by all relevant documents (map_cut.100).
 * "Relevant" means relevance > 0 (trec_eval's default relevance level 1).
 *
 * Order within a query: trec_eval ignores the run's rank column and sorts by score descending, then document id DESCENDING
 * (strcmp(b, a) in its comp_sim_docno; pytrec_eval uses the same code). We do the same, comparing ids in JavaScript string
 * order, which equals strcmp for ASCII ids.
 *
 * Which queries count: those in the run whose qrels hold at least one relevant document. Judged queries with no relevant
 * document (all levels ≤ 0) are skipped, since none of these metrics is defined for them; judged queries missing from the
 * run are skipped as trec_eval does without -c, and run queries without judgments are ignored, as pytrec_eval does. Each
 * group is counted in the result, so nothing is dropped unseen.
 */
import type { Hit } from "./ranking";
import type { Qrels, Run } from "./trec_files";

export interface QueryMetrics {
  ndcg_at_10: number;
  recall_at_10: number;
  recall_at_100: number;
  mrr_at_10: number;
  map_at_100: number;
}

export interface RunMetrics extends QueryMetrics {
  /** queries averaged over */
  queries: number;
  /** judged queries without any relevant document (skipped) */
  skipped_no_relevant: number;
  /** judged queries with relevant documents that the run does not contain (skipped) */
  skipped_not_in_run: number;
  /** run queries without judgments (ignored) */
  ignored_unjudged: number;
}

export const METRIC_NAMES = ["ndcg_at_10", "recall_at_10", "recall_at_100", "mrr_at_10", "map_at_100"] as const;

/** trec_eval's order: score descending, then document id descending. */
export function trecEvalOrder(hits: readonly Hit[]): Hit[] {
  return hits.slice().sort((a, b) => {
    if (a.score !== b.score) return b.score > a.score ? 1 : -1;
    return a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0;
  });
}

/** The metrics of one query; undefined when its judgments hold no relevant document. */
export function evaluateQuery(judged: ReadonlyMap<string, number>, hits: readonly Hit[]): QueryMetrics | undefined {
  const relevantCount = [...judged.values()].filter((r) => r > 0).length;
  if (relevantCount === 0) return undefined;
  const ranked = trecEvalOrder(hits);
  const relevanceAt = (i: number) => judged.get(ranked[i].docId) ?? 0;

  let dcg = 0;
  for (let i = 0; i < Math.min(10, ranked.length); i++) dcg += Math.max(relevanceAt(i), 0) / Math.log2(i + 2);
  const ideal = [...judged.values()].filter((r) => r > 0).sort((a, b) => b - a);
  let idealDcg = 0;
  for (let i = 0; i < Math.min(10, ideal.length); i++) idealDcg += ideal[i] / Math.log2(i + 2);

  let found10 = 0;
  let found100 = 0;
  let firstRelevantRank = 0;
  let precisionSum = 0;
  for (let i = 0; i < Math.min(100, ranked.length); i++) {
    if (relevanceAt(i) <= 0) continue;
    found100++;
    precisionSum += found100 / (i + 1);
    if (i < 10) {
      found10++;
      if (firstRelevantRank === 0) firstRelevantRank = i + 1;
    }
  }
  return {
    ndcg_at_10: dcg / idealDcg,
    recall_at_10: found10 / relevantCount,
    recall_at_100: found100 / relevantCount,
    mrr_at_10: firstRelevantRank > 0 ? 1 / firstRelevantRank : 0,
    map_at_100: precisionSum / relevantCount,
  };
}

/** Mean metrics over the queries that count (see the file comment), with the counts of those that do not. */
export function evaluateRun(qrels: Qrels, run: Run): RunMetrics {
  const sums: QueryMetrics = { ndcg_at_10: 0, recall_at_10: 0, recall_at_100: 0, mrr_at_10: 0, map_at_100: 0 };
  let queries = 0;
  let skippedNoRelevant = 0;
  let skippedNotInRun = 0;
  for (const [queryId, judged] of qrels) {
    const hits = run.get(queryId);
    const metrics = evaluateQuery(judged, hits ?? []);
    if (metrics === undefined) {
      skippedNoRelevant++;
      continue;
    }
    if (hits === undefined) {
      skippedNotInRun++;
      continue;
    }
    queries++;
    for (const name of METRIC_NAMES) sums[name] += metrics[name];
  }
  const ignoredUnjudged = [...run.keys()].filter((q) => !qrels.has(q)).length;
  const mean = (name: (typeof METRIC_NAMES)[number]) => (queries > 0 ? sums[name] / queries : NaN);
  return {
    ndcg_at_10: mean("ndcg_at_10"),
    recall_at_10: mean("recall_at_10"),
    recall_at_100: mean("recall_at_100"),
    mrr_at_10: mean("mrr_at_10"),
    map_at_100: mean("map_at_100"),
    queries,
    skipped_no_relevant: skippedNoRelevant,
    skipped_not_in_run: skippedNotInRun,
    ignored_unjudged: ignoredUnjudged,
  };
}

/** Per-query metrics for the queries that count (see the file comment), in qrels order: the unit a bootstrap resamples. */
export function perQueryMetrics(qrels: Qrels, run: Run): (QueryMetrics & { queryId: string })[] {
  const rows: (QueryMetrics & { queryId: string })[] = [];
  for (const [queryId, judged] of qrels) {
    const hits = run.get(queryId);
    const metrics = hits === undefined ? undefined : evaluateQuery(judged, hits);
    if (metrics !== undefined) rows.push({ queryId, ...metrics });
  }
  return rows;
}
