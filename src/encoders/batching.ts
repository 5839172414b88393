/**
 * Length-bucketed batching: texts of similar token length go through the encoder together, so little compute is spent on
 * padding. Results are written back by index, so callers see input order.
 */

export interface Batch {
  /** input positions of the texts in this batch */
  indices: number[];
  /** the longest of them: every row is padded to this */
  paddedLength: number;
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0)
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
}

/** A text shorter than this share of its batch's padded length starts a new batch (it would be mostly padding). */
const MIN_SHARE_OF_PADDED_LENGTH = 0.5;

/**
 * Longest texts first (memory peaks show up at once, not at the end), ties in input order. A batch closes when it holds
 * batchSize texts or when the next text is less than half as long as the batch's first, so one long text in a set of short
 * ones does not pad them all to its length.
 */
export function planLengthBuckets(lengths: readonly number[], batchSize: number): Batch[] {
  checkBatchSize(batchSize);
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: Batch[] = [];
  let current: Batch | undefined;
  for (const i of order) {
    if (
      current === undefined ||
      current.indices.length === batchSize ||
      lengths[i] < MIN_SHARE_OF_PADDED_LENGTH * current.paddedLength
    ) {
      current = { indices: [], paddedLength: lengths[i] };
      batches.push(current);
    }
    current.indices.push(i);
  }
  return batches;
}

/** Batches in input order (the naive plan, for comparison). */
export function planInInputOrder(lengths: readonly number[], batchSize: number): Batch[] {
  checkBatchSize(batchSize);
  const batches: Batch[] = [];
  for (let start = 0; start < lengths.length; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, lengths.length - start) }, (_, k) => start + k);
    batches.push({ indices, paddedLength: Math.max(...indices.map((i) => lengths[i])) });
  }
  return batches;
}

/** Share of the encoder's token slots that a plan spends on padding (0 = none). */
export function paddingFraction(lengths: readonly number[], plan: readonly Batch[]): number {
  let slots = 0;
  let tokens = 0;
  for (const batch of plan) {
    slots += batch.indices.length * batch.paddedLength;
    for (const i of batch.indices) tokens += lengths[i];
  }
  return slots === 0 ? 0 : (slots - tokens) / slots;
}

/** Right-pad id sequences into a [rows, paddedLength] id matrix and its attention mask (row-major). */
export function padIds(
  sequences: readonly (readonly number[])[],
  padId: number,
): { ids: Int32Array; mask: Int32Array; rows: number; length: number } {
  const rows = sequences.length;
  const length = Math.max(0, ...sequences.map((s) => s.length));
  const ids = new Int32Array(rows * length).fill(padId);
  const mask = new Int32Array(rows * length);
  sequences.forEach((seq, r) => {
    ids.set(seq, r * length);
    mask.fill(1, r * length, r * length + seq.length);
  });
  return { ids, mask, rows, length };
}
