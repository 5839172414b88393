/**
 * Okapi BM25, the lexical baseline of the retrieval benchmarks. Our own small implementation: the npm packages we checked
 * are not the standard formula (okapibm25 matches terms as substrings with an unescaped RegExp; wink-bm25-text-search rounds
 * each term's weight to 4 decimals and leaves ties in engine order).
 *
 *   score(q, d) = Σ_{t ∈ q} qtf(t) · idf(t) · tf(t,d)·(k1 + 1) / (tf(t,d) + k1·(1 − b + b·|d| / avgdl))
 *   idf(t)      = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5))            (Lucene's, never negative)
 *
 * qtf(t) counts a term repeated in the query (as Anserini's bag-of-words queries do), |d| is the number of index terms of d
 * after analysis and avgdl their mean over the corpus. Defaults k1 = 0.9, b = 0.4 (Anserini's BEIR baselines; 1.2 / 0.75 is
 * the textbook choice). Terms come from ./text_analyzer.ts (lower case, word split, Lucene's 33 English stopwords, Porter
 * stemming). Differences from Lucene that remain: exact document lengths (Lucene stores them in one lossy byte) and the
 * simpler tokenizer; the (k1 + 1) factor that Lucene 8+ drops scales all scores alike and changes no ranking.
 */
import { topK, type Hit } from "./ranking";
import { analyzeText } from "./text_analyzer";

export interface Bm25Options {
  /** term-frequency saturation (default 0.9) */
  k1?: number;
  /** length normalisation, 0 … 1 (default 0.4) */
  b?: number;
  /** text → index terms (default analyzeText) */
  analyze?: (text: string) => string[];
}

export const BM25_DEFAULTS = { k1: 0.9, b: 0.4 } as const;

export interface LexicalDocument {
  id: string;
  text: string;
}

interface Posting {
  /** document rows holding the term, ascending */
  docs: number[];
  /** the term's count in each of those documents */
  counts: number[];
}

export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  readonly ids: string[];
  readonly averageLength: number;
  private readonly lengths: Float64Array;
  private readonly postings = new Map<string, Posting>();
  private readonly analyze: (text: string) => string[];

  constructor(documents: readonly LexicalDocument[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? BM25_DEFAULTS.k1;
    this.b = options.b ?? BM25_DEFAULTS.b;
    if (!(this.k1 >= 0)) throw new Error(`BM25: k1 must be ≥ 0, got ${this.k1}`);
    if (!(this.b >= 0 && this.b <= 1)) throw new Error(`BM25: b must be in [0, 1], got ${this.b}`);
    this.analyze = options.analyze ?? analyzeText;
    this.ids = documents.map((d) => d.id);
    this.lengths = new Float64Array(documents.length);
    let totalLength = 0;
    documents.forEach((document, row) => {
      const terms = this.analyze(document.text);
      this.lengths[row] = terms.length;
      totalLength += terms.length;
      for (const [term, count] of countTerms(terms)) {
        let posting = this.postings.get(term);
        if (posting === undefined) this.postings.set(term, (posting = { docs: [], counts: [] }));
        posting.docs.push(row);
        posting.counts.push(count);
      }
    });
    this.averageLength = documents.length > 0 ? totalLength / documents.length : 0;
  }

  get size(): number {
    return this.ids.length;
  }

  /** ln(1 + (N − n + 0.5) / (n + 0.5)) for a term in n of the N documents (0 documents: the largest value). */
  idf(term: string): number {
    const n = this.postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /** The BM25 score of every document (in corpus order) for one query text. */
  scores(query: string): Float64Array {
    const scores = new Float64Array(this.size);
    for (const [term, queryCount] of countTerms(this.analyze(query))) {
      const posting = this.postings.get(term);
      if (posting === undefined) continue;
      const weight = queryCount * this.idf(term) * (this.k1 + 1);
      for (let p = 0; p < posting.docs.length; p++) {
        const row = posting.docs[p];
        const tf = posting.counts[p];
        const norm = this.k1 * (1 - this.b + (this.b * this.lengths[row]) / this.averageLength);
        scores[row] += (weight * tf) / (tf + norm);
      }
    }
    return scores;
  }

  /**
   * The k best documents for a query, score descending then id ascending (./ranking.ts). Documents that share no term with
   * the query score 0 and can fill the list after the matching ones, as in a dense search: a run always has k rows.
   */
  search(query: string, k: number): Hit[] {
    return topK(this.scores(query), this.ids, Math.min(k, Math.max(this.size, 1)));
  }
}

function countTerms(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
