/**
 * Passages: the unit of text when a corpus's documents are too long (or too uneven) to be compared as wholes.
 *
 * A passage is `sentencesPerPassage` consecutive sentences of one document, starting at the first sentence of a paragraph and
 * running on across paragraph breaks, but never across a non-prose paragraph (a heading, byline, table of contents line or
 * footnote marker), because those are structure, not text. A paragraph counts as prose when it has a lowercase letter and
 * ends like a sentence (. ! ? … optionally followed by closing quotes or brackets); everything else splits the document into
 * separate runs of prose.
 *
 * Per document, candidate starts are visited in a seeded random order (the stream depends on the seed and the document id
 * only, so a document gets the same passages whatever other documents are passed); a candidate is kept when it does not
 * overlap a passage already kept and, with `maxTokens`, when its text has at most that many word pieces. Up to
 * `maxPassagesPerDocument` are kept and returned in reading order. A document with no candidate contributes nothing.
 *
 * `wholeDocumentPassages` is the other unit: one passage per document with all its sentences (arXiv abstracts).
 */
import { crc32 } from "../text/corpora";
import { splitParagraphs, splitSentences } from "../text/sentences";
import { sampleWithoutReplacement, seededRandom, shuffle } from "../util/random";

export interface PassageSource {
  id: string;
  text: string;
}

export interface Passage {
  /** "<documentId>#<index of the first sentence among the document's prose sentences>" */
  id: string;
  documentId: string;
  sentences: string[];
  /** the sentences joined with single spaces: what is embedded as "the passage" */
  text: string;
}

export interface PassageOptions {
  sentencesPerPassage: number;
  maxPassagesPerDocument: number;
  seed: number;
  /** keep only passages whose text has at most this many word pieces (needs countTokens) */
  maxTokens?: number;
  /** word pieces of each text, special tokens included (e.g. EmbeddingModel.countTokens) */
  countTokens?: (texts: string[]) => number[];
}

export interface WholeDocumentOptions {
  /** documents with fewer sentences are skipped (default 2: one sentence has no shift) */
  minSentences?: number;
  maxTokens?: number;
  countTokens?: (texts: string[]) => number[];
}

const SENTENCE_END = /[.!?…]["'”’)\]}»]*$/u;

/** True for a paragraph that reads as running text rather than a heading, byline or marker. */
export function isProseParagraph(paragraph: string): boolean {
  return /\p{Ll}/u.test(paragraph) && SENTENCE_END.test(paragraph.trim());
}

/**
 * The document's prose as runs of consecutive prose paragraphs, each paragraph as its sentences. A non-prose paragraph
 * ends the current run.
 */
export function proseRuns(text: string): string[][][] {
  const runs: string[][][] = [];
  let current: string[][] = [];
  for (const paragraph of splitParagraphs(text)) {
    if (isProseParagraph(paragraph)) {
      const sentences = splitSentences(paragraph);
      if (sentences.length > 0) current.push(sentences);
      continue;
    }
    if (current.length > 0) runs.push(current);
    current = [];
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

export function passagesOf(documents: readonly PassageSource[], options: PassageOptions): Passage[] {
  const { sentencesPerPassage: size, maxPassagesPerDocument } = options;
  if (!Number.isInteger(size) || size < 1) throw new Error(`passagesOf: sentencesPerPassage must be a positive integer, got ${size}`);
  if (!Number.isInteger(maxPassagesPerDocument) || maxPassagesPerDocument < 0) {
    throw new Error(`passagesOf: maxPassagesPerDocument must be a non-negative integer, got ${maxPassagesPerDocument}`);
  }
  const fits = tokenBudget(options.maxTokens, options.countTokens, "passagesOf");
  const passages: Passage[] = [];
  for (const document of documents) {
    // sentences numbered across the whole document's prose; a candidate start must have `size` sentences left in its run
    const sentences: string[] = [];
    const starts: number[] = [];
    for (const run of proseRuns(document.text)) {
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
      const text = sentences.slice(start, start + size).join(" ");
      if (!fits(text)) continue;
      taken.push(start);
    }
    for (const start of taken.sort((a, b) => a - b)) {
      const chosen = sentences.slice(start, start + size);
      passages.push({ id: `${document.id}#${start}`, documentId: document.id, sentences: chosen, text: chosen.join(" ") });
    }
  }
  return passages;
}

/** One passage per document holding all its sentences (all paragraphs, prose or not). */
export function wholeDocumentPassages(documents: readonly PassageSource[], options: WholeDocumentOptions = {}): Passage[] {
  const minSentences = options.minSentences ?? 2;
  const fits = tokenBudget(options.maxTokens, options.countTokens, "wholeDocumentPassages");
  const passages: Passage[] = [];
  for (const document of documents) {
    const sentences = splitSentences(document.text);
    const text = sentences.join(" ");
    if (sentences.length < minSentences || !fits(text)) continue;
    passages.push({ id: `${document.id}#0`, documentId: document.id, sentences, text });
  }
  return passages;
}

/** A seeded sample of `count` passages kept in their given order (all of them when there are no more than count). */
export function samplePassages(passages: readonly Passage[], count: number, seed: number): Passage[] {
  if (count >= passages.length) return passages.slice();
  const picked = sampleWithoutReplacement(passages.map((_, i) => i), count, seededRandom(seed));
  return picked.sort((a, b) => a - b).map((i) => passages[i]);
}

function tokenBudget(
  maxTokens: number | undefined,
  countTokens: ((texts: string[]) => number[]) | undefined,
  caller: string,
): (text: string) => boolean {
  if (maxTokens === undefined) return () => true;
  if (!countTokens) throw new Error(`${caller}: maxTokens needs countTokens (e.g. model.countTokens)`);
  return (text) => countTokens([text])[0] <= maxTokens;
}
