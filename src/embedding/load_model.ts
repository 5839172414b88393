/**
 * The Transformer behind EmbeddingModel: `loadModel(ref)` resolves a checkpoint folder, picks the compute backend, reads the
 * checkpoint's own pooling/normalisation, loads tokenizer and weights, and returns a model whose `embed` gives one row per
 * text, in input order.
 *
 * Nothing is dropped silently: texts longer than the model's maxLength keep their first word pieces, each is recorded in
 * `lastTruncations`, and one line on stderr says how many were cut. An empty text embeds as the two-token sequence [CLS][SEP].
 */
import * as tf from "@tensorflow/tfjs";
import { resolveModelRef } from "../assets/model_ref";
import { selectBackend } from "../backend/select";
import { normalizeRows, type Matrix } from "../matrix";
import { bindModelMethods, type EmbedOptions, type EmbeddingModel, type ModelInfo, type TokenStates, type TruncationNote } from "./model";
import { isPoolingMode, POOLING_MODES, type PoolingMode } from "./pooling_modes";
import { poolTokenStates } from "./pool";
import { loadTokenizer } from "../tokens/tokenizer";
import type { Encoding, TextTokenizer } from "../tokens/types";
import { buildEncoder, checkModelType, type TokenEncoder } from "../encoders/registry";
import { padIds, planLengthBuckets } from "../encoders/batching";
import { readModelConfig, readSentenceEmbeddingSetup } from "../encoders/checkpoint/config";
import { openCheckpoint } from "../encoders/checkpoint/safetensors";

export interface LoadModelOptions {
  /** backend name for selectBackend (default: SHIFTLAB_BACKEND, else the fastest that works) */
  backend?: string;
  /** truncate to this many word pieces, special tokens included (default: the checkpoint's own limit) */
  maxLength?: number;
}

export interface EncoderModelInfo extends ModelInfo {
  /** where the default pooling and normalisation came from */
  poolingSource: string;
  /** the tokenizer's vocabulary file */
  tokenizer: string;
  /** how the checkpoint stores its weights: tensors per dtype as in the file (e.g. { F16: 69 }); computed in float32 */
  weightDtypes: Record<string, number>;
  /** values stored in the checkpoint (every tensor, buffers such as position_ids included) */
  parameters: number;
}

const DEFAULT_BATCH_SIZE = 32;
/** embed() reports progress on stderr for more texts than this (when no onProgress is given) */
const PROGRESS_FROM_TEXTS = 256;
const PROGRESS_EVERY_MS = 5000;

/**
 * Loads a model for embedding: a checkpoint folder, a folder name under the assets' models/, or a Hugging Face hub id (from
 * the local HF cache, else downloaded); the default is SHIFTLAB_MODEL, else the mini encoder.
 */
export async function loadModel(ref?: string, options: LoadModelOptions = {}): Promise<EmbeddingModel> {
  const { name, dir } = await resolveModelRef(ref);
  const backend = await selectBackend(options.backend);
  // cheap checks first: a wrong model_type or a missing tokenizer should not wait for the weights
  const config = await readModelConfig(dir);
  checkModelType(config);
  const setup = await readSentenceEmbeddingSetup(dir);
  for (const module of setup.ignoredModules) {
    process.stderr.write(`shiftlab: ${name}: modules.json lists ${module}, which is not applied; embeddings differ from sentence-transformers'\n`);
  }
  const tokenizer = await loadTokenizer(dir, { maxLength: options.maxLength });
  const checkpoint = await openCheckpoint(dir);
  const storage = checkpoint.storage();
  const encoder = buildEncoder(config, checkpoint);
  if (tokenizer.maxLength > encoder.maxPositions) {
    encoder.dispose();
    throw new Error(`${dir}: the tokenizer allows ${tokenizer.maxLength} tokens but the model has ${encoder.maxPositions} positions`);
  }
  const info: EncoderModelInfo = {
    name,
    source: dir,
    architecture: config.architecture || config.modelType,
    modelType: config.modelType,
    hiddenSize: encoder.hiddenSize,
    numLayers: encoder.numLayers,
    maxLength: tokenizer.maxLength,
    defaultPooling: setup.pooling,
    normalize: setup.normalize,
    backend: backend.name,
    poolingSource: setup.source,
    tokenizer: tokenizer.source,
    weightDtypes: storage.dtypes,
    parameters: storage.parameters,
  };
  return new TransformerEmbeddingModel(info, tokenizer, encoder);
}

export class TransformerEmbeddingModel implements EmbeddingModel {
  private truncations: TruncationNote[] = [];
  private disposed = false;

  constructor(
    readonly info: EncoderModelInfo,
    private readonly tokenizer: TextTokenizer,
    private readonly encoder: TokenEncoder,
  ) {
    bindModelMethods(this);
  }

  get lastTruncations(): TruncationNote[] {
    return this.truncations;
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<Matrix> {
    this.checkAlive();
    const pooling = this.poolingOf(options.pooling);
    const normalize = options.normalize ?? this.info.normalize;
    const layer = this.layerIndex(options.layer);
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const encodings = this.tokenizer.encodeBatch(texts);
    this.truncations = this.noteTruncations(encodings);

    const width = this.encoder.hiddenSize;
    const out = new Float32Array(texts.length * width);
    const plan = planLengthBuckets(
      encodings.map((e) => e.ids.length),
      batchSize,
    );
    const progress = options.onProgress ?? (texts.length > PROGRESS_FROM_TEXTS ? stderrProgress(this.info.name) : undefined);
    let done = 0;
    for (const batch of plan) {
      const pooled = this.withInputs(
        batch.indices.map((i) => encodings[i].ids),
        (ids, mask) => poolTokenStates(this.encoder.forward(ids, mask, layer), mask, pooling),
      );
      const values = await pooled.data();
      pooled.dispose();
      batch.indices.forEach((textIndex, r) => out.set(values.subarray(r * width, (r + 1) * width), textIndex * width));
      done += batch.indices.length;
      progress?.(done, texts.length);
    }
    const matrix: Matrix = { rows: texts.length, cols: width, data: out };
    return normalize ? normalizeRows(matrix) : matrix;
  }

  async tokenStates(text: string, options: { layer?: number } = {}): Promise<TokenStates> {
    this.checkAlive();
    const layer = this.layerIndex(options.layer);
    const encoding = this.tokenizer.encode(text);
    this.noteTruncations([encoding]);
    const states = this.withInputs([encoding.ids], (ids, mask) => this.encoder.forward(ids, mask, layer));
    const data = (await states.data()) as Float32Array;
    states.dispose();
    return {
      text,
      tokens: encoding.tokens,
      ids: encoding.ids,
      states: { rows: encoding.ids.length, cols: this.encoder.hiddenSize, data },
      truncated: encoding.truncated,
    };
  }

  countTokens(texts: string[]): number[] {
    this.checkAlive();
    return this.tokenizer.encodeBatch(texts).map((e) => e.originalLength);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.encoder.dispose();
  }

  /** Pad id sequences, run `f` on the [B, T] id and mask tensors, and free everything but its result. */
  private withInputs<T extends tf.Tensor>(sequences: number[][], f: (ids: tf.Tensor2D, mask: tf.Tensor2D) => T): T {
    return tf.tidy(() => {
      const { ids, mask, rows, length } = padIds(sequences, this.tokenizer.padId);
      return f(tf.tensor2d(ids, [rows, length], "int32"), tf.tensor2d(mask, [rows, length], "int32"));
    });
  }

  private poolingOf(mode: PoolingMode | undefined): PoolingMode {
    if (mode === undefined) return this.info.defaultPooling;
    if (!isPoolingMode(mode)) throw new Error(`${this.info.name}: unknown pooling ${JSON.stringify(mode)} (choose from ${POOLING_MODES.join(", ")})`);
    return mode;
  }

  /** 0 = embedding output … numLayers = last; negative counts from the end (-1 = last). */
  private layerIndex(layer: number | undefined): number {
    const n = this.encoder.numLayers;
    if (layer === undefined) return n;
    const index = layer < 0 ? n + 1 + layer : layer;
    if (!Number.isInteger(layer) || index < 0 || index > n) {
      throw new Error(`${this.info.name}: layer must be an integer in 0..${n} (or -${n + 1}..-1 from the end), got ${layer}`);
    }
    return index;
  }

  private noteTruncations(encodings: Encoding[]): TruncationNote[] {
    const notes: TruncationNote[] = [];
    encodings.forEach((e, index) => {
      if (e.truncated) notes.push({ index, originalLength: e.originalLength, keptLength: e.ids.length });
    });
    if (notes.length > 0) {
      const longest = Math.max(...notes.map((n) => n.originalLength));
      process.stderr.write(
        `shiftlab: ${notes.length} of ${encodings.length} text${encodings.length === 1 ? "" : "s"} truncated to ${this.info.maxLength} ` +
          `tokens (longest had ${longest}); see lastTruncations\n`,
      );
    }
    return notes;
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error(`${this.info.name}: the model was disposed`);
  }
}

function stderrProgress(name: string): (done: number, total: number) => void {
  const start = Date.now();
  let lastPrint = start;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - lastPrint < PROGRESS_EVERY_MS) return;
    lastPrint = now;
    const seconds = (now - start) / 1000;
    process.stderr.write(`shiftlab: ${name}: embedded ${done}/${total} texts (${Math.round((100 * done) / total)}%, ${seconds.toFixed(1)} s)\n`);
  };
}
