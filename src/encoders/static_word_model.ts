/**
 * The static, non-contextual baseline: GloVe word vectors averaged over a text. Its word vectors do not depend on their
 * neighbours, so whatever concentration it shows comes from averaging alone, not from attention.
 *
 * Tokenisation (what the 12k GloVe Twitter subset can match: its vocabulary is lower-case a–z words only): Unicode
 * compatibility-decompose, drop accents, lower-case, and take maximal runs of letters as words; digits, punctuation and
 * symbols separate words and are dropped ("Don't stop!" → don, t, stop). countTokens counts these words, known or not.
 * embed = mean of the vectors of the known words (unknown words are skipped); a text with no known word embeds as the zero
 * vector. Only "mean" pooling exists; normalize defaults to false (the plain average), true L2-normalises.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { assetsRoot } from "../assets/paths";
import { setting } from "../settings";
import { normalizeRows, type Matrix } from "../matrix";
import {
  bindModelMethods,
  type EmbedOptions,
  type EmbeddingModel,
  type ModelInfo,
  type TokenStates,
  type TruncationNote,
} from "../embedding/model";

export const DEFAULT_STATIC_MODEL = "glove-twitter-25d-12k";

export function tokenizeForGlove(text: string): string[] {
  const plain = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
  return plain.match(/\p{L}+/gu) ?? [];
}

export class StaticWordModel implements EmbeddingModel {
  readonly info: ModelInfo;
  readonly lastTruncations: TruncationNote[] = [];
  private readonly rowOf: Map<string, number>;

  /** `vectors` row i is the vector of words[i] */
  constructor(
    readonly words: string[],
    readonly vectors: Matrix,
    source: string,
    name = basename(source),
  ) {
    bindModelMethods(this);
    this.rowOf = new Map(words.map((w, i) => [w, i]));
    this.info = {
      name,
      source,
      architecture: "GloVe",
      modelType: "static-glove",
      hiddenSize: vectors.cols,
      numLayers: 0,
      maxLength: Number.POSITIVE_INFINITY,
      defaultPooling: "mean",
      normalize: false,
      backend: "cpu (plain TypeScript)",
    };
  }

  /** The stored vector of a word (a view), or undefined if it is not in the vocabulary. */
  vectorOf(word: string): Float32Array | undefined {
    const row = this.rowOf.get(word);
    return row === undefined
      ? undefined
      : this.vectors.data.subarray(row * this.vectors.cols, (row + 1) * this.vectors.cols);
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<Matrix> {
    if (options.pooling !== undefined && options.pooling !== "mean") {
      throw new Error(
        `${this.info.name}: only "mean" pooling exists for static word vectors (no [CLS], no positions), got "${options.pooling}"`,
      );
    }
    checkLayer(this.info.name, options.layer);
    checkNoAttention(this.info.name, options.attentionTemperature);
    const dim = this.vectors.cols;
    const data = new Float32Array(texts.length * dim);
    const sum = new Float64Array(dim);
    texts.forEach((text, i) => {
      sum.fill(0);
      let known = 0;
      for (const word of tokenizeForGlove(text)) {
        const vector = this.vectorOf(word);
        if (vector === undefined) continue;
        for (let j = 0; j < dim; j++) sum[j] += vector[j];
        known++;
      }
      if (known > 0) for (let j = 0; j < dim; j++) data[i * dim + j] = sum[j] / known;
      options.onProgress?.(i + 1, texts.length);
    });
    const means: Matrix = { rows: texts.length, cols: dim, data };
    return (options.normalize ?? this.info.normalize) ? normalizeRows(means) : means;
  }

  /** One row per word (unknown words: a zero row and id −1); there are no special tokens. */
  async tokenStates(text: string, options: { layer?: number } = {}): Promise<TokenStates> {
    checkLayer(this.info.name, options.layer);
    const tokens = tokenizeForGlove(text);
    const dim = this.vectors.cols;
    const data = new Float32Array(tokens.length * dim);
    const ids = tokens.map((word, i) => {
      const vector = this.vectorOf(word);
      if (vector !== undefined) data.set(vector, i * dim);
      return this.rowOf.get(word) ?? -1;
    });
    return { text, tokens, ids, states: { rows: tokens.length, cols: dim, data }, truncated: false };
  }

  countTokens(texts: string[]): number[] {
    return texts.map((t) => tokenizeForGlove(t).length);
  }

  dispose(): void {}
}

/**
 * Load GloVe vectors: a model folder name under <assets>/models (default glove-twitter-25d-12k), a folder holding one
 * GloVe .txt file, or the .txt file itself.
 */
export async function loadStaticWordModel(dirOrName: string = DEFAULT_STATIC_MODEL): Promise<StaticWordModel> {
  const file = findGloveFile(dirOrName);
  const { words, vectors } = parseGloveText(readFileSync(file, "utf8"), file);
  const folder = dirname(file);
  return new StaticWordModel(words, vectors, folder, basename(folder));
}

/** GloVe text format: `word v1 … vd` per line, space separated. */
export function parseGloveText(text: string, file: string): { words: string[]; vectors: Matrix } {
  const words: string[] = [];
  const rows: number[][] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const [word, ...values] = line.trimEnd().split(" ");
    const vector = values.map(Number);
    if (
      vector.length === 0 ||
      vector.some((v) => !Number.isFinite(v)) ||
      (rows.length > 0 && vector.length !== rows[0].length)
    ) {
      throw new Error(`${file}:${i + 1}: expected "word" and ${rows[0]?.length ?? "d"} numbers separated by spaces`);
    }
    words.push(word);
    rows.push(vector);
  });
  if (rows.length === 0) throw new Error(`${file}: no word vectors in the file`);
  const dim = rows[0].length;
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => data.set(r, i * dim));
  return { words, vectors: { rows: rows.length, cols: dim, data } };
}

/**
 * Whether a model reference names static word vectors rather than a Transformer checkpoint: a GloVe .txt file, or a folder
 * (given, or under <assets>/models) with no config.json and exactly one .txt file. Commands use it to pick the loader.
 */
export function isStaticWordModelRef(ref: string | undefined): boolean {
  if (ref === undefined || ref.trim() === "") return false;
  const path = existsSync(ref) ? ref : join(assetsRoot(), "models", ref);
  if (!existsSync(path)) return false;
  if (!statSync(path).isDirectory()) return path.endsWith(".txt");
  return !existsSync(join(path, "config.json")) && readdirSync(path).filter((f) => f.endsWith(".txt")).length === 1;
}

function findGloveFile(dirOrName: string): string {
  const path = existsSync(dirOrName) ? dirOrName : join(assetsRoot(), "models", dirOrName);
  if (!existsSync(path)) {
    throw new Error(
      `static word model "${dirOrName}": ${path} not found. Fetch it with \`shiftlab fetch ${basename(dirOrName)}\`, or set ` +
        `SHIFTLAB_ASSETS to the folder that holds models/ (now ${setting("SHIFTLAB_ASSETS") ?? "unset"}).`,
    );
  }
  if (!statSync(path).isDirectory()) return path;
  const candidates = readdirSync(path).filter((f) => f.endsWith(".txt"));
  if (candidates.length !== 1) {
    throw new Error(
      `static word model: expected one GloVe .txt file in ${path}, found ${candidates.length ? candidates.join(", ") : "none"}`,
    );
  }
  return join(path, candidates[0]);
}

/** A static model has no attention to scale: τ may only be absent or 1. */
function checkNoAttention(name: string, temperature: number | undefined): void {
  if (temperature !== undefined && temperature !== 1)
    throw new Error(
      `${name}: static word vectors have no attention; attentionTemperature must be 1 or absent, got ${temperature}`,
    );
}

/** A static model has one "layer" (the word vectors): 0, −1 or absent. */
function checkLayer(name: string, layer: number | undefined): void {
  if (layer !== undefined && layer !== 0 && layer !== -1) {
    throw new Error(`${name}: static word vectors have no hidden layers; layer must be 0 or -1, got ${layer}`);
  }
}
