/**
 * Length-controlled texts for the central experiment: same token length, different semantic content.
 *
 * For every k and every seed sentence s (sentence i of a document with at least i + k sentences) three texts of k sentences,
 * joined with single spaces, all starting with s:
 * - repeat:     s, k times (no semantic shift);
 * - sequential: s and the next k − 1 sentences of its document (the shift of natural prose);
 * - random:     s and k − 1 sentences drawn uniformly, without replacement, from all sentences of other documents (maximal shift).
 *
 * Matching rule (quoted by the notebooks): the three texts are measured in word pieces (special tokens included); the shortest
 * sets the budget, and each longer text loses trailing words (whitespace-separated) until its count is ≤ the budget. The three
 * matched texts therefore differ by less than one word's word pieces; a seed is skipped when
 * - the shortest text exceeds maxTokens (`tooLong`: nothing is truncated by the model),
 * - matching would cut more than maxCutFraction (default 25%) of a text's word pieces (`cutTooMuch`: the text would no
 *   longer hold k sentences in any meaningful sense),
 * - the matched lengths still differ by more than maxResidual word pieces (default 4) (`residual`),
 * - other documents hold fewer than k − 1 sentences (`fewOtherSentences`).
 * To save tokenizer time, a seed is rejected before its full texts are measured when the sums of its sentences' word pieces
 * (each sentence measured once), allowing one piece of error per sentence boundary, already make it tooLong or cutTooMuch.
 * Seed positions are visited in a seeded random order (one stream per (seed, k)); a skipped seed is replaced by the next
 * candidate, up to attemptsPerSeed (default 20) tries per wanted seed. So large k favour short sentences, and matching favours
 * seeds about as long as the sentences around them; every k's report says how many were built, skipped and why, and the
 * residual reached. Sentences are whitespace-normalised first and empty ones dropped (seedId counts the kept sentences).
 * k is capped by document length (sequential needs k sentences of one document: arXiv abstracts have ~8, use Brown,
 * WikiText or Gutenberg for larger k) and by maxTokens.
 */
import { joinSentences, normalizeSpaces, type SentenceDocument } from "../text/document_sentences";
import { randomInt, seededRandom, type Random } from "../util/random";

export type { SentenceDocument };

export type ConstructionMode = "repeat" | "sequential" | "random";
export const CONSTRUCTION_MODES: readonly ConstructionMode[] = ["repeat", "sequential", "random"];

export interface ConstructOptions {
  /** word pieces (with special tokens) of each text, e.g. EmbeddingModel.countTokens */
  countTokens: (texts: string[]) => number[];
  ks: number[];
  /** the model's maximum length (special tokens included) */
  maxTokens: number;
  /** seed sentences wanted per k */
  seeds: number;
  seed: number;
  maxCutFraction?: number;
  maxResidual?: number;
  attemptsPerSeed?: number;
}

export interface ConstructedText {
  /** "<document id>#<sentence index>": the three texts of one seed and k share it */
  seedId: string;
  mode: ConstructionMode;
  k: number;
  /** the sentences after matching (the last one may be cut short) */
  sentences: string[];
  text: string;
  /** word pieces of `text`, special tokens included */
  tokens: number;
}

export type SkipReason = "tooLong" | "cutTooMuch" | "residual" | "fewOtherSentences";

export interface ConstructionReport {
  k: number;
  wanted: number;
  /** seeds whose three texts were built */
  built: number;
  /** seed positions that have k sentences ahead of them in their document */
  candidates: number;
  skipped: Record<SkipReason, number>;
  /** max and mean over built seeds of (longest − shortest) word pieces among the three matched texts */
  residualMax: number;
  residualMean: number;
  note?: string;
}

export interface Construction {
  texts: ConstructedText[];
  reports: ConstructionReport[];
}

export function constructTexts(documents: SentenceDocument[], options: ConstructOptions): Construction {
  const docs = numberedSentences(documents);
  const pool = new SentencePool(docs.map((d) => d.sentences.length));
  const sentenceLengths = new SentenceLengths(options.countTokens);
  const texts: ConstructedText[] = [];
  const reports: ConstructionReport[] = [];
  for (const k of [...new Set(options.ks)].sort((a, b) => a - b)) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`constructTexts: k must be a positive integer, got ${k}`);
    const { built, report } = constructForK(docs, pool, sentenceLengths, k, options);
    texts.push(...built);
    reports.push(report);
  }
  return { texts, reports };
}

/**
 * The seed sentence of each seedId ("<document id>#<sentence index>") of these texts, found in the documents they were
 * constructed from, with the sentences numbered as constructTexts numbers them. Throws for a seedId with no sentence.
 */
export function seedSentencesOf(texts: readonly ConstructedText[], documents: readonly SentenceDocument[]): Map<string, string> {
  const byId = new Map(numberedSentences(documents).map((d) => [d.id, d.sentences]));
  const seedSentences = new Map<string, string>();
  for (const t of texts) {
    if (seedSentences.has(t.seedId)) continue;
    const hash = t.seedId.lastIndexOf("#");
    const sentence = byId.get(t.seedId.slice(0, hash))?.[Number(t.seedId.slice(hash + 1))];
    if (sentence === undefined) throw new Error(`seedSentencesOf: no sentence for seed ${t.seedId}`);
    seedSentences.set(t.seedId, sentence);
  }
  return seedSentences;
}

/** How constructTexts numbers a document's sentences: after normalising spaces and dropping empty ones. */
function numberedSentences(documents: readonly SentenceDocument[]): SentenceDocument[] {
  return documents.map((d) => ({ id: d.id, sentences: d.sentences.map(normalizeSpaces).filter((s) => s !== "") }));
}

/** One line per k, for notebooks: built/wanted, skips by reason, residual. */
export function describeConstruction(reports: ConstructionReport[]): string {
  return reports
    .map((r) => {
      const skips = Object.entries(r.skipped).filter(([, n]) => n > 0).map(([why, n]) => `${why} ${n}`).join(", ");
      const residual = r.built > 0 ? `residual max ${r.residualMax}, mean ${r.residualMean.toFixed(2)} word pieces` : "";
      return `k=${r.k}: ${r.built}/${r.wanted} seeds${skips ? ` (skipped: ${skips})` : ""}${residual ? `; ${residual}` : ""}${r.note ? `; ${r.note}` : ""}`;
    })
    .join("\n");
}

function constructForK(
  docs: SentenceDocument[],
  pool: SentencePool,
  sentenceLengths: SentenceLengths,
  k: number,
  options: ConstructOptions,
): { built: ConstructedText[]; report: ConstructionReport } {
  const maxCutFraction = options.maxCutFraction ?? 0.25;
  const maxResidual = options.maxResidual ?? 4;
  const candidates: [number, number][] = [];
  docs.forEach((d, di) => {
    for (let si = 0; si + k <= d.sentences.length; si++) candidates.push([di, si]);
  });
  const report: ConstructionReport = {
    k,
    wanted: options.seeds,
    built: 0,
    candidates: candidates.length,
    skipped: { tooLong: 0, cutTooMuch: 0, residual: 0, fewOtherSentences: 0 },
    residualMax: 0,
    residualMean: 0,
  };
  const built: ConstructedText[] = [];
  const random = seededRandom(mixSeed(options.seed, k));
  const maxAttempts = options.seeds * (options.attemptsPerSeed ?? 20);
  let residualSum = 0;
  let attempts = 0;
  // Partial Fisher-Yates over the candidates: each step yields the next seed in a seeded random order.
  for (let next = 0; next < candidates.length && report.built < options.seeds && attempts < maxAttempts; next++, attempts++) {
    const pick = next + randomInt(random, candidates.length - next);
    [candidates[next], candidates[pick]] = [candidates[pick], candidates[next]];
    const [di, si] = candidates[next];
    const doc = docs[di];
    const seedSentence = doc.sentences[si];
    const others = pool.drawOutside(di, k - 1, random);
    if (others === undefined) {
      report.skipped.fewOtherSentences++;
      continue;
    }
    const bySentences: Record<ConstructionMode, string[]> = {
      repeat: Array<string>(k).fill(seedSentence),
      sequential: doc.sentences.slice(si, si + k),
      random: [seedSentence, ...others.map(([d, s]) => docs[d].sentences[s])],
    };
    const lists = CONSTRUCTION_MODES.map((m) => bySentences[m]);
    const early = rejectFromEstimates(sentenceLengths.estimate(lists), k - 1, options.maxTokens, maxCutFraction);
    if (early !== undefined) {
      report.skipped[early]++;
      continue;
    }
    const matched = matchLengths(lists, options.countTokens, options.maxTokens, maxCutFraction);
    if (typeof matched === "string") {
      report.skipped[matched]++;
      continue;
    }
    const residual = Math.max(...matched.map((t) => t.tokens)) - Math.min(...matched.map((t) => t.tokens));
    if (residual > maxResidual) {
      report.skipped.residual++;
      continue;
    }
    const seedId = `${doc.id}#${si}`;
    matched.forEach((t, m) => built.push({ seedId, mode: CONSTRUCTION_MODES[m], k, ...t }));
    report.built++;
    report.residualMax = Math.max(report.residualMax, residual);
    residualSum += residual;
  }
  report.residualMean = report.built > 0 ? residualSum / report.built : 0;
  if (candidates.length === 0) report.note = `no document has ${k} sentences`;
  else if (report.built < options.seeds) {
    report.note = `only ${report.built} of ${options.seeds} seeds after ${attempts} tries of ${candidates.length} candidates`;
  }
  return { built, report };
}

/**
 * tooLong / cutTooMuch when certain from the summed sentence lengths, whose error is at most `slack` word pieces (some
 * tokenizers merge or split a piece at each of the k − 1 sentence boundaries); undefined when the full texts must be measured.
 */
function rejectFromEstimates(estimates: number[], slack: number, maxTokens: number, maxCutFraction: number): SkipReason | undefined {
  const shortest = Math.min(...estimates);
  if (shortest - slack > maxTokens) return "tooLong";
  if (shortest + slack > maxTokens) return undefined; // it may be tooLong: let the full measurement decide, as it checks that first
  const cutAtLeast = estimates.map((n) => (n - slack - (shortest + slack)) / (n - slack));
  return cutAtLeast.some((f) => f > maxCutFraction) ? "cutTooMuch" : undefined;
}

type Matched = { sentences: string[]; text: string; tokens: number };

/** Cut every text to the word-piece length of the shortest (see the matching rule above), or say why not. */
function matchLengths(
  sentenceLists: string[][],
  countTokens: (texts: string[]) => number[],
  maxTokens: number,
  maxCutFraction: number,
): Matched[] | "tooLong" | "cutTooMuch" {
  const fullTexts = sentenceLists.map(joinSentences);
  const lengths = countTokens(fullTexts);
  const budget = Math.min(...lengths);
  if (budget > maxTokens) return "tooLong";
  if (lengths.some((n) => (n - budget) / n > maxCutFraction)) return "cutTooMuch";
  const words = fullTexts.map((t) => t.split(" "));
  const kept = wordsWithinBudget(words, lengths, budget, countTokens);
  return sentenceLists.map((sentences, i) => {
    if (kept[i].words === words[i].length) return { sentences, text: fullTexts[i], tokens: lengths[i] };
    const cut = cutSentences(sentences, kept[i].words);
    return { sentences: cut, text: joinSentences(cut), tokens: kept[i].tokens };
  });
}

/**
 * For each text, the largest number of leading words whose word-piece count is ≤ budget (binary search; all texts over
 * budget advance together so that each round is one countTokens call). Assumes counts grow with words, as WordPiece does.
 */
function wordsWithinBudget(
  words: string[][],
  lengths: number[],
  budget: number,
  countTokens: (texts: string[]) => number[],
): { words: number; tokens: number }[] {
  // Invariant: the first lo words fit (their count is `tokens` when measured), the first hi words do not (unless lo == hi).
  const state = words.map((w, i) =>
    lengths[i] <= budget ? { lo: w.length, hi: w.length, tokens: lengths[i], measured: true } : { lo: 0, hi: w.length, tokens: 0, measured: false },
  );
  for (;;) {
    const open = state.map((_, i) => i).filter((i) => state[i].hi - state[i].lo > 1);
    if (open.length === 0) break;
    const mids = open.map((i) => Math.floor((state[i].lo + state[i].hi) / 2));
    const counts = countTokens(open.map((i, j) => words[i].slice(0, mids[j]).join(" ")));
    open.forEach((i, j) => {
      if (counts[j] <= budget) state[i] = { ...state[i], lo: mids[j], tokens: counts[j], measured: true };
      else state[i] = { ...state[i], hi: mids[j] };
    });
  }
  const unmeasured = state.map((_, i) => i).filter((i) => !state[i].measured);
  if (unmeasured.length > 0) {
    const counts = countTokens(unmeasured.map((i) => words[i].slice(0, state[i].lo).join(" ")));
    unmeasured.forEach((i, j) => (state[i].tokens = counts[j]));
  }
  return state.map((s) => ({ words: s.lo, tokens: s.tokens }));
}

/** The sentences that hold the first `wordCount` words (the last one may be cut short); sentences are single-spaced. */
function cutSentences(sentences: string[], wordCount: number): string[] {
  const out: string[] = [];
  let left = wordCount;
  for (const s of sentences) {
    if (left <= 0) break;
    const words = s.split(" ");
    out.push(words.slice(0, left).join(" "));
    left -= words.length;
  }
  return out;
}

/** Word pieces of single sentences (special tokens excluded), each measured once: the sum estimates a text's length. */
class SentenceLengths {
  private readonly pieces = new Map<string, number>();
  private readonly specials: number;

  constructor(private readonly countTokens: (texts: string[]) => number[]) {
    this.specials = countTokens([""])[0];
  }

  estimate(sentenceLists: string[][]): number[] {
    const unmeasured = [...new Set(sentenceLists.flat())].filter((s) => !this.pieces.has(s));
    if (unmeasured.length > 0) this.countTokens(unmeasured).forEach((n, i) => this.pieces.set(unmeasured[i], n - this.specials));
    return sentenceLists.map((list) => list.reduce((n, s) => n + this.pieces.get(s)!, this.specials));
  }
}

/** All sentences of all documents, indexed globally, to draw "other document" sentences uniformly. */
class SentencePool {
  private readonly starts: number[] = [];
  private readonly total: number;

  constructor(private readonly lengths: number[]) {
    let offset = 0;
    for (const n of lengths) {
      this.starts.push(offset);
      offset += n;
    }
    this.total = offset;
  }

  /** `count` distinct [document, sentence] pairs from documents other than `doc`, or undefined if there are too few. */
  drawOutside(doc: number, count: number, random: Random): [number, number][] | undefined {
    const outside = this.total - this.lengths[doc];
    if (outside < count) return undefined;
    const drawn = new Set<number>();
    const pairs: [number, number][] = [];
    while (pairs.length < count) {
      const r = randomInt(random, outside);
      const global = r < this.starts[doc] ? r : r + this.lengths[doc];
      if (drawn.has(global)) continue;
      drawn.add(global);
      const d = this.documentOf(global);
      pairs.push([d, global - this.starts[d]]);
    }
    return pairs;
  }

  private documentOf(global: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    // The last document starting at or before `global` holds it (an empty document never does: the next one starts at the same place).
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.starts[mid] <= global) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** A distinct random stream per (seed, k), so adding a k never changes the texts of the others. */
function mixSeed(seed: number, k: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(k, 0x85ebca6b)) >>> 0;
}
