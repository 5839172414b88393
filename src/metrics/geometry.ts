/**
 * Geometry of a vector space of embeddings: cosine similarities, mean pairwise distances (MPD), anisotropy and
 * nearest neighbours. Everything runs on the active tfjs backend as matrix products over row blocks, so that
 * 50,000 × 768 inputs never need the 50,000 × 50,000 similarity matrix: cosine averages need one O(N·d) pass
 * (Σ_{a≠b} cos = ‖Σ û‖² − Σ ‖û‖² for unit rows û), Euclidean distances are summed tile by tile.
 *
 * This is the large-N path (a corpus); for small N (one text's sentences, one cell of texts) use the float64 twins in
 * metrics/vectors.ts (anisotropy64, meanPairwiseCosineDistance64, …), which need no backend and hold identities to ~1e-15.
 *
 * Zero vectors: a zero row has no direction, so we define its cosine with every row (itself included) as 0.
 * It therefore sits at cosine distance 1 from everything and lowers anisotropy.
 */
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../matrix";
import { meanCosineOfUnitSum } from "./vectors";

export interface BlockOptions {
  /** rows per block on the backend (default 1024); smaller blocks use less memory, larger ones fewer calls */
  blockRows?: number;
}

const DEFAULT_BLOCK_ROWS = 1024;
/** budget of similarity entries per nearest-neighbour block (16 MiB of float32) */
const NEIGHBOUR_TILE_ENTRIES = 1 << 22;

/** Rows [start, end) of m as a tensor. */
export function rowBlock(m: Matrix, start: number, end: number): tf.Tensor2D {
  return tf.tensor2d(m.data.subarray(start * m.cols, end * m.cols), [end - start, m.cols]);
}

/** Calls visit on each block of rows inside tf.tidy, so whatever the visit creates is freed after it. */
export function forEachRowBlock(
  m: Matrix,
  blockRows: number | undefined,
  visit: (block: tf.Tensor2D, start: number) => void,
): void {
  const step = checkBlockRows(blockRows);
  for (let start = 0; start < m.rows; start += step) {
    const end = Math.min(m.rows, start + step);
    tf.tidy(() => visit(rowBlock(m, start, end), start));
  }
}

/** Each row divided by its L2 norm; zero rows stay zero (cosine 0 with everything). */
export function unitRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const norms = x.norm("euclidean", 1, true);
    return x.div(tf.where(norms.greater(0), norms, tf.onesLike(norms)));
  });
}

/** Column means of m, accumulated in float64. */
export function columnMeans(m: Matrix, options: BlockOptions = {}): Float64Array {
  const sums = new Float64Array(m.cols);
  forEachRowBlock(m, options.blockRows, (block) => addInto(sums, block.sum(0).dataSync()));
  return sums.map((s) => s / Math.max(m.rows, 1));
}

/**
 * Cosine similarity of every row of a with every row of b (b defaults to a): an a.rows × b.rows matrix.
 * For modest sizes only: the whole result is materialised.
 */
export function cosineSimilarityMatrix(a: Matrix, b?: Matrix): Matrix {
  const other = b ?? a;
  if (other.cols !== a.cols) throw new Error(`cosineSimilarityMatrix: widths differ (${a.cols} vs ${other.cols})`);
  const data = tf.tidy(() => {
    const left = unitRows(rowBlock(a, 0, a.rows));
    const right = b === undefined ? left : unitRows(rowBlock(b, 0, b.rows));
    return left.matMul(right, false, true).clipByValue(-1, 1).dataSync() as Float32Array;
  });
  return { rows: a.rows, cols: other.rows, data: Float32Array.from(data) };
}

/**
 * Sum of the unit rows and of their squared norms (1 per non-zero row, 0 per zero row), in float64.
 * Why: the sum of all pairwise cosines is ‖Σ û_a‖², so pair averages need only this O(N·d) pass.
 */
function unitRowSums(m: Matrix, options: BlockOptions): { sum: Float64Array; selfSimilarity: number } {
  const sum = new Float64Array(m.cols);
  let selfSimilarity = 0;
  forEachRowBlock(m, options.blockRows, (block) => {
    const unit = unitRows(block);
    addInto(sum, unit.sum(0).dataSync());
    selfSimilarity += unit.square().sum().dataSync()[0];
  });
  return { sum, selfSimilarity };
}

/**
 * Anisotropy (Ethayarajh 2019): mean cosine similarity over all pairs a < b. 0 for isotropic data, 1 when all
 * rows point the same way. Equals 1 − meanPairwiseCosineDistance. NaN for fewer than 2 rows.
 * Computed exactly from the sum of unit rows: Σ_{a≠b} cos = ‖Σ û‖² − Σ ‖û‖².
 */
export function anisotropy(m: Matrix, options: BlockOptions = {}): number {
  if (m.rows < 2) return NaN;
  const { sum, selfSimilarity } = unitRowSums(m, options);
  return meanCosineOfUnitSum(sum, selfSimilarity, m.rows);
}

/**
 * Mean pairwise distance (MPD), cosine form: mean of 1 − cos over pairs a < b. NaN for fewer than 2 rows. With `groups` (a
 * label per row, e.g. its document), only pairs of rows with different labels count; NaN when no such pair exists.
 */
export function meanPairwiseCosineDistance(m: Matrix, options: MeanCosineToOthersOptions = {}): number {
  if (!options.groups) return 1 - anisotropy(m, options);
  // Σ over rows of (mean cosine to the other groups' rows × how many there are) counts every cross-group pair twice
  const toOthers = meanCosineToOtherGroups(m, options.groups, options);
  const sizes = new Map<string | number, number>();
  for (const g of options.groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  let similarity = 0;
  let pairs = 0;
  options.groups.forEach((g, r) => {
    const others = m.rows - sizes.get(g)!;
    if (others === 0) return;
    similarity += toOthers[r] * others;
    pairs += others;
  });
  return pairs === 0 ? NaN : 1 - similarity / pairs;
}

export interface MeanCosineToOthersOptions extends BlockOptions {
  /**
   * a label per row (e.g. its document): rows sharing a row's label are left out of its mean, so passages of one document do
   * not count as "the rest of the collection" for each other. NaN for a row whose label every row shares.
   */
  groups?: readonly (string | number)[];
}

/**
 * For each row, its mean cosine similarity to every other row (with `groups`: to every row of another group): how close a
 * text sits to the rest of the collection. NaN for a single row.
 */
export function meanCosineToOthers(m: Matrix, options: MeanCosineToOthersOptions = {}): number[] {
  if (options.groups) return meanCosineToOtherGroups(m, options.groups, options);
  if (m.rows < 2) return Array.from({ length: m.rows }, () => NaN);
  const { sum } = unitRowSums(m, options);
  const result: number[] = [];
  const sumTensor = tf.tensor2d(Float32Array.from(sum), [m.cols, 1]);
  try {
    forEachRowBlock(m, options.blockRows, (block) => {
      const unit = unitRows(block);
      // similarity to all rows, minus the row's own self-similarity (1, or 0 for a zero row)
      const toOthers = unit.matMul(sumTensor).squeeze([1]).sub(unit.square().sum(1));
      for (const value of toOthers.dataSync()) result.push(value / (m.rows - 1));
    });
  } finally {
    sumTensor.dispose();
  }
  return result;
}

/** meanCosineToOthers with group labels: Σ over other groups' unit rows = (sum of all) − (sum of the row's group), in float64. */
function meanCosineToOtherGroups(m: Matrix, groups: readonly (string | number)[], options: BlockOptions): number[] {
  if (groups.length !== m.rows) throw new Error(`meanCosineToOthers: ${groups.length} group labels for ${m.rows} rows`);
  const unit = new Float64Array(m.rows * m.cols);
  forEachRowBlock(m, options.blockRows, (block, start) => unit.set(unitRows(block).dataSync(), start * m.cols));
  const total = new Float64Array(m.cols);
  const groupSums = new Map<string | number, { sum: Float64Array; size: number }>();
  for (let r = 0; r < m.rows; r++) {
    let group = groupSums.get(groups[r]);
    if (!group) groupSums.set(groups[r], (group = { sum: new Float64Array(m.cols), size: 0 }));
    group.size++;
    for (let c = 0; c < m.cols; c++) {
      group.sum[c] += unit[r * m.cols + c];
      total[c] += unit[r * m.cols + c];
    }
  }
  return Array.from({ length: m.rows }, (_, r) => {
    const group = groupSums.get(groups[r])!;
    const others = m.rows - group.size;
    if (others === 0) return NaN;
    let similarity = 0;
    for (let c = 0; c < m.cols; c++) similarity += unit[r * m.cols + c] * (total[c] - group.sum[c]);
    return similarity / others;
  });
}

/**
 * Mean Euclidean distance ‖x_a − x_b‖ over pairs a < b. NaN for fewer than 2 rows.
 * Tiles of the distance matrix come from ‖a‖² + ‖b‖² − 2 a·b; the data are centred first (distances do not change)
 * so that the cancellation in that formula loses less float32 precision, and rounding negatives are clamped to 0.
 * Near-duplicate pairs still carry a rounding floor of roughly 1e-3 × the rows' spread.
 */
export function meanPairwiseEuclideanDistance(m: Matrix, options: BlockOptions = {}): number {
  if (m.rows < 2) return NaN;
  const step = checkBlockRows(options.blockRows);
  const means = columnMeans(m, options);
  // the whole (centred) input stays on the backend once; only its distance tiles are made block by block
  const centred = tf.tidy(() => rowBlock(m, 0, m.rows).sub(tf.tensor1d(Float32Array.from(means)))) as tf.Tensor2D;
  const squaredNorms = tf.tidy(() => centred.square().sum(1));
  let total = 0;
  try {
    for (let i = 0; i < m.rows; i += step) {
      for (let j = i; j < m.rows; j += step) {
        total += tf.tidy(() => {
          const rowsA = Math.min(step, m.rows - i);
          const rowsB = Math.min(step, m.rows - j);
          const a = centred.slice([i, 0], [rowsA, m.cols]);
          const b = centred.slice([j, 0], [rowsB, m.cols]);
          const squaredA = squaredNorms.slice([i], [rowsA]).expandDims(1);
          const squaredB = squaredNorms.slice([j], [rowsB]).expandDims(0);
          const squaredDistances = squaredA
            .add(squaredB)
            .sub(a.matMul(b, false, true).mul(2))
            .maximum(0);
          const distances = squaredDistances.sqrt() as tf.Tensor2D;
          if (j !== i) return distances.sum().dataSync()[0];
          // a diagonal tile holds each pair twice, plus the zero self-distances
          const diagonal = tf.linalg.bandPart(distances, 0, 0).sum().dataSync()[0];
          return (distances.sum().dataSync()[0] - diagonal) / 2;
        });
      }
    }
  } finally {
    centred.dispose();
    squaredNorms.dispose();
  }
  return total / ((m.rows * (m.rows - 1)) / 2);
}

export interface Neighbours {
  /** per query, the corpus rows nearest first */
  indices: number[][];
  /** per query, the cosine similarities matching indices */
  scores: number[][];
}

export interface NeighbourOptions {
  /** queries per block (default: as many as keep a block under 4M similarities) */
  blockRows?: number;
  /** queries are the corpus itself: never return a row as its own neighbour */
  excludeSelf?: boolean;
}

/**
 * The k most cosine-similar corpus rows for every query row (k is capped at the corpus size).
 * A zero query has similarity 0 with everything, so its neighbours are arbitrary.
 */
export function topKNeighbours(queries: Matrix, corpus: Matrix, k: number, options: NeighbourOptions = {}): Neighbours {
  if (queries.cols !== corpus.cols)
    throw new Error(`topKNeighbours: widths differ (${queries.cols} vs ${corpus.cols})`);
  if (options.excludeSelf && queries.rows !== corpus.rows) {
    throw new Error("topKNeighbours: excludeSelf needs the queries to be the corpus rows");
  }
  const available = options.excludeSelf ? corpus.rows - 1 : corpus.rows;
  const count = Math.max(0, Math.min(Math.floor(k), available));
  const result: Neighbours = { indices: [], scores: [] };
  if (count === 0) {
    for (let q = 0; q < queries.rows; q++) (result.indices.push([]), result.scores.push([]));
    return result;
  }
  const blockRows = options.blockRows ?? Math.max(1, Math.min(1024, Math.floor(NEIGHBOUR_TILE_ENTRIES / corpus.rows)));
  const corpusUnit = tf.tidy(() => unitRows(rowBlock(corpus, 0, corpus.rows)));
  try {
    forEachRowBlock(queries, blockRows, (block, start) => {
      let similarities = unitRows(block).matMul(corpusUnit, false, true);
      if (options.excludeSelf) {
        // push each row's self-similarity below any real cosine (≥ −1) so it ranks last
        const self = tf.oneHot(tf.range(start, start + block.shape[0], 1, "int32"), corpus.rows);
        similarities = similarities.sub(self.mul(4));
      }
      const { values, indices } = tf.topk(similarities, count);
      const scoreData = values.dataSync();
      const indexData = indices.dataSync();
      for (let q = 0; q < block.shape[0]; q++) {
        result.scores.push(Array.from(scoreData.subarray(q * count, (q + 1) * count)));
        result.indices.push(Array.from(indexData.subarray(q * count, (q + 1) * count)));
      }
    });
  } finally {
    corpusUnit.dispose();
  }
  return result;
}

function checkBlockRows(blockRows: number | undefined): number {
  const step = blockRows ?? DEFAULT_BLOCK_ROWS;
  if (!Number.isInteger(step) || step < 1) throw new Error(`blockRows must be a positive integer, got ${blockRows}`);
  return step;
}

function addInto(target: Float64Array, values: ArrayLike<number>): void {
  for (let i = 0; i < target.length; i++) target[i] += values[i];
}
