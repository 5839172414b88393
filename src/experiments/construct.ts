/**
 * Length-controlled texts for the central experiment: same token length, different semantic content.
 *
 * For every seed sentence s (sentence i of a document with at least i + kMax sentences) and every k, three texts of k
 * sentences, joined with single spaces, all starting with s:
 * - repeat:     s, k times (no semantic shift);
 * - sequential: s and the next k − 1 sentences of its document (the shift of natural prose);
 * - random:     s and the first k − 1 of kMax − 1 sentences drawn once per seed, uniformly, from other documents (maximal shift).
 * The same seeds serve every k and every mode (texts of one seed are nested across k), so comparisons across k and modes are
 * paired by seed.
 *
 * No leakage: a seed's query sentence occurs in no constructed text but its own. A kept seed reserves its window (s and the kMax − 1
 * sentences after it) and its random sentences, by position and by string; a later seed whose window touches a reserved sentence
 * is skipped (`overlap`), and random sentences are drawn only from unreserved sentences outside the seed's window and document.
 *
 * Matching rule (quoted by the notebooks): the three texts are measured in word pieces (special tokens included); the shortest
 * sets the budget, and each longer text loses trailing words (whitespace-separated) until its count is ≤ the budget. The three
 * matched texts therefore differ by less than one word's word pieces; a seed is skipped when at some k
 * - the shortest text exceeds maxTokens (`tooLong`: nothing is truncated by the model),
 * - matching would cut more than maxCutFraction (default 25%) of a text's word pieces (`cutTooMuch`: the text would no
 *   longer hold k sentences in any meaningful sense),
 * - the matched lengths still differ by more than maxResidual word pieces (default 4) (`residual`),
 * or before any k when other documents hold too few unreserved sentences (`fewOtherSentences`).
 * To save tokenizer time, a seed is rejected before its full texts are measured when the sums of its sentences' word pieces
 * (each sentence measured once), allowing one piece of error per sentence boundary, already make it tooLong or cutTooMuch; the
 * largest k is tried first. Seed positions are visited in a seeded random order; a skipped seed is replaced by the next
 * candidate (all candidates, or attemptsPerSeed tries per wanted seed when given). So a large kMax favours short sentences at
 * every k, and matching favours seeds about as long as the sentences around them; every k's report says how many were built,
 * skipped and why, and the residual reached. Sentences are whitespace-normalised first and empty ones dropped (seedId counts
 * the kept sentences). kMax is capped by document length (sequential needs kMax sentences of one document: arXiv abstracts have
 * ~8, use Brown, WikiText or Gutenberg for larger k) and by maxTokens.
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

/** overlap and fewOtherSentences are decided per seed (before any k), and every k's report carries their totals */
export type SkipReason = "tooLong" | "cutTooMuch" | "residual" | "fewOtherSentences" | "overlap";

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
  /** ordered by k; the same seeds at every k */
  texts: ConstructedText[];
  /** candidates tried, and those lost before any k: to the no-leak rule (overlap) or for want of random sentences */
  seedLevel: { tried: number; overlap: number; fewOtherSentences: number };
  reports: ConstructionReport[];
}

export function constructTexts(documents: SentenceDocument[], options: ConstructOptions): Construction {
  const ks = [...new Set(options.ks)].sort((a, b) => a - b);
  for (const k of ks)
    if (!Number.isInteger(k) || k < 1) throw new Error(`constructTexts: k must be a positive integer, got ${k}`);
  return constructSeeds(numberedSentences(documents), ks, options);
}

/**
 * The seed sentence of each seedId ("<document id>#<sentence index>") of these texts, found in the documents they were
 * constructed from, with the sentences numbered as constructTexts numbers them. Throws for a seedId with no sentence.
 */
export function seedSentencesOf(
  texts: readonly ConstructedText[],
  documents: readonly SentenceDocument[],
): Map<string, string> {
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

/**
 * Seeds in one seeded random order; a seed is kept when its window of kMax sentences (and its kMax − 1 random sentences) touches
 * no sentence of a kept seed (positions and strings: "overlap") and its three texts match at every k (tried from the largest k).
 */
function constructSeeds(docs: SentenceDocument[], ks: number[], options: ConstructOptions): Construction {
  const maxCutFraction = options.maxCutFraction ?? 0.25;
  const maxResidual = options.maxResidual ?? 4;
  const kMax = ks.length > 0 ? ks[ks.length - 1] : 1;
  const candidates: [number, number][] = [];
  docs.forEach((d, di) => {
    for (let si = 0; si + kMax <= d.sentences.length; si++) candidates.push([di, si]);
  });
  const reports = ks.map((k): ConstructionReport => ({
    k,
    wanted: options.seeds,
    built: 0,
    candidates: candidates.length,
    skipped: { tooLong: 0, cutTooMuch: 0, residual: 0, fewOtherSentences: 0, overlap: 0 },
    residualMax: 0,
    residualMean: 0,
  }));
  const seedLevel = { tried: 0, overlap: 0, fewOtherSentences: 0 };
  const texts: ConstructedText[] = [];
  const pool = new SentencePool(docs.map((d) => d.sentences.length));
  const sentenceLengths = new SentenceLengths(options.countTokens);
  const random = seededRandom(mixSeed(options.seed, kMax));
  const maxAttempts = options.attemptsPerSeed === undefined ? Infinity : options.seeds * options.attemptsPerSeed;
  const residualSums = ks.map(() => 0);
  // Every sentence a kept seed's texts use, by position and by string: later seeds must avoid both.
  const usedPositions = new Set<string>();
  const usedStrings = new Set<string>();
  let kept = 0;
  // Partial Fisher-Yates over the candidates: each step yields the next seed in a seeded random order.
  for (
    let next = 0;
    next < candidates.length && kept < options.seeds && seedLevel.tried < maxAttempts && ks.length > 0;
    next++
  ) {
    seedLevel.tried++;
    const pick = next + randomInt(random, candidates.length - next);
    [candidates[next], candidates[pick]] = [candidates[pick], candidates[next]];
    const [di, si] = candidates[next];
    const doc = docs[di];
    const window = doc.sentences.slice(si, si + kMax);
    if (window.some((s, j) => usedPositions.has(`${di}#${si + j}`) || usedStrings.has(s))) {
      seedLevel.overlap++;
      continue;
    }
    const avoid = (d: number, s: number) =>
      usedPositions.has(`${d}#${s}`) || usedStrings.has(docs[d].sentences[s]) || window.includes(docs[d].sentences[s]);
    const others = pool.drawOutside(di, kMax - 1, random, avoid, (d, s) => docs[d].sentences[s]);
    if (others === undefined) {
      seedLevel.fewOtherSentences++;
      continue;
    }
    const seedSentence = window[0];
    const built: { k: number; matched: Matched[]; residual: number }[] = [];
    let failed = false;
    for (let ki = ks.length - 1; ki >= 0 && !failed; ki--) {
      const k = ks[ki];
      const lists = [
        Array<string>(k).fill(seedSentence),
        window.slice(0, k),
        [seedSentence, ...others.slice(0, k - 1).map(([d, s]) => docs[d].sentences[s])],
      ];
      const early = rejectFromEstimates(sentenceLengths.estimate(lists), k - 1, options.maxTokens, maxCutFraction);
      const matched = early ?? matchLengths(lists, options.countTokens, options.maxTokens, maxCutFraction);
      const residual =
        typeof matched === "string"
          ? 0
          : Math.max(...matched.map((t) => t.tokens)) - Math.min(...matched.map((t) => t.tokens));
      const why: SkipReason | undefined =
        typeof matched === "string" ? matched : residual > maxResidual ? "residual" : undefined;
      if (why !== undefined || typeof matched === "string") {
        reports[ki].skipped[why ?? "residual"]++;
        failed = true;
      } else built.push({ k, matched, residual });
    }
    if (failed) continue;
    kept++;
    window.forEach((s, j) => (usedPositions.add(`${di}#${si + j}`), usedStrings.add(s)));
    others.forEach(([d, s]) => (usedPositions.add(`${d}#${s}`), usedStrings.add(docs[d].sentences[s])));
    const seedId = `${doc.id}#${si}`;
    for (const { k, matched, residual } of built.reverse()) {
      const ki = ks.indexOf(k);
      matched.forEach((t, m) => texts.push({ seedId, mode: CONSTRUCTION_MODES[m], k, ...t }));
      reports[ki].built++;
      reports[ki].residualMax = Math.max(reports[ki].residualMax, residual);
      residualSums[ki] += residual;
    }
  }
  reports.forEach((r, ki) => {
    r.residualMean = r.built > 0 ? residualSums[ki] / r.built : 0;
    r.skipped.overlap = seedLevel.overlap;
    r.skipped.fewOtherSentences = seedLevel.fewOtherSentences;
    if (candidates.length === 0) r.note = `no document has ${kMax} sentences`;
    else if (r.built < options.seeds)
      r.note = `only ${r.built} of ${options.seeds} seeds after ${seedLevel.tried} tries of ${candidates.length} candidates`;
  });
  texts.sort((a, b) => a.k - b.k);
  return { texts, reports, seedLevel };
}

/**
 * tooLong / cutTooMuch when certain from the summed sentence lengths, whose error is at most `slack` word pieces (some
 * tokenizers merge or split a piece at each of the k − 1 sentence boundaries); undefined when the full texts must be measured.
 */
function rejectFromEstimates(
  estimates: number[],
  slack: number,
  maxTokens: number,
  maxCutFraction: number,
): SkipReason | undefined {
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
    lengths[i] <= budget
      ? { lo: w.length, hi: w.length, tokens: lengths[i], measured: true }
      : { lo: 0, hi: w.length, tokens: 0, measured: false },
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
    if (unmeasured.length > 0)
      this.countTokens(unmeasured).forEach((n, i) => this.pieces.set(unmeasured[i], n - this.specials));
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

  /**
   * `count` [document, sentence] pairs with distinct strings from documents other than `doc`, none that `avoid` rejects, drawn
   * uniformly by rejection; undefined if there are too few, or when 50 draws per wanted sentence found no more.
   */
  drawOutside(
    doc: number,
    count: number,
    random: Random,
    avoid: (d: number, s: number) => boolean = () => false,
    stringOf: (d: number, s: number) => string = (d, s) => `${d}#${s}`,
  ): [number, number][] | undefined {
    const outside = this.total - this.lengths[doc];
    if (outside < count) return undefined;
    const drawn = new Set<string>();
    const pairs: [number, number][] = [];
    for (let tries = 0; pairs.length < count; tries++) {
      if (tries > 50 * count + 1000) return undefined;
      const r = randomInt(random, outside);
      const global = r < this.starts[doc] ? r : r + this.lengths[doc];
      const d = this.documentOf(global);
      const s = global - this.starts[d];
      if (avoid(d, s) || drawn.has(stringOf(d, s))) continue;
      drawn.add(stringOf(d, s));
      pairs.push([d, s]);
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

/** The seed order's random stream, per (seed, kMax): kMax decides which seeds are candidates. */
function mixSeed(seed: number, k: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(k, 0x85ebca6b)) >>> 0;
}
