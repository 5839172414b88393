/**
 * A segmentation of a document of n sentences, in the one form every chunker returns and every metric reads:
 * `boundaries`, the sorted sentence indices where each chunk after the first starts (each in 1 … n − 1). The first chunk
 * always starts at 0, so [] is "one chunk" and [1, 2, …, n − 1] is "every sentence its own chunk".
 *
 * Other forms, for reading and for comparison with other tools:
 * - chunk sizes in sentences (`chunkSizes`, `boundariesFromSizes`);
 * - chunk ranges { start, end } with `end` exclusive (`chunkRanges`);
 * - NLTK's boundary strings (`toBoundaryString`, `fromBoundaryString`): one character per GAP between adjacent sentences,
 *   n − 1 characters, "1" where a chunk starts after the gap. With one character per gap, NLTK's `pk` and `windowdiff` are
 *   exactly Beeferman's and Pevzner & Hearst's definitions (a string of one character per sentence adds a spurious last
 *   window); see metrics.ts.
 */

export interface ChunkRange {
  /** first sentence of the chunk */
  start: number;
  /** one past its last sentence */
  end: number;
}

/** Throws unless the boundaries are integers strictly increasing within 1 … n − 1. */
export function checkBoundaries(n: number, boundaries: readonly number[], what = "boundaries"): void {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${what}: the document length must be a whole number ≥ 0, got ${n}`);
  let previous = 0;
  for (const b of boundaries) {
    if (!Number.isInteger(b) || b <= previous || b >= n) {
      throw new Error(
        `${what}: ${JSON.stringify(boundaries)} must be increasing whole numbers in 1 … ${n - 1} (n = ${n} sentences)`,
      );
    }
    previous = b;
  }
}

/** Chunk sizes in sentences (they sum to n); [] for an empty document. */
export function chunkSizes(n: number, boundaries: readonly number[]): number[] {
  return chunkRanges(n, boundaries).map((c) => c.end - c.start);
}

/** The boundaries of consecutive chunks of the given sizes (each ≥ 1). */
export function boundariesFromSizes(sizes: readonly number[]): number[] {
  const boundaries: number[] = [];
  let start = 0;
  sizes.forEach((size, i) => {
    if (!Number.isInteger(size) || size < 1) throw new Error(`boundariesFromSizes: chunk ${i} has size ${size}`);
    start += size;
    if (i < sizes.length - 1) boundaries.push(start);
  });
  return boundaries;
}

/** The chunks as sentence ranges, in order; [] for an empty document. */
export function chunkRanges(n: number, boundaries: readonly number[]): ChunkRange[] {
  checkBoundaries(n, boundaries);
  if (n === 0) return [];
  const starts = [0, ...boundaries];
  return starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1] : n }));
}

/** Mean chunk size in sentences: n / (number of chunks). */
export function meanChunkSize(n: number, boundaries: readonly number[]): number {
  return n === 0 ? 0 : n / (boundaries.length + 1);
}

/** NLTK's form: n − 1 characters, one per gap between sentences i and i + 1, `boundary` where a chunk starts at i + 1. */
export function toBoundaryString(n: number, boundaries: readonly number[], boundary = "1", none = "0"): string {
  checkBoundaries(n, boundaries);
  const gaps: string[] = new Array(Math.max(0, n - 1)).fill(none);
  for (const b of boundaries) gaps[b - 1] = boundary;
  return gaps.join("");
}

/** The inverse of toBoundaryString: a string of g gap characters is a document of g + 1 sentences. */
export function fromBoundaryString(gaps: string, boundary = "1"): { n: number; boundaries: number[] } {
  const boundaries: number[] = [];
  for (let i = 0; i < gaps.length; i++) if (gaps[i] === boundary) boundaries.push(i + 1);
  return { n: gaps.length + 1, boundaries };
}
