/**
 * Notebook 02's data: from each corpus, disjoint blocks of consecutive sentences that fit the model (`sentenceWindows`), which
 * `measurePooledMpd` then pools in groups of k. The per-corpus choices live here, each with its reason:
 *   bbc        the quarter held out from the mini encoder's training (its other three quarters were training text);
 *   gutenberg  a seeded sample of books (`gutenbergLimit`) and the first and last 10% of each book's sentences left out (front
 *              matter, tables of contents, licence text and indexes are not prose);
 *   others     every document, nothing left out.
 */
import { loadCorpus, type CorpusName } from "../text/corpora";
import { describeSelection, sentenceWindows, type SentenceText } from "./sentence_units";

export interface SentenceBlockOptions {
  /** sentences per block */
  blockSize: number;
  /** blocks wanted from each corpus (fewer when the corpus has fewer that fit) */
  blocksPerCorpus: number;
  seed: number;
  /** Gutenberg books to sample (default: all) */
  gutenbergLimit?: number;
  countTokens: (texts: string[]) => number[];
  /** blocks longer than this many word pieces are skipped */
  maxTokens: number;
}

/** Gutenberg's share of sentences left out at each end of a book */
const GUTENBERG_EDGES = 0.1;

/** Each corpus's blocks, and one line per corpus saying what was selected and skipped. */
export function sentenceBlocksByCorpus(
  corpora: readonly CorpusName[],
  options: SentenceBlockOptions,
): { blocks: Map<CorpusName, SentenceText[]>; lines: string[] } {
  const blocks = new Map<CorpusName, SentenceText[]>();
  const lines: string[] = [];
  for (const name of corpora) {
    const documents = loadCorpus(
      name,
      name === "bbc"
        ? { heldOut: true }
        : name === "gutenberg"
          ? { limit: options.gutenbergLimit, seed: options.seed }
          : {},
    );
    const { windows, report } = sentenceWindows(documents, {
      count: options.blocksPerCorpus,
      sentencesPerWindow: options.blockSize,
      seed: options.seed,
      countTokens: options.countTokens,
      maxTokens: options.maxTokens,
      skipEdges: name === "gutenberg" ? GUTENBERG_EDGES : 0,
    });
    blocks.set(name, windows);
    lines.push(
      `${describeSelection(`${name} (${documents.length} documents)`, report)} → ${windows.length * options.blockSize} sentences`,
    );
  }
  return { blocks, lines };
}
