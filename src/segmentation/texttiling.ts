/**
 * TextTiling (Hearst 1997), the classic lexical baseline: no embeddings, only repeated words.
 * 1. The document's words (lowercased runs of letters and digits) are cut into pseudo-sentences of w words
 *    (default 20); stopwords count for w but not for similarity.
 * 2. Block comparison: at each gap between pseudo-sentences, the cosine of the word-count vectors of the k pseudo-
 *    sentences before and the k after (default 10, fewer at the ends).
 * 3. The gap scores are smoothed (moving average over ±1 gap, `smoothingRounds` times, default 1).
 * 4. Depth score of a gap: how far its score lies below the highest scores reached by climbing uphill to the left and
 *    to the right, (left peak − score) + (right peak − score).
 * 5. Boundaries go at gaps with depth above mean − sd/2 of all depth scores (Hearst's liberal cutoff; `sdFactor`
 *    changes the 1/2), strongest first, skipping a gap within `minSeparation` pseudo-sentences of one already taken
 *    (default 2; NLTK's TextTilingTokenizer uses 4); a zero depth (no valley) is never a boundary.
 * 6. Each boundary is snapped to the nearest sentence start (Hearst snapped to paragraphs), duplicates dropped.
 * w and k are NLTK's defaults. Words are not stemmed. With a target mean size the cutoff itself is chosen by
 * fitTargetSize instead of mean − sd/2.
 */
import { fitTargetSize } from "./target_size";

export interface TextTilingOptions {
  pseudoSentenceWords?: number;
  blockSize?: number;
  smoothingRounds?: number;
  sdFactor?: number;
  minSeparation?: number;
  targetSize?: number;
}

const STOPWORDS = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him himself " +
    "his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours " +
    "ourselves out over own same she should so some such than that the their theirs them themselves then there these they this " +
    "those through to too under until up very was we were what when where which while who whom why will with would you your " +
    "yours yourself yourselves s t also may one two said"
  ).split(" "),
);

/** TextTiling boundaries (sentence indices) of a document given as its sentences. */
export function textTilingBoundaries(sentences: readonly string[], options: TextTilingOptions = {}): number[] {
  const tiling = tileScores(sentences, options);
  if (tiling === undefined) return [];
  if (options.targetSize === undefined) {
    const { mean, sd } = meanAndSd(tiling.depths);
    return boundariesAbove(tiling, mean - (options.sdFactor ?? 0.5) * sd, options);
  }
  const deepest = Math.max(...tiling.depths);
  const search = { low: -1e-9, high: deepest, steps: 40 };
  return fitTargetSize(
    sentences.length,
    options.targetSize,
    (cutoff) => boundariesAbove(tiling, cutoff, options),
    search,
  ).boundaries;
}

interface Tiling {
  /** depth score of each gap between pseudo-sentences (gap j follows pseudo-sentence j) */
  depths: number[];
  /** word index where each sentence starts */
  sentenceStarts: number[];
  wordsPerPseudoSentence: number;
}

/** Steps 1–4: depth scores of the gaps, or undefined when there are fewer than two pseudo-sentences. */
function tileScores(sentences: readonly string[], options: TextTilingOptions): Tiling | undefined {
  const w = options.pseudoSentenceWords ?? 20;
  const k = options.blockSize ?? 10;
  const sentenceStarts: number[] = [];
  const words: string[] = [];
  for (const sentence of sentences) {
    sentenceStarts.push(words.length);
    for (const match of sentence.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) words.push(match[0]);
  }
  const pseudo: Map<string, number>[] = [];
  for (let start = 0; start < words.length; start += w) {
    const counts = new Map<string, number>();
    for (const word of words.slice(start, start + w))
      if (!STOPWORDS.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    pseudo.push(counts);
  }
  if (pseudo.length < 2 || sentences.length < 2) return undefined;
  let scores: number[] = [];
  for (let gap = 0; gap < pseudo.length - 1; gap++) {
    scores.push(
      cosine(
        mergeCounts(pseudo.slice(Math.max(0, gap - k + 1), gap + 1)),
        mergeCounts(pseudo.slice(gap + 1, gap + 1 + k)),
      ),
    );
  }
  for (let round = 0; round < (options.smoothingRounds ?? 1); round++) scores = smooth(scores);
  return { depths: scores.map((_, gap) => depthScore(scores, gap)), sentenceStarts, wordsPerPseudoSentence: w };
}

/** Steps 5–6 for a given cutoff. */
function boundariesAbove(tiling: Tiling, cutoff: number, options: TextTilingOptions): number[] {
  const minSeparation = options.minSeparation ?? 2;
  const candidates = tiling.depths
    .map((depth, gap) => ({ depth, gap }))
    .filter((c) => c.depth > 0 && c.depth > cutoff)
    .sort((a, b) => b.depth - a.depth || a.gap - b.gap);
  const taken: number[] = [];
  for (const c of candidates) if (taken.every((g) => Math.abs(g - c.gap) >= minSeparation)) taken.push(c.gap);
  const snapped = new Set(
    taken.map((gap) => nearestSentenceStart(tiling.sentenceStarts, (gap + 1) * tiling.wordsPerPseudoSentence)),
  );
  return [...snapped].filter((s) => s > 0).sort((a, b) => a - b);
}

/** The sentence (≥ 1) whose first word is nearest the word position; ties go to the earlier sentence. */
function nearestSentenceStart(starts: readonly number[], wordPosition: number): number {
  let best = 1;
  for (let s = 1; s < starts.length; s++)
    if (Math.abs(starts[s] - wordPosition) < Math.abs(starts[best] - wordPosition)) best = s;
  return best;
}

function depthScore(scores: readonly number[], gap: number): number {
  let left = gap;
  while (left > 0 && scores[left - 1] >= scores[left]) left--;
  let right = gap;
  while (right < scores.length - 1 && scores[right + 1] >= scores[right]) right++;
  return scores[left] - scores[gap] + (scores[right] - scores[gap]);
}

function smooth(scores: readonly number[]): number[] {
  return scores.map((_, i) => {
    const window = scores.slice(Math.max(0, i - 1), i + 2);
    return window.reduce((a, b) => a + b, 0) / window.length;
  });
}

function mergeCounts(blocks: readonly Map<string, number>[]): Map<string, number> {
  const merged = new Map<string, number>();
  for (const block of blocks) for (const [word, n] of block) merged.set(word, (merged.get(word) ?? 0) + n);
  return merged;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let product = 0;
  for (const [word, n] of a) product += n * (b.get(word) ?? 0);
  const norm = (m: Map<string, number>) => Math.sqrt([...m.values()].reduce((s, v) => s + v * v, 0));
  const denominator = norm(a) * norm(b);
  return denominator === 0 ? 0 : product / denominator;
}

/** Mean and population standard deviation (numpy.std, as Hearst's cutoff is usually computed). */
function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
}
