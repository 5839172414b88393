/**
 * The claim checks of notebooks 06 (retrieval and the sources of anisotropy) and 07 (pooling × layer × post-processing), with
 * their thresholds as named constants. Intervals are 95% percentile bootstraps over queries (the independent unit); a claim
 * holds when its criterion, fixed here before any number is seen, is met. Identities (kind "identity") hold by construction;
 * a failure there is a bug, not evidence. Nothing is measured here.
 */
import type { AblationRow, IsotropyAssociation } from "../experiments/pooling_ablation";
import type { SourceMeasurement, SourceSlope } from "../experiments/retrieval_anisotropy";
import type { BootstrapInterval } from "../metrics/stats";
import type { SubsetReport } from "../retrieval/subset";
import type { ClaimCheck } from "./verdict";

/** BEIR paper (Thakur et al. 2021), BM25 nDCG@10 on SciFact, Elasticsearch: a secondary source (quoted in the issue). */
export const BEIR_BM25_SCIFACT_NDCG10 = 0.665;
/** Anserini's BM25 (flat) on SciFact, ≈ 0.68 nDCG@10: a secondary source (quoted in the issue). */
export const ANSERINI_BM25_SCIFACT_NDCG10 = 0.68;
/** Our BM25 on the WHOLE SciFact corpus reproduces BEIR's value within this much nDCG@10. */
export const BM25_REPRODUCTION_TOLERANCE = 0.03;
/** "Not harmful": the paired nDCG@10 change base → top level has its CI lower bound above −margin (non-inferiority). */
export const RETRIEVAL_HARM_MARGIN = 0.02;
/** A source "induced anisotropy" only if the collection's MPD fell by at least this much from base to its top level. */
export const MIN_MPD_DROP = 0.01;
/** Matched MPD: the common-direction collection's MPD is within this of its semantic-shift target. */
export const MPD_MATCH_TOLERANCE = 1e-4;
/** Centring the documents removes an injected common direction exactly: per-query nDCG@10 equal within float rounding. */
export const CENTRING_IDENTITY_TOLERANCE = 1e-6;
/** "More isotropy is better": Spearman ρ of IsoScore with nDCG@10 over every setting at least this. */
export const ISOTROPY_RHO_THRESHOLD = 0.3;
/** Parity of the one-pass layer pooling with model.embed (mean, last layer): smallest cosine at least this. */
export const LAYER_POOLING_PARITY_COSINE = 0.99999;

const fmt = (x: number, d = 3) => x.toFixed(d);
const ci = (i: BootstrapInterval, d = 3) => `${fmt(i.estimate, d)} [${fmt(i.lower, d)}, ${fmt(i.upper, d)}]`;

/** Notebook 06's one claim, in its falsifiable form (see the notebook), and the numerical checks of its construction. */
export function retrievalAnisotropyChecks(input: {
  slopes: readonly SourceSlope[];
  measurement: SourceMeasurement;
  subsets: readonly { name: string; report: SubsetReport }[];
  bm25FullScifact?: number;
}): ClaimCheck[] {
  const of = (source: string) => input.slopes.find((s) => s.source === source && s.metric === "ndcg_at_10")!;
  const shift = of("semantic shift");
  const coherent = of("coherent length");
  const direction = of("common direction");
  const harmful = shift.slope.lower > 0 && shift.mpdBase - shift.mpdTop >= MIN_MPD_DROP;
  const harmless = (s: SourceSlope) => s.mpdBase - s.mpdTop >= MIN_MPD_DROP && s.change.lower > -RETRIEVAL_HARM_MARGIN;
  const part = (name: string, s: SourceSlope) =>
    `${name}: MPD ${fmt(s.mpdBase)} → ${fmt(s.mpdTop)}, slope ${ci(s.slope, 2)}, change ${ci(s.change)}`;
  const checks: ClaimCheck[] = [
    ...input.subsets.map(({ name, report }) => ({
      claim: `${name} subset keeps every relevant document of its ${report.queries} queries`,
      measured: `${report.relevantKept} of ${report.relevantTotal}`,
      criterion: "all kept",
      held: report.relevantKept === report.relevantTotal,
      kind: "identity" as const,
    })),
    {
      claim: "common direction reaches the MPD of each semantic-shift level (matched MPD)",
      measured: `largest |MPD − target| ${Math.max(...input.measurement.matchingErrors).toExponential(2)}`,
      criterion: `≤ ${MPD_MATCH_TOLERANCE}`,
      held: input.measurement.matchingErrors.every((e) => e <= MPD_MATCH_TOLERANCE),
      kind: "identity",
    },
    {
      claim: "centring the documents removes the injected direction (per-query nDCG@10 equals the centred base's)",
      measured: `largest difference ${Math.max(...input.measurement.centring.map((c) => c.largestDifference)).toExponential(2)}`,
      criterion: `≤ ${CENTRING_IDENTITY_TOLERANCE}`,
      held: input.measurement.centring.every((c) => c.largestDifference <= CENTRING_IDENTITY_TOLERANCE),
      kind: "identity",
    },
    {
      claim: "anisotropy harms retrieval only when strong semantic shift induced it",
      measured: [part("(a) shift", shift), part("(b) coherent", coherent), part("(c) direction", direction)].join("; "),
      paper: "qualitative (no number)",
      criterion:
        `(a) nDCG@10-on-MPD slope CI above 0 with MPD falling ≥ ${MIN_MPD_DROP}; (b) and (c) MPD falls ≥ ${MIN_MPD_DROP} and the ` +
        `paired nDCG@10 change has CI lower bound > −${RETRIEVAL_HARM_MARGIN}`,
      held: harmful && harmless(coherent) && harmless(direction),
    },
  ];
  if (input.bm25FullScifact !== undefined) {
    checks.push({
      claim: "our BM25 reproduces BEIR's SciFact nDCG@10 (whole corpus)",
      measured: input.bm25FullScifact,
      paper: `${BEIR_BM25_SCIFACT_NDCG10} (BEIR, Elasticsearch; secondary source)`,
      criterion: `within ${BM25_REPRODUCTION_TOLERANCE}`,
      held: Math.abs(input.bm25FullScifact - BEIR_BM25_SCIFACT_NDCG10) <= BM25_REPRODUCTION_TOLERANCE,
    });
  }
  return checks;
}

/** Notebook 07: is more isotropy better here? And the parity of the one-pass layer pooling. */
export function poolingAblationChecks(input: {
  rows: readonly AblationRow[];
  associations: readonly IsotropyAssociation[];
  parityCosine: number;
}): ClaimCheck[] {
  const all = input.associations.find((a) => a.group === "all")!;
  const within = input.associations
    .filter((a) => a.group !== "all")
    .map((a) => `${a.group} ${fmt(a.rhoIsoScore, 2)}`)
    .join(", ");
  const best = [...input.rows].sort((a, b) => b.ndcg_at_10 - a.ndcg_at_10)[0];
  const mostIsotropic = [...input.rows].sort((a, b) => b.isoScore - a.isoScore)[0];
  return [
    {
      claim: "one-pass layer pooling (mean, last layer) equals model.embed's vectors",
      measured: `smallest cosine ${input.parityCosine.toFixed(7)}`,
      criterion: `≥ ${LAYER_POOLING_PARITY_COSINE}`,
      held: input.parityCosine >= LAYER_POOLING_PARITY_COSINE,
      kind: "identity",
    },
    {
      claim: "more isotropic document embeddings retrieve better (across pooling × layer × post-processing)",
      measured: `Spearman ρ(IsoScore, nDCG@10) ${fmt(all.rhoIsoScore)} over ${all.settings} settings (within post-processing: ${within}); best nDCG@10 ${fmt(best.ndcg_at_10)} at ${best.pooling}/${best.layer}/${best.postprocess} (IsoScore ${fmt(best.isoScore)}); most isotropic ${mostIsotropic.pooling}/${mostIsotropic.layer}/${mostIsotropic.postprocess} (IsoScore ${fmt(mostIsotropic.isoScore)}, nDCG@10 ${fmt(mostIsotropic.ndcg_at_10)})`,
      paper: "not stated numerically",
      criterion: `ρ ≥ ${ISOTROPY_RHO_THRESHOLD}`,
      held: all.rhoIsoScore >= ISOTROPY_RHO_THRESHOLD,
    },
  ];
}
