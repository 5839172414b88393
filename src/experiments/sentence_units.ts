/**
 * Units of sentences: how the experiments cut a corpus into texts that are compared with their own sentences. Every unit is
 * a `SentenceUnit` (an id and its sentences in reading order); sentences come from text/document_sentences.ts.
 *
 * | selector | unit | result | used by |
 * | --- | --- | --- | --- |
 * | `wholeDocuments` | every document (an arXiv abstract) with ≥ minSentences plain sentences of ≥ minWords words | `SentenceText`, id "<doc>" | notebook 01 |
 * | `sentenceWindows` | disjoint windows of consecutive sentences (≥ minWords words), one document per turn | `SentenceText`, id "<doc>#<first>" | notebooks 01, 02 |
 * | `wholeDocumentPassages` | every document with all its prose sentences | `Passage`, id "<doc>#0" | notebook 03 |
 * | `passagesOf` | passages that start at a paragraph and stay inside one run of prose paragraphs | `Passage`, id "<doc>#<first>" | notebook 03 |
 *
 * Corpora given as sentence documents (`loadSentenceDocuments`, `plainPassages`, notebooks 04 and 05) are in
 * sentence_corpora.ts; the token-budget rule every selector shares is in token_budget.ts.
 *
 * Why two result shapes: a `SentenceText` carries its corpus (`source`) and is joined when embedded (joinSentences); a
 * `Passage` carries its document id and its joined text. Their ids, and the objects the tests compare, differ, so merging them
 * would change what the notebooks print; both extend SentenceUnit.
 *
 * Windows (`sentenceWindows`): Sentences shorter than `minWords` words are dropped first (headings, speaker names in plays,
 * "CHAPTER I."), so "consecutive" means consecutive among the kept sentences. Windows are disjoint within a document and
 * visited in a seeded order that takes one window from each document in turn, so a small sample spreads over many documents.
 *
 * Passages (`passagesOf`): `sentencesPerPassage` consecutive sentences of one document, starting at the first sentence of a
 * paragraph and running on across paragraph breaks, but never across a non-prose paragraph (document_sentences.proseRuns).
 * Per document, candidate starts are visited in a seeded random order (the stream depends on the seed and the document id
 * only, so a document gets the same passages whatever other documents are passed); a candidate is kept when it does not
 * overlap a passage already kept and, with `maxTokens`, when its text has at most that many word pieces. Up to
 * `maxPassagesPerDocument` are kept and returned in reading order. A document with no candidate contributes nothing.
 * Both passage selectors read a document's sentences with one rule (PASSAGE_SENTENCE_RULE, "prose"), and a passage keeps its
 * document's `category` when the corpus has one.
 */
import { crc32, type Document } from "../text/corpora";
import { documentSentences, joinSentences, sentenceRuns, type SentenceRule } from "../text/document_sentences";
import { randomInt, sampleInOrder, seededRandom, shuffle } from "../util/random";
import { tokenBudget, type TokenBudget } from "./token_budget";

export type { SentenceRule } from "../text/document_sentences";

/** What every unit is: an id and its sentences in reading order. */
export interface SentenceUnit {
  id: string;
  sentences: string[];
}

// ---------------------------------------------------------------------------------------------------------------------------
// Whole documents and windows (notebooks 01 and 02)

export interface SentenceText extends SentenceUnit {
  /** "<document id>" for whole documents, "<document id>#<index of the first sentence>" for windows */
  id: string;
  /** the corpus name */
  source: string;
  /** the document it comes from (the unit to resample: windows of one document are not independent) */
  documentId?: string;
  sentences: string[];
}

export interface WholeDocumentOptions {
  /** word pieces of each text (e.g. EmbeddingModel.countTokens); with maxTokens, texts that would be truncated are dropped */
  countTokens?: (texts: string[]) => number[];
  /** the model's maximum length, special tokens included (needs countTokens: see tokenBudget) */
  maxTokens?: number;
  /** fewest sentences a text must have (default 2: one sentence has no dispersion) */
  minSentences?: number;
  /** sentences under this many words are dropped first (default 3) */
  minWords?: number;
}

export interface SelectionReport {
  kept: number;
  tooFewSentences: number;
  tooLong: number;
}

export function wholeDocuments(
  docs: readonly Document[],
  options: WholeDocumentOptions = {},
): { texts: SentenceText[]; report: SelectionReport } {
  const minSentences = options.minSentences ?? 2;
  const report: SelectionReport = { kept: 0, tooFewSentences: 0, tooLong: 0 };
  const candidates: SentenceText[] = [];
  for (const doc of docs) {
    const sentences = documentSentences(doc, options.minWords);
    if (sentences.length < minSentences) report.tooFewSentences++;
    else candidates.push({ id: doc.id, source: doc.source, documentId: doc.id, sentences });
  }
  const fits = fitsModel(candidates, tokenBudget(options.maxTokens, options.countTokens, "wholeDocuments"));
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
export function sentenceWindows(
  docs: readonly Document[],
  options: WindowOptions,
): { windows: SentenceText[]; report: WindowReport } {
  const rng = seededRandom(options.seed);
  const skip = options.skipEdges ?? 0;
  if (!(skip >= 0 && skip < 0.5)) throw new Error(`sentenceWindows: skipEdges must be in [0, 0.5), got ${skip}`);
  const [minLength, maxLength] =
    typeof options.sentencesPerWindow === "number"
      ? [options.sentencesPerWindow, options.sentencesPerWindow]
      : options.sentencesPerWindow;
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
      windows.push({
        id: `${doc.id}#${first + start}`,
        source: doc.source,
        documentId: doc.id,
        sentences: sentences.slice(start, start + length),
      });
      start += length;
    }
    if (windows.length > 0) perDocument.push(shuffle(windows, rng));
  }

  const order = shuffle(perDocument, rng);
  const budget = tokenBudget(options.maxTokens, options.countTokens, "sentenceWindows");
  const report: WindowReport = { wanted: options.count, kept: 0, tooLong: 0, documents: 0 };
  const windows: SentenceText[] = [];
  const used = new Set<number>();
  for (let round = 0; windows.length < options.count; round++) {
    const candidates = order.map((w, d) => [d, w[round]] as const).filter(([, w]) => w !== undefined);
    if (candidates.length === 0) break;
    const fits = fitsModel(
      candidates.map(([, w]) => w),
      budget,
    );
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

function fitsModel(texts: SentenceText[], fits: TokenBudget): boolean[] {
  return texts.length === 0 ? [] : fits(texts.map((t) => joinSentences(t.sentences)));
}

// ---------------------------------------------------------------------------------------------------------------------------
// Passages (notebook 03)

export interface PassageSource {
  id: string;
  text: string;
  /** the corpus document's category (corpora.Document.category: Brown's genre, BBC's topic, arXiv's category, ...) */
  category?: string;
}

export interface Passage extends SentenceUnit {
  /** "<documentId>#<index of the first sentence among the document's sentences under the sentence rule>" */
  id: string;
  documentId: string;
  /** its document's category (PassageSource.category); absent when the corpus has none */
  category?: string;
  sentences: string[];
  /** the sentences joined with single spaces: what is embedded as "the passage" */
  text: string;
}

/**
 * The one sentence definition of both passage selectors: "prose" (document_sentences.sentenceRuns). It is the rule that fits
 * notebook 03's corpora: in Gutenberg, Brown, WikiText and BBC it leaves out title pages, bylines, headings, contents lines and
 * captions, which are structure, not sentences of the text; an arXiv abstract is one paragraph, which prose keeps whole (975 of
 * the 1,000 abstracts, the same sentences as "plain") unless it does not end like a sentence (25, mostly a closing code URL),
 * and then leaves out, as it would a heading. So passages and whole documents count sentences the same way, and a passage's
 * id index means the same in both. `sentenceRule: "plain"` (every sentence) remains for a caller that needs every sentence.
 */
export const PASSAGE_SENTENCE_RULE: SentenceRule = "prose";

export interface PassageSentenceOptions {
  /** which sentences of a document count (default PASSAGE_SENTENCE_RULE, "prose") */
  sentenceRule?: SentenceRule;
}

export interface PassageOptions extends PassageSentenceOptions {
  sentencesPerPassage: number;
  maxPassagesPerDocument: number;
  seed: number;
  /** keep only passages whose text has at most this many word pieces (needs countTokens) */
  maxTokens?: number;
  /** word pieces of each text, special tokens included (e.g. EmbeddingModel.countTokens) */
  countTokens?: (texts: string[]) => number[];
}

function makePassage(document: PassageSource, start: number, sentences: string[]): Passage {
  const category = document.category === undefined ? {} : { category: document.category };
  return {
    id: `${document.id}#${start}`,
    documentId: document.id,
    ...category,
    sentences,
    text: joinSentences(sentences),
  };
}

export function passagesOf(documents: readonly PassageSource[], options: PassageOptions): Passage[] {
  const { sentencesPerPassage: size, maxPassagesPerDocument } = options;
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`passagesOf: sentencesPerPassage must be a positive integer, got ${size}`);
  if (!Number.isInteger(maxPassagesPerDocument) || maxPassagesPerDocument < 0) {
    throw new Error(`passagesOf: maxPassagesPerDocument must be a non-negative integer, got ${maxPassagesPerDocument}`);
  }
  const budget = tokenBudget(options.maxTokens, options.countTokens, "passagesOf");
  const fits = (text: string) => budget([text])[0];
  const passages: Passage[] = [];
  for (const document of documents) {
    // sentences numbered across the whole document; a candidate start must have `size` sentences left in its run
    const sentences: string[] = [];
    const starts: number[] = [];
    for (const run of sentenceRuns(document.text, options.sentenceRule ?? PASSAGE_SENTENCE_RULE)) {
      const runStart = sentences.length;
      const runSentences = run.flat();
      let offset = 0;
      for (const paragraph of run) {
        if (runSentences.length - offset >= size) starts.push(runStart + offset);
        offset += paragraph.length;
      }
      sentences.push(...runSentences);
    }
    const rng = seededRandom((options.seed ^ crc32(document.id)) >>> 0);
    const taken: number[] = [];
    for (const start of shuffle(starts, rng)) {
      if (taken.length >= maxPassagesPerDocument) break;
      if (taken.some((other) => Math.abs(other - start) < size)) continue;
      const text = joinSentences(sentences.slice(start, start + size));
      if (!fits(text)) continue;
      taken.push(start);
    }
    for (const start of taken.sort((a, b) => a - b)) {
      passages.push(makePassage(document, start, sentences.slice(start, start + size)));
    }
  }
  return passages;
}

/** wholeDocumentPassages counts every sentence the rule gives: minWords does not apply. */
export type WholeDocumentPassageOptions = Omit<WholeDocumentOptions, "minWords"> & PassageSentenceOptions;

/** One passage per document holding all its sentences (PASSAGE_SENTENCE_RULE: all its prose paragraphs). */
export function wholeDocumentPassages(
  documents: readonly PassageSource[],
  options: WholeDocumentPassageOptions = {},
): Passage[] {
  const minSentences = options.minSentences ?? 2;
  const budget = tokenBudget(options.maxTokens, options.countTokens, "wholeDocumentPassages");
  const fits = (text: string) => budget([text])[0];
  const passages: Passage[] = [];
  for (const document of documents) {
    const sentences = sentenceRuns(document.text, options.sentenceRule ?? PASSAGE_SENTENCE_RULE).flat(2);
    if (sentences.length < minSentences || !fits(joinSentences(sentences))) continue;
    passages.push(makePassage(document, 0, sentences));
  }
  return passages;
}

/** A seeded sample of `count` passages kept in their given order (all of them when there are no more than count). */
export function samplePassages(passages: readonly Passage[], count: number, seed: number): Passage[] {
  return sampleInOrder(passages, count, seededRandom(seed));
}
