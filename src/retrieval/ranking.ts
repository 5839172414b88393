/**
 * Ranked hits and the top-k selection shared by every retriever here (BM25 and dense search).
 *
 * Order: score descending, then document id ascending (JavaScript string order, i.e. UTF-16 code units; the same as byte
 * order for ASCII ids), so a run is the same on every machine and backend up to float rounding. trec_eval and pytrec_eval
 * re-sort runs by score descending then docno DESCENDING when they score them (see ir_metrics.ts), so exact ties may be
 * ranked the other way round at evaluation; we keep ascending ids because that is what a reader expects to see.
 */

export interface Hit {
  docId: string;
  score: number;
}

/** Negative when a ranks before b: higher score first, then the smaller id. */
export function compareHits(a: Hit, b: Hit): number {
  if (a.score !== b.score) return b.score > a.score ? 1 : -1;
  return a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : 0;
}

/**
 * The k best of scores[i] for document ids[i], in ranking order. NaN scores are an error (a bug upstream, never silently
 * ranked last). Keeps a bounded min-heap of the current best, so the cost is O(n log k).
 */
export function topK(scores: ArrayLike<number>, ids: readonly string[], k: number): Hit[] {
  if (scores.length !== ids.length) throw new Error(`topK: ${scores.length} scores for ${ids.length} ids`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`topK: k must be a positive integer, got ${k}`);
  // heap[0] is the worst hit kept so far
  const heap: Hit[] = [];
  const worse = (a: Hit, b: Hit) => compareHits(a, b) > 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (Number.isNaN(score)) throw new Error(`topK: score of document ${JSON.stringify(ids[i])} is NaN`);
    const hit = { docId: ids[i], score };
    if (heap.length < k) {
      heap.push(hit);
      siftUp(heap, heap.length - 1, worse);
    } else if (worse(heap[0], hit)) {
      heap[0] = hit;
      siftDown(heap, 0, worse);
    }
  }
  return heap.sort(compareHits);
}

function siftUp(heap: Hit[], index: number, worse: (a: Hit, b: Hit) => boolean): void {
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!worse(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function siftDown(heap: Hit[], index: number, worse: (a: Hit, b: Hit) => boolean): void {
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let worst = i;
    if (left < heap.length && worse(heap[left], heap[worst])) worst = left;
    if (right < heap.length && worse(heap[right], heap[worst])) worst = right;
    if (worst === i) return;
    [heap[i], heap[worst]] = [heap[worst], heap[i]];
    i = worst;
  }
}
