/**
 * Long documents for chunked retrieval (chunked_retrieval.ts), and the queries with known targets asked of them.
 *
 * - `gutenbergChapters`: each Gutenberg book cut at its chapter headings (a line that starts with "CHAPTER" or "Chapter" and a
 *   Roman or Arabic number). A table of contents gives heading lines with almost no text between them; the `minSentences`
 *   filter drops those "chapters". Books without such headings give none.
 * - `longDocuments`: WikiText-2 test articles (their sentences in order, from wikitextSections, so the segmentation benchmark
 *   and this set share sentence texts and the embedding cache), and `chaptersPerBook` chapters of each of `books` Gutenberg
 *   books (seeded), each document kept when it has at least `minSentences` sentences and cut to its first L sentences, L
 *   drawn uniformly from minSentences … min(its length, maxSentences).
 *   Chapters of one book share characters, style and vocabulary, so they are one another's hard distractors.
 * - `holdOutQueries`: from each document, `queriesPerDocument` sentences of at least `minWords` words, drawn at random away
 *   from the first and last sentence and occurring once in it, are REMOVED from the document and become queries whose target is that document
 *   ("which document contains this passage"). A chunker then sees only the rest, so a query can never match itself.
 */
import { loadCorpus } from "../text/corpora";
import { documentSentences, wordCount } from "../text/document_sentences";
import { randomInt, sampleInOrder, sampleWithoutReplacement, seededRandom } from "../util/random";
import { wikitextSections } from "./benchmarks";

export interface LongDocument {
  id: string;
  source: "wikitext" | "gutenberg";
  sentences: string[];
}

const CHAPTER_HEADING = /^\s*(CHAPTER|Chapter)\s+([IVXLCDM]+|\d+)\b/;

/** Every chapter (between consecutive chapter headings) of every Gutenberg book, with at least minSentences sentences. */
export function gutenbergChapters(options: { minSentences?: number } = {}): LongDocument[] {
  const minSentences = options.minSentences ?? 20;
  return loadCorpus("gutenberg").flatMap((book) => {
    const lines = book.text.split("\n");
    const starts = lines.flatMap((line, i) => (CHAPTER_HEADING.test(line) ? [i] : []));
    return starts
      .map((start, c) => {
        const body = lines.slice(start + 1, c + 1 < starts.length ? starts[c + 1] : lines.length).join("\n");
        return {
          id: `${book.id}-chapter-${c}`,
          source: "gutenberg" as const,
          sentences: documentSentences({ id: book.id, text: body, source: "gutenberg" }),
        };
      })
      .filter((d) => d.sentences.length >= minSentences);
  });
}

export interface LongDocumentOptions {
  /** WikiText articles drawn at random, or these article ids (e.g. a segmentation benchmark's; those under minSentences are left out) */
  wikitext: number | readonly string[];
  /** Gutenberg books drawn at random, and chapters drawn from each: chapters of one book are each other's hardest distractors */
  books: number;
  chaptersPerBook: number;
  seed: number;
  /** keep documents with at least this many sentences (default 20) */
  minSentences?: number;
  /** cut each document to at most this many sentences (default 120; see the header) */
  maxSentences?: number;
}

/** A seeded sample of WikiText articles and Gutenberg chapters (see the header). */
export function longDocuments(options: LongDocumentOptions): LongDocument[] {
  const { minSentences = 20, maxSentences = 120, chaptersPerBook } = options;
  const rng = seededRandom(options.seed);
  // a length breakdown needs lengths spread over the range: long sources would otherwise all sit at the cap
  const cut = (d: LongDocument): LongDocument => {
    const longest = Math.min(d.sentences.length, maxSentences);
    return { ...d, sentences: d.sentences.slice(0, minSentences + randomInt(rng, longest - minSentences + 1)) };
  };
  const articles = wikitextSections()
    .map((d): LongDocument => ({ id: d.id, source: "wikitext", sentences: d.sentences }))
    .filter((d) => d.sentences.length >= minSentences);
  const wanted = options.wikitext;
  const pickedArticles =
    typeof wanted === "number" ? sampleInOrder(articles, wanted, rng) : articles.filter((d) => wanted.includes(d.id));
  if (typeof wanted === "number" && pickedArticles.length !== wanted)
    throw new Error(
      `longDocuments: ${articles.length} WikiText articles have ≥ ${minSentences} sentences, asked for ${wanted}`,
    );
  const byBook = new Map<string, LongDocument[]>();
  for (const chapter of gutenbergChapters({ minSentences })) {
    const book = chapter.id.replace(/-chapter-\d+$/, "");
    byBook.set(book, [...(byBook.get(book) ?? []), chapter]);
  }
  const books = [...byBook.values()].filter((own) => own.length >= chaptersPerBook);
  if (books.length < options.books)
    throw new Error(
      `longDocuments: ${books.length} books have ${chaptersPerBook} chapters of ≥ ${minSentences} sentences, asked for ${options.books}`,
    );
  const chapters = sampleInOrder(books, options.books, rng).flatMap((own) => sampleInOrder(own, chaptersPerBook, rng));
  return [...pickedArticles, ...chapters].map(cut);
}

export interface HeldOutDocument extends LongDocument {
  /** the held-out sentences (the queries), in document order; removed from `sentences` */
  queries: string[];
  /** where each query stood in the original document */
  heldOutAt: number[];
}

/** Removes `queriesPerDocument` sentences of ≥ minWords words from each document; they become its queries. */
export function holdOutQueries(
  documents: readonly LongDocument[],
  options: { seed: number; queriesPerDocument?: number; minWords?: number },
): HeldOutDocument[] {
  const { queriesPerDocument = 1, minWords = 8 } = options;
  const rng = seededRandom(options.seed);
  return documents.map((d) => {
    const count = new Map<string, number>();
    for (const s of d.sentences) count.set(s, (count.get(s) ?? 0) + 1);
    // a sentence that occurs twice would still be in the document after it was held out
    const candidates = d.sentences
      .map((_, i) => i)
      .filter(
        (i) =>
          i > 0 &&
          i < d.sentences.length - 1 &&
          wordCount(d.sentences[i]) >= minWords &&
          count.get(d.sentences[i]) === 1,
      );
    if (candidates.length < queriesPerDocument)
      throw new Error(`holdOutQueries: ${d.id} has ${candidates.length} sentences of ≥ ${minWords} words inside it`);
    const heldOutAt = sampleWithoutReplacement(candidates, queriesPerDocument, rng).sort((a, b) => a - b);
    const held = new Set(heldOutAt);
    return {
      ...d,
      sentences: d.sentences.filter((_, i) => !held.has(i)),
      queries: heldOutAt.map((i) => d.sentences[i]),
      heldOutAt,
    };
  });
}
