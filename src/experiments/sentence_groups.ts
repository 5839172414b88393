/**
 * Texts as lists of sentences, for experiments that compare a text with its own sentences (Theorems 1 and 2).
 *
 * A `SentenceText` is a text given by its sentences in reading order; the text itself is the sentences joined with single
 * spaces, so "the whole text" and "its sentences" hold exactly the same words.
 *
 * Two ways to get them from a corpus:
 * - `wholeDocuments`: every document (e.g. an arXiv abstract) as one text, if it has enough sentences and fits the model;
 * - `sentenceWindows`: runs of consecutive sentences cut out of long documents (books, articles), disjoint within a
 *   document, visited in a seeded order that takes one window from each document in turn, so a small sample spreads over
 *   many documents.
 * Sentences shorter than `minWords` words are dropped first (headings, speaker names in plays, "CHAPTER I."), so
 * "consecutive" means consecutive among the kept sentences.
 */
import type { Document } from "../text/corpora";
import { splitSentences } from "../text/sentences";
import { randomInt, seededRandom, shuffle } from "../util/random";

export interface SentenceText {
  /** "<document id>" for whole documents, "<document id>#<index of the first sentence>" for windows */
  id: string;
  /** the corpus name */
  source: string;
  sentences: string[];
}

/** The text of a SentenceText: its sentences joined with single spaces. */
export function joinSentences(sentences: readonly string[]): string {
  return sentences.join(" ");
}

/** Sentences of a document with at least minWords words (default 3). */
export function documentSentences(doc: Document, minWords = 3): string[] {
  return splitSentences(doc.text).filter((s) => wordCount(s) >= minWords);
}

export interface WholeDocumentOptions {
  /** word pieces of each text (e.g. EmbeddingModel.countTokens); with maxTokens, texts that would be truncated are dropped */
  countTokens?: (texts: string[]) => number[];
  /** the model's maximum length, special tokens included */
  maxTokens?: number;
  /** fewest sentences a text must have (default 2: one sentence has no dispersion) */
  minSentences?: number;
  minWords?: number;
}

export interface SelectionReport {
  kept: number;
  tooFewSentences: number;
  tooLong: number;
}

export function wholeDocuments(docs: readonly Document[], options: WholeDocumentOptions = {}): { texts: SentenceText[]; report: SelectionReport } {
  const minSentences = options.minSentences ?? 2;
  const report: SelectionReport = { kept: 0, tooFewSentences: 0, tooLong: 0 };
  const candidates: SentenceText[] = [];
  for (const doc of docs) {
    const sentences = documentSentences(doc, options.minWords);
    if (sentences.length < minSentences) report.tooFewSentences++;
    else candidates.push({ id: doc.id, source: doc.source, sentences });
  }
  const fits = fitsModel(candidates, options.countTokens, options.maxTokens);
  const texts = candidates.filter((_, i) => fits[i]);
  report.tooLong = candidates.length - texts.length;
  report.kept = texts.length;
  return { texts, report };
}

export interface WindowOptions {
  /** windows wanted */
  count: number;
  /** sentences per window: a fixed number, or an inclusive range [min, max] drawn uniformly per window */
  sentencesPerWindow: number | [number, number];
  seed: number;
  countTokens?: (texts: string[]) => number[];
  /** windows whose joined text has more word pieces than this (special tokens included) are skipped */
  maxTokens?: number;
  minWords?: number;
  /** fraction of each document's sentences left out at its start and at its end (front matter, indexes); default 0 */
  skipEdges?: number;
}

export interface WindowReport {
  wanted: number;
  kept: number;
  /** windows skipped because the joined text was longer than maxTokens */
  tooLong: number;
  /** documents that gave at least one window */
  documents: number;
}

/**
 * Disjoint windows of consecutive sentences. Each document is cut into windows from a random offset; documents are visited in
 * a seeded random order, one window each per round (the window within a document is also drawn at random), until `count`
 * windows fit the model or every window has been tried.
 */
export function sentenceWindows(docs: readonly Document[], options: WindowOptions): { windows: SentenceText[]; report: WindowReport } {
  const rng = seededRandom(options.seed);
  const skip = options.skipEdges ?? 0;
  if (!(skip >= 0 && skip < 0.5)) throw new Error(`sentenceWindows: skipEdges must be in [0, 0.5), got ${skip}`);
  const [minLength, maxLength] = typeof options.sentencesPerWindow === "number" ? [options.sentencesPerWindow, options.sentencesPerWindow] : options.sentencesPerWindow;
  if (!(Number.isInteger(minLength) && Number.isInteger(maxLength) && minLength >= 1 && maxLength >= minLength)) {
    throw new Error(`sentenceWindows: bad sentencesPerWindow ${JSON.stringify(options.sentencesPerWindow)}`);
  }
  const drawLength = () => minLength + randomInt(rng, maxLength - minLength + 1);

  // every document's windows, in a random order within the document
  const perDocument: SentenceText[][] = [];
  for (const doc of docs) {
    const all = documentSentences(doc, options.minWords);
    const first = Math.floor(all.length * skip);
    const sentences = all.slice(first, all.length - first);
    const windows: SentenceText[] = [];
    let start = randomInt(rng, minLength);
    for (let length = drawLength(); start + length <= sentences.length; length = drawLength()) {
      windows.push({ id: `${doc.id}#${first + start}`, source: doc.source, sentences: sentences.slice(start, start + length) });
      start += length;
    }
    if (windows.length > 0) perDocument.push(shuffle(windows, rng));
  }

  const order = shuffle(perDocument, rng);
  const report: WindowReport = { wanted: options.count, kept: 0, tooLong: 0, documents: 0 };
  const windows: SentenceText[] = [];
  const used = new Set<number>();
  for (let round = 0; windows.length < options.count; round++) {
    const candidates = order.map((w, d) => [d, w[round]] as const).filter(([, w]) => w !== undefined);
    if (candidates.length === 0) break;
    const fits = fitsModel(candidates.map(([, w]) => w), options.countTokens, options.maxTokens);
    candidates.forEach(([d, w], i) => {
      if (windows.length >= options.count) return;
      if (!fits[i]) {
        report.tooLong++;
        return;
      }
      windows.push(w);
      used.add(d);
    });
  }
  report.kept = windows.length;
  report.documents = used.size;
  return { windows, report };
}

/** One line for notebooks: how many texts, from how many documents, what was skipped. */
export function describeSelection(name: string, report: SelectionReport | WindowReport): string {
  if ("wanted" in report) {
    return `${name}: ${report.kept}/${report.wanted} windows from ${report.documents} documents (skipped as too long for the model: ${report.tooLong})`;
  }
  return `${name}: ${report.kept} texts (skipped: ${report.tooFewSentences} with too few sentences, ${report.tooLong} too long for the model)`;
}

function fitsModel(texts: SentenceText[], countTokens?: (texts: string[]) => number[], maxTokens?: number): boolean[] {
  if (!countTokens || maxTokens === undefined || texts.length === 0) return texts.map(() => true);
  return countTokens(texts.map((t) => joinSentences(t.sentences))).map((n) => n <= maxTokens);
}

function wordCount(sentence: string): number {
  const trimmed = sentence.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/).length;
}
