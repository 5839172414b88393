/**
 * The lexical analyzer of our BM25: text → index terms, close to Lucene's EnglishAnalyzer (what Anserini's BM25 baselines use):
 *   1. tokens: runs of letters, marks, digits and "_" (Unicode), kept together across one inner "." or apostrophe
 *      ("e.g.", "don't", "3.5") and across "," between digits ("1,000"); everything else separates. A simplification of
 *      Lucene's StandardTokenizer (Unicode UAX #29 word breaks), which also splits "covid-19" into "covid" and "19".
 *   2. lower case; a trailing possessive 's (or ’s) is removed, as Lucene's EnglishPossessiveFilter does;
 *   3. Lucene's default English stopwords (33 words) are dropped;
 *   4. Porter stemming (./porter_stemmer.ts, Lucene's PorterStemFilter algorithm).
 */
import { porterStem } from "./porter_stemmer";

/** Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "but",
  "by",
  "for",
  "if",
  "in",
  "into",
  "is",
  "it",
  "no",
  "not",
  "of",
  "on",
  "or",
  "such",
  "that",
  "the",
  "their",
  "then",
  "there",
  "these",
  "they",
  "this",
  "to",
  "was",
  "will",
  "with",
]);

const TOKEN = /[\p{L}\p{M}\p{N}_]+(?:(?:['’.][\p{L}\p{M}\p{N}_]+)|(?:,\p{N}+))*/gu;
const POSSESSIVE = /['’]s$/;

/** Lower-cased word tokens before stopwords and stemming (step 1 and 2 of the file comment). */
export function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().matchAll(TOKEN)) tokens.push(match[0].replace(POSSESSIVE, ""));
  return tokens;
}

/** Index terms of a text, in order, repeated as often as they occur. */
export function analyzeText(text: string): string[] {
  const terms: string[] = [];
  for (const token of wordTokens(text)) {
    if (token === "" || ENGLISH_STOPWORDS.has(token)) continue;
    terms.push(porterStem(token));
  }
  return terms;
}
