/**
 * A search for counterexamples to "pooling strictly reduces MPD" on synthetic unit vectors (Theorem 2, see pooled_mpd.ts for
 * what is proved). Each case draws sentence vectors and a grouping, many times, and counts how often the pooled space's MPD
 * is *larger* than the sentences': for cosine MPD (= geometry of the normalised means), Euclidean MPD of the unnormalised
 * means, Euclidean MPD of the normalised means, and the spread (mean squared distance to the centroid), which the
 * variance decomposition says can never grow.
 */
import { gaussian, randomInt, sampleWithoutReplacement, seededRandom, type Random } from "../util/random";
import {
  meanPairwiseCosineDistance64,
  meanPairwiseEuclideanDistance64,
  meanSquaredPairwiseDistance,
  spread,
  unitVector64,
} from "../metrics/vectors";
import { groupMeans } from "../metrics/mpd_decomposition";
import { allEqualPartitions, randomGroups } from "./pooled_mpd";

export interface SyntheticDraw {
  /** unit sentence vectors */
  sentences: Float64Array[];
  /** equal-size groups of sentence indices */
  groups: number[][];
}

export interface SyntheticCase {
  name: string;
  /** what is drawn and why it is interesting */
  description: string;
  draw: (rng: Random) => SyntheticDraw;
}

export interface CaseResult {
  name: string;
  description: string;
  trials: number;
  /** k of the last draw (cases with a random k report "varies" in the notebook via kVaries) */
  k: number;
  kVaries: boolean;
  meanSentenceCosineMpd: number;
  meanPooledCosineMpd: number;
  /** share of trials in which the pooled cosine MPD exceeded the sentences' by more than 1e-12 */
  cosineIncreaseShare: number;
  /** largest (pooled − sentence) cosine MPD seen */
  worstCosineIncrease: number;
  euclideanIncreaseShare: number;
  normalizedEuclideanIncreaseShare: number;
  spreadIncreaseShare: number;
  /** largest (pooled − sentence) spread seen: ≤ 0 up to rounding if the variance decomposition is right */
  worstSpreadIncrease: number;
}

const STRICT = 1e-12;

export function runCase(testCase: SyntheticCase, trials: number, seed: number): CaseResult {
  const rng = seededRandom(seed);
  let sentenceCosine = 0;
  let pooledCosine = 0;
  let cosineUp = 0;
  let euclideanUp = 0;
  let normalizedUp = 0;
  let spreadUp = 0;
  let worstCosine = -Infinity;
  let worstSpread = -Infinity;
  const ks = new Set<number>();
  for (let t = 0; t < trials; t++) {
    const { sentences, groups } = testCase.draw(rng);
    ks.add(groups[0].length);
    const means = groupMeans(sentences, groups);
    const sentenceMpd = meanPairwiseCosineDistance64(sentences);
    const pooledMpd = meanPairwiseCosineDistance64(means);
    sentenceCosine += sentenceMpd;
    pooledCosine += pooledMpd;
    worstCosine = Math.max(worstCosine, pooledMpd - sentenceMpd);
    if (pooledMpd > sentenceMpd + STRICT) cosineUp++;
    const sentenceEuclidean = meanPairwiseEuclideanDistance64(sentences);
    if (meanPairwiseEuclideanDistance64(means) > sentenceEuclidean + STRICT) euclideanUp++;
    if (
      meanPairwiseEuclideanDistance64(groupMeans(sentences, groups, { normalize: true })) >
      sentenceEuclidean + STRICT
    )
      normalizedUp++;
    const spreadChange = spread(means) - spread(sentences);
    worstSpread = Math.max(worstSpread, spreadChange);
    if (spreadChange > STRICT) spreadUp++;
  }
  return {
    name: testCase.name,
    description: testCase.description,
    trials,
    k: [...ks][ks.size - 1],
    kVaries: ks.size > 1,
    meanSentenceCosineMpd: sentenceCosine / trials,
    meanPooledCosineMpd: pooledCosine / trials,
    cosineIncreaseShare: cosineUp / trials,
    worstCosineIncrease: worstCosine,
    euclideanIncreaseShare: euclideanUp / trials,
    normalizedEuclideanIncreaseShare: normalizedUp / trials,
    spreadIncreaseShare: spreadUp / trials,
    worstSpreadIncrease: worstSpread,
  };
}

/** A unit vector: Gaussian noise plus `shift` (a fixed vector), normalised. */
function unitVector(rng: Random, dimension: number, shift?: Float64Array, noiseScale = 1): Float64Array {
  const v = new Float64Array(dimension);
  for (let j = 0; j < dimension; j++)
    v[j] = (noiseScale * gaussian(rng)) / Math.sqrt(dimension) + (shift ? shift[j] : 0);
  return unitVector64(v);
}

function basisVector(dimension: number, index: number): Float64Array {
  const v = new Float64Array(dimension);
  v[index] = 1;
  return v;
}

/** The standard cases; dimension and sizes are small enough for thousands of trials in a second or two. */
export function standardCases(): SyntheticCase[] {
  return [
    {
      name: "isotropic, random groups",
      description:
        "256 Gaussian unit vectors in 256 dimensions, random partition into groups of 4: no common direction",
      draw: (rng) => {
        const sentences = Array.from({ length: 256 }, () => unitVector(rng, 256));
        return { sentences, groups: randomGroups(256, 4, rng) };
      },
    },
    {
      name: "anisotropic, random groups",
      description: "as above plus a shared direction (sentence cosines ≈ 0.5, all positive), random groups of 4",
      draw: (rng) => {
        const shared = basisVector(256, 0);
        const sentences = Array.from({ length: 256 }, () => unitVector(rng, 256, shared));
        return { sentences, groups: randomGroups(256, 4, rng) };
      },
    },
    {
      name: "topics, groups = topics",
      description: "4 orthogonal topics × 8 sentences (topic direction + noise), each group 8 sentences of one topic",
      draw: (rng) => {
        const sentences = Array.from({ length: 32 }, (_, i) =>
          unitVector(rng, 64, basisVector(64, Math.floor(i / 8)), 0.5),
        );
        return { sentences, groups: [0, 1, 2, 3].map((g) => Array.from({ length: 8 }, (_, j) => g * 8 + j)) };
      },
    },
    {
      name: "opposite pairs, adversarial groups",
      description:
        "2 groups {x, −x + δw} and {y, −y − δw} (δ = 0.2): each group nearly cancels and the two means point in opposite directions",
      draw: (rng) => {
        const dimension = 64;
        const w = unitVector(rng, dimension);
        const orthogonal = (v: Float64Array) => {
          const along = v.reduce((t, x, j) => t + x * w[j], 0);
          return unitVector64(v.map((x, j) => x - along * w[j]));
        };
        const x = orthogonal(unitVector(rng, dimension));
        const y = orthogonal(unitVector(rng, dimension));
        const delta = 0.2;
        const sentences = [
          x,
          unitVector64(x.map((v, j) => -v + delta * w[j])),
          y,
          unitVector64(y.map((v, j) => -v - delta * w[j])),
        ];
        return {
          sentences,
          groups: [
            [0, 1],
            [2, 3],
          ],
        };
      },
    },
    {
      name: "identical sentences within groups",
      description:
        "8 random directions, each repeated 4 times; groups = the repeats (degenerate: pooling only removes duplicates)",
      draw: (rng) => {
        const directions = Array.from({ length: 8 }, () => unitVector(rng, 64));
        return {
          sentences: directions.flatMap((d) => [d, d, d, d]),
          groups: directions.map((_, g) => [0, 1, 2, 3].map((j) => g * 4 + j)),
        };
      },
    },
    {
      name: "orthonormal sentences",
      description:
        "16 orthonormal vectors in 64 dimensions, random groups of 4 (degenerate: every cosine is 0 before and after)",
      draw: (rng) => {
        const order = sampleWithoutReplacement(
          Array.from({ length: 64 }, (_, i) => i),
          16,
          rng,
        );
        return { sentences: order.map((i) => basisVector(64, i)), groups: randomGroups(16, 4, rng) };
      },
    },
    {
      name: "random small configurations",
      description: "d ∈ {2, 3, 5, 8}, 2–4 groups of 2–4 Gaussian unit vectors, random partition: a blind search",
      draw: (rng) => smallConfiguration(rng, false),
    },
    {
      name: "random small configurations, positive cone",
      description:
        "as above with non-negative coordinates (every sentence cosine ≥ 0: the sign condition of the proof)",
      draw: (rng) => smallConfiguration(rng, true),
    },
  ];
}

function smallConfiguration(rng: Random, positive: boolean): SyntheticDraw {
  const dimension = [2, 3, 5, 8][randomInt(rng, 4)];
  const groupCount = 2 + randomInt(rng, 3);
  const k = 2 + randomInt(rng, 3);
  const sentences = Array.from({ length: groupCount * k }, () => {
    const v = unitVector(rng, dimension);
    return positive ? v.map(Math.abs) : v;
  });
  return { sentences, groups: randomGroups(groupCount * k, k, rng) };
}

export interface ExpectationCheck {
  configurations: number;
  /** configurations where the mean over all partitions of the pooled cosine MPD exceeded the sentences' (by > 1e-12) */
  cosineExpectationViolations: number;
  /** largest E_partitions[D_p] − D_s seen */
  worstCosineExpectationGap: number;
  /** largest |E_partitions[mean squared distance of means] − (sentences' mean squared distance)/k|, relative to the latter */
  worstSquaredDistanceIdentityError: number;
}

/**
 * The "in expectation over random partitions" statements, checked exactly: for each random configuration (n = 4, 6 or 8 unit
 * vectors in 3 or 5 dimensions, k = 2), every partition into groups of k is enumerated.
 * positive = true draws non-negative coordinates (all cosines ≥ 0), the condition under which E[D_p] < D_s is proved.
 */
export function checkExpectations(configurations: number, positive: boolean, seed: number): ExpectationCheck {
  const rng = seededRandom(seed);
  const partitionsBySize = new Map<number, number[][][]>();
  const result: ExpectationCheck = {
    configurations,
    cosineExpectationViolations: 0,
    worstCosineExpectationGap: -Infinity,
    worstSquaredDistanceIdentityError: 0,
  };
  for (let c = 0; c < configurations; c++) {
    const n = [4, 6, 8][randomInt(rng, 3)];
    const k = 2;
    const dimension = [3, 5][randomInt(rng, 2)];
    const sentences = Array.from({ length: n }, () => {
      const v = unitVector(rng, dimension);
      return positive ? v.map(Math.abs) : v;
    });
    if (!partitionsBySize.has(n)) partitionsBySize.set(n, allEqualPartitions(n, k));
    const partitions = partitionsBySize.get(n)!;
    let pooled = 0;
    let squared = 0;
    for (const groups of partitions) {
      const means = groupMeans(sentences, groups);
      pooled += meanPairwiseCosineDistance64(means);
      squared += meanSquaredPairwiseDistance(means);
    }
    const gap = pooled / partitions.length - meanPairwiseCosineDistance64(sentences);
    result.worstCosineExpectationGap = Math.max(result.worstCosineExpectationGap, gap);
    if (gap > STRICT) result.cosineExpectationViolations++;
    const expectedSquared = meanSquaredPairwiseDistance(sentences) / k;
    result.worstSquaredDistanceIdentityError = Math.max(
      result.worstSquaredDistanceIdentityError,
      Math.abs(squared / partitions.length - expectedSquared) / expectedSquared,
    );
  }
  return result;
}

/** Rows for showTable. */
export function caseTable(results: readonly CaseResult[]): Record<string, string | number>[] {
  return results.map((r) => ({
    case: r.name,
    k: r.kVaries ? "2–4" : r.k,
    trials: r.trials,
    "cos MPD sentences": r.meanSentenceCosineMpd,
    "cos MPD pooled": r.meanPooledCosineMpd,
    "cos MPD up (share)": r.cosineIncreaseShare,
    "worst cos increase": r.worstCosineIncrease,
    "eucl MPD up, raw mean (share)": r.euclideanIncreaseShare,
    "eucl MPD up, unit mean (share)": r.normalizedEuclideanIncreaseShare,
    "spread up (share)": r.spreadIncreaseShare,
    "worst spread increase": r.worstSpreadIncrease,
  }));
}
