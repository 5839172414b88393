/**
 * A document as its sentences: the one place where the experiments turn a corpus document into a list of sentences.
 *
 * - `plainSentences`: every sentence of the text (splitSentences: blank lines end a sentence, nothing is dropped);
 * - `proseSentences`: the sentences of prose paragraphs only, in reading order; `proseRuns` gives the same sentences grouped
 *   into paragraphs and into runs of consecutive prose paragraphs (a non-prose paragraph ends a run);
 * - `sentenceRuns`: either rule ("prose" or "plain", a `SentenceRule`) in proseRuns' shape;
 * - `withMinWords`: drops sentences under a number of words (headings, speaker names in plays, "CHAPTER I.");
 * - `documentSentences`: a document's plain sentences with at least `minWords` words (default 3);
 * - `joinSentences`: the text of a list of sentences, joined with single spaces, so "the whole text" and "its sentences" hold
 *   exactly the same words.
 *
 * A paragraph counts as prose when it has a lowercase letter and ends like a sentence (. ! ? … optionally followed by closing
 * quotes or brackets); everything else (a heading, byline, table of contents line or footnote marker) is structure, not text.
 *
 * Every sentence these return is trimmed with its inner whitespace collapsed to single spaces (splitSentences does that), so
 * a word count is the number of spaces plus one.
 */
import type { Document } from "./corpora";
import { splitParagraphs, splitSentences } from "./sentences";

/** A document given by its sentences in reading order. */
export interface SentenceDocument {
  id: string;
  sentences: string[];
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

/**
 * Which sentences of a text count: "prose" (the sentences of its prose paragraphs: proseRuns) or "plain" (every sentence:
 * plainSentences).
 */
export type SentenceRule = "prose" | "plain";

/**
 * The text's sentences under `rule`, grouped like proseRuns (runs of paragraphs, each paragraph as its sentences): "prose" is
 * proseRuns; "plain" is one run of every paragraph. Flattened, "plain" gives plainSentences(text) and "prose" proseSentences(text).
 */
export function sentenceRuns(text: string, rule: SentenceRule): string[][][] {
  if (rule === "prose") return proseRuns(text);
  if (rule !== "plain") throw new Error(`sentenceRuns: unknown sentence rule "${String(rule)}" (known: prose, plain)`);
  const paragraphs = splitParagraphs(text)
    .map((paragraph) => splitSentences(paragraph))
    .filter((sentences) => sentences.length > 0);
  return paragraphs.length === 0 ? [] : [paragraphs];
}

/** The sentences of the text's prose paragraphs, in reading order (proseRuns, flattened). */
export function proseSentences(text: string): string[] {
  return proseRuns(text).flat(2);
}

/** Every sentence of the text, prose or not. */
export function plainSentences(text: string): string[] {
  return splitSentences(text);
}

/** The sentences with at least minWords words. */
export function withMinWords(sentences: readonly string[], minWords: number): string[] {
  return sentences.filter((s) => wordCount(s) >= minWords);
}

/** Sentences of a document with at least minWords words (default 3). */
export function documentSentences(doc: Document, minWords = 3): string[] {
  return withMinWords(plainSentences(doc.text), minWords);
}

/** The text of a list of sentences: joined with single spaces. */
export function joinSentences(sentences: readonly string[]): string {
  return sentences.join(" ");
}

/** Whitespace-separated words of a sentence (0 for a blank one). */
export function wordCount(sentence: string): number {
  const trimmed = sentence.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/).length;
}

/** A sentence with runs of whitespace collapsed to single spaces and the ends trimmed. */
export function normalizeSpaces(sentence: string): string {
  return sentence.replace(/\s+/g, " ").trim();
}

/**
 * Documents as SentenceDocuments, split by `split`; sentences are whitespace-normalised, empty ones dropped, and documents
 * left with no sentence dropped.
 */
export function toSentenceDocuments(
  documents: readonly Document[],
  split: (text: string) => string[],
): SentenceDocument[] {
  return documents
    .map((d) => ({
      id: d.id,
      sentences: split(d.text)
        .map(normalizeSpaces)
        .filter((s) => s !== ""),
    }))
    .filter((d) => d.sentences.length > 0);
}
