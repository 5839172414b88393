/**
 * The common currency between stages: a dense row-major float32 matrix (one row per text, sentence or token).
 * Kept as plain data (not a tf.Tensor) so it can be cached, written to disk and handed to any metric without
 * worrying about tensor lifetimes.
 */
export interface Matrix {
  rows: number;
  cols: number;
  /** row-major, length rows * cols */
  data: Float32Array;
}

export function matrixFromRows(rows: ArrayLike<number>[], cols?: number): Matrix {
  const width = cols ?? (rows.length > 0 ? rows[0].length : 0);
  const data = new Float32Array(rows.length * width);
  rows.forEach((row, i) => {
    if (row.length !== width) throw new Error(`matrixFromRows: row ${i} has ${row.length} values, expected ${width}`);
    data.set(row as ArrayLike<number>, i * width);
  });
  return { rows: rows.length, cols: width, data };
}

/** A view (no copy) of row i. */
export function row(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Rows [start, end) as a Matrix view (no copy). */
export function sliceRows(m: Matrix, start: number, end: number): Matrix {
  if (start < 0 || end > m.rows || start > end)
    throw new Error(`sliceRows: [${start}, ${end}) is outside 0 … ${m.rows}`);
  return { rows: end - start, cols: m.cols, data: m.data.subarray(start * m.cols, end * m.cols) };
}

/** Consecutive blocks of rows, `counts[i]` rows in block i (e.g. the rows of each corpus when corpora were embedded together). */
export function splitRows(m: Matrix, counts: readonly number[]): Matrix[] {
  let start = 0;
  return counts.map((count) => sliceRows(m, start, (start += count)));
}

/** Rows as plain number arrays (for JSON, plotting, danfojs). */
export function toArrays(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(row(m, i)));
}

/** A new matrix with the chosen rows, in the given order. */
export function selectRows(m: Matrix, indices: number[]): Matrix {
  const data = new Float32Array(indices.length * m.cols);
  indices.forEach((r, i) => data.set(row(m, r), i * m.cols));
  return { rows: indices.length, cols: m.cols, data };
}

/** Stack matrices with the same width on top of each other. */
export function stackRows(parts: Matrix[]): Matrix {
  if (parts.length === 0) return { rows: 0, cols: 0, data: new Float32Array(0) };
  const cols = parts[0].cols;
  const rows = parts.reduce((n, p) => {
    if (p.cols !== cols) throw new Error(`stackRows: widths differ (${p.cols} vs ${cols})`);
    return n + p.rows;
  }, 0);
  const data = new Float32Array(rows * cols);
  let offset = 0;
  for (const p of parts) {
    data.set(p.data, offset);
    offset += p.data.length;
  }
  return { rows, cols, data };
}

/** L2-normalise every row (a zero row stays zero). */
export function normalizeRows(m: Matrix): Matrix {
  const data = new Float32Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    const r = row(m, i);
    let sq = 0;
    for (let j = 0; j < m.cols; j++) sq += r[j] * r[j];
    const scale = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let j = 0; j < m.cols; j++) data[i * m.cols + j] = r[j] * scale;
  }
  return { rows: m.rows, cols: m.cols, data };
}
