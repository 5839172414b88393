/**
 * Corpora as sentence documents, and plain passages of them (notebooks 04 and 05): the units of sentence_units.ts start from
 * corpus documents; these start from a corpus name and give `SentenceDocument`s (an id and its sentences), which
 * experiments/construct.ts rebuilds into texts of controlled length and shift.
 *
 * | selector | unit | result | used by |
 * | --- | --- | --- | --- |
 * | `loadSentenceDocuments` | a corpus as SentenceDocuments (prose sentences; arXiv: plain) | `SentenceDocument` | notebooks 04, 05 |
 * | `plainPassages` | one run of consecutive sentences per SentenceDocument, cut to a token limit | the joined text | notebook 05 |
 */
import { loadCorpus } from "../text/corpora";
import {
  joinSentences,
  plainSentences,
  proseSentences,
  toSentenceDocuments,
  withMinWords,
  type SentenceDocument,
} from "../text/document_sentences";
import { sampleInOrder, sampleWithoutReplacement, seededRandom } from "../util/random";
import { tokenBudget } from "./token_budget";

/** The corpora the two notebooks draw from; "brown-fiction" is the Brown Corpus' six fiction genres. */
export const SENTENCE_CORPORA = ["arxiv", "brown-fiction", "brown", "gutenberg", "wikitext", "bbc"] as const;
export type SentenceCorpus = (typeof SENTENCE_CORPORA)[number];

export const BROWN_FICTION_GENRES = ["fiction", "adventure", "mystery", "romance", "science_fiction", "humor"];

export interface SentenceCorpusOptions {
  /** keep at most this many documents (a seeded sample) */
  limit?: number;
  seed?: number;
  /** gutenberg: characters kept per book (default 60,000: a few hundred sentences, enough for k = 32) */
  maxChars?: number;
}

/**
 * A corpus as documents of sentences. arXiv: the abstract's sentences (title left out). Brown, Gutenberg, WikiText, BBC: the
 * sentences of prose paragraphs only (document_sentences.proseSentences: headings, bylines and contents lines dropped), in reading order.
 * Gutenberg also drops sentences under 3 words (speaker names in plays, "Chapter I."). BBC: the quarter held out from the
 * mini encoder's training.
 */
export function loadSentenceDocuments(corpus: SentenceCorpus, options: SentenceCorpusOptions = {}): SentenceDocument[] {
  const sample = { limit: options.limit, seed: options.seed };
  switch (corpus) {
    case "arxiv":
      return toSentenceDocuments(loadCorpus("arxiv", sample), plainSentences);
    case "brown-fiction": {
      const fiction = loadCorpus("brown").filter((d) => BROWN_FICTION_GENRES.includes(d.category ?? ""));
      return toSentenceDocuments(seededSample(fiction, options.limit, options.seed), proseSentences);
    }
    case "brown":
      return toSentenceDocuments(loadCorpus("brown", sample), proseSentences);
    case "gutenberg": {
      const books = loadCorpus("gutenberg", { ...sample, maxChars: options.maxChars ?? 60_000 });
      return toSentenceDocuments(books, (text) => withMinWords(proseSentences(text), 3));
    }
    case "wikitext":
      return toSentenceDocuments(loadCorpus("wikitext", sample), proseSentences);
    case "bbc":
      return toSentenceDocuments(loadCorpus("bbc", { ...sample, heldOut: true }), proseSentences);
    default:
      throw new Error(`loadSentenceDocuments: unknown corpus "${corpus}" (known: ${SENTENCE_CORPORA.join(", ")})`);
  }
}

function seededSample<T>(items: T[], limit: number | undefined, seed = 0): T[] {
  return limit === undefined ? items : sampleInOrder(items, limit, seededRandom(seed));
}

export interface PlainPassageOptions {
  count: number;
  /** sentences per passage (default 8; a document with fewer gives all of its sentences) */
  sentencesPerPassage?: number;
  seed: number;
  /** passages over this many word pieces lose trailing sentences until they fit (needs countTokens) */
  maxTokens?: number;
  countTokens?: (texts: string[]) => number[];
}

/**
 * Plain text of a corpus, for the corpus-level MPD: up to `count` passages of consecutive sentences, at most one per document,
 * each from a seeded random start (documents drawn in a seeded random order). arXiv: with 8 sentences, about a whole abstract.
 */
export function plainPassages(documents: SentenceDocument[], options: PlainPassageOptions): string[] {
  const size = options.sentencesPerPassage ?? 8;
  const fits = tokenBudget(options.maxTokens, options.countTokens, "plainPassages");
  const rng = seededRandom(options.seed);
  const order = sampleWithoutReplacement(
    documents.map((_, i) => i),
    Math.min(options.count, documents.length),
    rng,
  );
  return order.map((di) => {
    const sentences = documents[di].sentences;
    const start = sentences.length > size ? Math.floor(rng() * (sentences.length - size + 1)) : 0;
    let chosen = sentences.slice(start, start + size);
    while (chosen.length > 1 && !fits([joinSentences(chosen)])[0]) chosen = chosen.slice(0, -1);
    return joinSentences(chosen);
  });
}
