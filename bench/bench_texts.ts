/**
 * Shared by the engine and memory benchmarks: the benchmark texts (held-out arXiv abstracts and sentences cut from them, chosen
 * with a seed so every engine and the sentence-transformers reference see the same list), their file format, and small
 * measurement helpers (RSS, load average, float32 files).
 *
 * "Held out": arxiv-abstracts/arxiv_ml_1000.jsonl (the lab's corpus "arxiv") was never seen in training by the default model,
 * shiftlab-mini-encoder (see its PROVENANCE.md, "Held out"). For any other model it is simply a seeded sample of real text.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadCorpus } from "../src/text/corpora";
import { splitSentences } from "../src/text/sentences";
import { sampleWithoutReplacement, seededRandom, shuffle } from "../src/util/random";
import { outputRoot } from "../src/assets/paths";
import type { Matrix } from "../src/matrix";

export const DEFAULT_SEED = 2603;

export interface BenchText {
  id: string;
  /** "abstract" or "sentence" */
  kind: string;
  text: string;
}

/**
 * `count` mixed-length texts: a quarter whole abstracts (title not included), three quarters single sentences of abstracts
 * (from the whole corpus, so mostly other papers), shuffled together with the seed. Deterministic for (count, seed).
 */
export function mixedArxivTexts(count: number, seed: number = DEFAULT_SEED): BenchText[] {
  if (!Number.isInteger(count) || count <= 0)
    throw new Error(`the number of texts must be a positive integer, got ${count}`);
  const documents = loadCorpus("arxiv");
  const abstractCount = Math.min(Math.floor(count / 4), documents.length);
  const rng = seededRandom(seed);
  const abstracts = sampleWithoutReplacement(documents, abstractCount, rng).map((d): BenchText => ({
    id: d.id,
    kind: "abstract",
    text: d.text,
  }));
  const sentences = documents.flatMap((d) =>
    splitSentences(d.text).map((text, i): BenchText => ({ id: `${d.id}#s${i}`, kind: "sentence", text })),
  );
  const sentenceCount = count - abstractCount;
  if (sentenceCount > sentences.length)
    throw new Error(
      `asked for ${count} texts; the arXiv corpus gives at most ${abstractCount + sentences.length} (abstracts + sentences)`,
    );
  return shuffle([...abstracts, ...sampleWithoutReplacement(sentences, sentenceCount, rng)], rng);
}

/**
 * `count` single sentences for long runs (the memory benchmark): every sentence of the held-out arXiv abstracts, then of the
 * April-2007 arXiv abstracts, cycled from the start when more are asked for than there are. Returns the texts and how many
 * distinct ones there are.
 */
export function cycledSentences(count: number): { texts: string[]; distinct: number } {
  const pool = [...loadCorpus("arxiv"), ...loadCorpus("arxiv2007")].flatMap((d) => splitSentences(d.text));
  if (pool.length === 0) throw new Error("no sentences in the arXiv corpora");
  return {
    texts: Array.from({ length: count }, (_, i) => pool[i % pool.length]),
    distinct: Math.min(count, pool.length),
  };
}

export function benchDir(): string {
  return path.join(outputRoot(), "bench");
}

export function writeJsonl(file: string, records: object[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, records.map((r) => JSON.stringify(r) + "\n").join(""));
}

/** The "text" field of every line of a JSONL file (split on "\n" only, as the lab's corpus reader does). */
export function readTextsJsonl(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const record = JSON.parse(line) as { text?: unknown };
      if (typeof record.text !== "string") throw new Error(`${file}:${i + 1}: no string "text" field`);
      return record.text;
    });
}

/** Rows as little-endian float32, row after row (what numpy's `tofile` of a float32 C array writes). */
export function writeFloat32(file: string, matrix: Matrix): void {
  writeFileSync(file, Buffer.from(matrix.data.buffer, matrix.data.byteOffset, matrix.data.byteLength));
}

export function readFloat32(file: string, rows: number, cols: number): Matrix {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const bytes = readFileSync(file);
  if (bytes.byteLength !== rows * cols * 4)
    throw new Error(`${file}: ${bytes.byteLength} bytes, expected ${rows} × ${cols} float32 = ${rows * cols * 4}`);
  const data = new Float32Array(rows * cols);
  new Uint8Array(data.buffer).set(bytes);
  return { rows, cols, data };
}

/** The largest |a − b| over the first `rows` rows of two matrices of equal width. */
export function maxAbsDifference(a: Matrix, b: Matrix, rows: number = Math.min(a.rows, b.rows)): number {
  if (a.cols !== b.cols) return Infinity;
  let max = 0;
  const n = rows * a.cols;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    if (!(d <= max)) max = d; // NaN counts as the largest difference
  }
  return max;
}

export function mib(bytes: number): number {
  return bytes / 2 ** 20;
}

/** The 1-, 5- and 15-minute load averages, as "2.01 1.70 1.52". */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

export function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} CPU${cpus.length === 1 ? "" : "s"} (${cpus[0]?.model.trim() ?? "unknown"}), load average ${loadAverage()} (1/5/15 min)`;
}

/** The process's peak resident set so far (the kernel's high-water mark), in MiB. */
export function peakRssMib(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
