/**
 * The Transformer behind EmbeddingModel: `loadModel(ref)` resolves a checkpoint folder, picks the compute backend, reads the
 * checkpoint's own pooling/normalisation, loads tokenizer and weights into the engine that computes the hidden states
 * (onnxruntime or tfjs, src/encoders/engine_select.ts), and returns a model whose `embed` gives one row per text, in input
 * order. Whatever the engine, pooling and the sentence-transformers modules run here on the tfjs backend.
 *
 * Nothing is dropped silently: texts longer than the model's maxLength keep their first word pieces, each is recorded in
 * `lastTruncations`, and one line on stderr says how many were cut. An empty text embeds as the two-token sequence [CLS][SEP].
 */
import * as tf from "@tensorflow/tfjs";
import { resolveModelRef } from "../assets/model_ref";
import { selectBackend } from "../backend/select";
import { normalizeRows, type Matrix } from "../matrix";
import {
  bindModelMethods,
  type EmbedOptions,
  type EmbeddingModel,
  type ModelInfo,
  type TokenStates,
  type TruncationNote,
} from "./model";
import { isPoolingMode, POOLING_MODES, type PoolingMode } from "./pooling_modes";
import { loadSentenceHead, poolModes, SentenceHead } from "./sentence_head";
import { loadTokenizer } from "../tokens/tokenizer";
import type { Encoding, TextTokenizer } from "../tokens/types";
import { checkModelType } from "../encoders/registry";
import { padIds, planLengthBuckets } from "../encoders/batching";
import { loadStatesEngine, type EngineChoice } from "../encoders/engine_select";
import type { EngineName, PaddedBatch, StatesEngine } from "../encoders/states_engine";
import { checkAttentionTemperature } from "../encoders/layers";
import { readModelConfig, readSentenceEmbeddingSetup } from "../encoders/checkpoint/config";
import { retrievalPrompts } from "../encoders/checkpoint/sentence_modules";
import { openCheckpoint } from "../encoders/checkpoint/safetensors";
import { loadWorkerPoolModel, useWorkerPool } from "./worker_pool_model";

export interface LoadModelOptions {
  /** backend name for selectBackend (default: SHIFTLAB_BACKEND, else the fastest that works); pooling always runs on it */
  backend?: string;
  /** what computes the hidden states (default: SHIFTLAB_ENGINE, else the fastest that loads; src/encoders/engine_select.ts) */
  engine?: EngineName;
  /**
   * threads (default: SHIFTLAB_THREADS, else every core): onnxruntime's intra-op threads; for tfjs on wasm, worker threads that
   * each hold the model and share the texts (worker_pool_model.ts)
   */
  threads?: number;
  /** truncate to this many word pieces, special tokens included (default: the checkpoint's own limit) */
  maxLength?: number;
}

export interface EncoderModelInfo extends ModelInfo {
  /** what computes the hidden states: "onnxruntime" or "tfjs" (pooling and the sentence-transformers modules run on tfjs) */
  engine: EngineName;
  /** how, e.g. "onnxruntime (cpu, 2 threads)" or "tfjs (wasm)" */
  engineDescription: string;
  /** every engine tried, with why it was skipped or "chosen" */
  engineTried: EngineChoice["tried"];
  /** where the default pooling and normalisation came from */
  poolingSource: string;
  /** the tokenizer's vocabulary file */
  tokenizer: string;
  /** how the checkpoint stores its weights: tensors per dtype as in the file (e.g. { F16: 69 }); computed in float32 */
  weightDtypes: Record<string, number>;
  /** values stored in the checkpoint (every tensor, buffers such as position_ids included) and its Dense modules */
  parameters: number;
  /** bytes the loaded weights hold (float32): the encoder's in its engine, the Dense modules' on the tfjs backend */
  weightBytes: number;
  /** every pooling mode the checkpoint concatenates (defaultPooling is the first) */
  poolingModes: PoolingMode[];
  /** false: prompt tokens are left out of pooling (the Pooling module's include_prompt) */
  includePrompt: boolean;
  /** the sentence-transformers modules after the Transformer, as run, e.g. ["Pooling(cls + mean)", "Dense(64 → 24, tanh)", "Normalize"] */
  modules: string[];
  /** named prompts (config_sentence_transformers.json) and the one applied by default */
  prompts: Record<string, string>;
  defaultPromptName?: string;
  embeddingSize: number;
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
  if (await useWorkerPool(config.modelType, backend.name, options))
    return loadWorkerPoolModel(dir, { ...options, name });
  const setup = await readSentenceEmbeddingSetup(dir);
  for (const module of setup.ignoredModules) {
    process.stderr.write(
      `shiftlab: ${name}: modules.json lists ${module}, which is not applied; embeddings differ from sentence-transformers'\n`,
    );
  }
  const tokenizer = await loadTokenizer(dir, { maxLength: options.maxLength });
  const checkpoint = await openCheckpoint(dir);
  const storage = checkpoint.storage();
  const { engine, choice } = await loadStatesEngine(config, checkpoint, {
    engine: options.engine,
    backend: backend.name,
    threads: options.threads,
  });
  if (tokenizer.maxLength > engine.maxPositions) {
    engine.dispose();
    throw new Error(
      `${dir}: the tokenizer allows ${tokenizer.maxLength} tokens but the model has ${engine.maxPositions} positions`,
    );
  }
  const headBytesBefore = tf.memory().numBytes;
  let head: SentenceHead;
  try {
    head = await loadSentenceHead(setup, engine.hiddenSize);
  } catch (error) {
    engine.dispose();
    throw error;
  }
  const weightBytes = engine.weightBytes + tf.memory().numBytes - headBytesBefore;
  const info: EncoderModelInfo = {
    name,
    source: dir,
    architecture: config.architecture || config.modelType,
    modelType: config.modelType,
    hiddenSize: engine.hiddenSize,
    numLayers: engine.numLayers,
    maxLength: tokenizer.maxLength,
    defaultPooling: setup.pooling,
    normalize: setup.normalize,
    backend: backend.name,
    engine: choice.name,
    engineDescription: choice.description,
    engineTried: choice.tried,
    poolingSource: setup.source,
    tokenizer: tokenizer.source,
    weightDtypes: storage.dtypes,
    parameters: storage.parameters + head.parameters,
    weightBytes,
    poolingModes: setup.poolingModes,
    includePrompt: setup.includePrompt,
    modules: [...head.describe(), ...(setup.normalize && !head.describe().includes("Normalize") ? ["Normalize"] : [])],
    prompts: setup.prompts.prompts,
    defaultPromptName: setup.prompts.defaultPromptName,
    ...retrievalPrompts(setup.prompts.prompts),
    embeddingSize: head.outputSize,
  };
  return new TransformerEmbeddingModel(info, tokenizer, engine, head);
}

export class TransformerEmbeddingModel implements EmbeddingModel {
  private truncations: TruncationNote[] = [];
  private disposed = false;

  constructor(
    readonly info: EncoderModelInfo,
    private readonly tokenizer: TextTokenizer,
    private readonly engine: StatesEngine,
    private readonly head: SentenceHead = new SentenceHead([info.defaultPooling], [], engine.hiddenSize),
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
    const prompt = this.promptOf(options.prompt);
    const forwardOptions = {
      attentionTemperature: checkAttentionTemperature(options.attentionTemperature, this.info.name),
    };
    const encodings = this.tokenizer.encodeBatch(prompt === "" ? texts : texts.map((t) => prompt + t));
    this.truncations = this.noteTruncations(encodings);
    // the checkpoint's own pooling runs its whole chain (concatenated modes, Dense modules); another mode pools alone
    const ownPooling = pooling === this.info.defaultPooling;
    const modes = ownPooling ? this.head.modes : [pooling];
    const promptTokens = prompt !== "" && !this.info.includePrompt ? this.tokenizer.promptLength(prompt) : 0;

    const width = ownPooling ? this.head.outputSize : this.engine.hiddenSize;
    const out = new Float32Array(texts.length * width);
    const plan = planLengthBuckets(
      encodings.map((e) => e.ids.length),
      batchSize,
    );
    const progress =
      options.onProgress ?? (texts.length > PROGRESS_FROM_TEXTS ? stderrProgress(this.info.name) : undefined);
    let done = 0;
    for (const batch of plan) {
      const values = await this.withStates(
        batch.indices.map((i) => encodings[i].ids),
        async (padded) => [await this.engine.forward(padded, layer, forwardOptions)],
        ([states], mask) => {
          const pooled = poolModes(states, withoutPrompt(mask, promptTokens), modes);
          return ownPooling ? this.head.apply(pooled, normalize) : pooled;
        },
      );
      batch.indices.forEach((textIndex, r) => out.set(values.subarray(r * width, (r + 1) * width), textIndex * width));
      done += batch.indices.length;
      progress?.(done, texts.length);
    }
    const matrix: Matrix = { rows: texts.length, cols: width, data: out };
    return normalize ? normalizeRows(matrix) : matrix;
  }

  /**
   * Raw pooled vectors (no Dense modules, not normalised) for every pooling mode × layer set, from one forward pass per batch.
   * A layer set's hidden states are averaged before pooling ([1, 2, 3, 4] = the mean of the last four layers of a 4-layer
   * model). Key: `${mode}@${set.join("+")}`. Used by the pooling ablation (src/experiments/pooling_ablation.ts).
   */
  async embedLayerSets(
    texts: string[],
    layerSets: number[][],
    modes: PoolingMode[],
    batchSize = DEFAULT_BATCH_SIZE,
  ): Promise<Map<string, Matrix>> {
    this.checkAlive();
    const sets = layerSets.map((set) => set.map((l) => this.layerIndex(l)));
    const encodings = this.tokenizer.encodeBatch(texts);
    this.truncations = this.noteTruncations(encodings);
    const width = this.engine.hiddenSize;
    const out = new Map<string, Float32Array>();
    const keys = sets.flatMap((set) => modes.map((mode) => `${mode}@${set.join("+")}`));
    for (const key of keys) out.set(key, new Float32Array(texts.length * width));
    for (const batch of planLengthBuckets(
      encodings.map((e) => e.ids.length),
      batchSize,
    )) {
      const values = await this.withStates(
        batch.indices.map((i) => encodings[i].ids),
        (padded) => this.engine.forwardAllLayers(padded),
        (all, mask) => {
          const stacked = sets.map((set) =>
            set.length === 1 ? all[set[0]] : (tf.addN(set.map((l) => all[l])).div(set.length) as tf.Tensor3D),
          );
          return tf.concat(
            stacked.flatMap((states) => modes.map((mode) => poolModes(states, mask, [mode]))),
            1,
          ) as tf.Tensor2D;
        },
      );
      batch.indices.forEach((textIndex, r) =>
        keys.forEach((key, k) =>
          out
            .get(key)!
            .set(values.subarray((r * keys.length + k) * width, (r * keys.length + k + 1) * width), textIndex * width),
        ),
      );
    }
    return new Map(keys.map((key) => [key, { rows: texts.length, cols: width, data: out.get(key)! }]));
  }

  async tokenStates(
    text: string,
    options: { layer?: number; attentionTemperature?: number } = {},
  ): Promise<TokenStates> {
    this.checkAlive();
    const layer = this.layerIndex(options.layer);
    const forwardOptions = {
      attentionTemperature: checkAttentionTemperature(options.attentionTemperature, this.info.name),
    };
    const encoding = this.tokenizer.encode(text);
    this.noteTruncations([encoding]);
    const data = await this.withStates(
      [encoding.ids],
      async (padded) => [await this.engine.forward(padded, layer, forwardOptions)],
      ([states]) => states.clone(),
    );
    return {
      text,
      tokens: encoding.tokens,
      ids: encoding.ids,
      states: { rows: encoding.ids.length, cols: this.engine.hiddenSize, data },
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
    this.engine.dispose();
    this.head.dispose();
  }

  /** The text a prompt option stands for: a name from info.prompts, else the literal text ("" = none). */
  private promptOf(prompt: string | undefined): string {
    if (prompt === undefined)
      return this.info.defaultPromptName === undefined ? "" : this.info.prompts[this.info.defaultPromptName];
    if (typeof prompt !== "string")
      throw new Error(
        `${this.info.name}: prompt must be a string (a prompt name or the text), got ${JSON.stringify(prompt)}`,
      );
    return Object.hasOwn(this.info.prompts, prompt) ? this.info.prompts[prompt] : prompt;
  }

  /**
   * Pad id sequences, compute their hidden states with the engine (`states`), run `f` on them and the [B, T] mask tensor, and
   * return f's values; every tensor is freed.
   */
  private async withStates(
    sequences: number[][],
    states: (batch: PaddedBatch) => Promise<tf.Tensor3D[]>,
    f: (states: tf.Tensor3D[], mask: tf.Tensor2D) => tf.Tensor,
  ): Promise<Float32Array> {
    const batch = padIds(sequences, this.tokenizer.padId);
    const computed = await states(batch);
    try {
      const result = tf.tidy(() => f(computed, tf.tensor2d(batch.mask, [batch.rows, batch.length], "int32")));
      const values = (await result.data()) as Float32Array;
      result.dispose();
      return values;
    } finally {
      tf.dispose(computed);
    }
  }

  private poolingOf(mode: PoolingMode | undefined): PoolingMode {
    if (mode === undefined) return this.info.defaultPooling;
    if (!isPoolingMode(mode))
      throw new Error(
        `${this.info.name}: unknown pooling ${JSON.stringify(mode)} (choose from ${POOLING_MODES.join(", ")})`,
      );
    return mode;
  }

  /** 0 = embedding output … numLayers = last; negative counts from the end (-1 = last). */
  private layerIndex(layer: number | undefined): number {
    const n = this.engine.numLayers;
    if (layer === undefined) return n;
    const index = layer < 0 ? n + 1 + layer : layer;
    if (!Number.isInteger(layer) || index < 0 || index > n) {
      throw new Error(
        `${this.info.name}: layer must be an integer in 0..${n} (or -${n + 1}..-1 from the end), got ${layer}`,
      );
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

/** The pooling mask without the first `tokens` positions (prompt tokens; right padding, so they lead every row). */
function withoutPrompt(mask: tf.Tensor2D, tokens: number): tf.Tensor2D {
  if (tokens === 0) return mask;
  const length = mask.shape[1];
  const keep = tf.tensor1d(
    Array.from({ length }, (_, t) => (t < tokens ? 0 : 1)),
    "int32",
  );
  return mask.mul(keep.expandDims(0));
}

function stderrProgress(name: string): (done: number, total: number) => void {
  const start = Date.now();
  let lastPrint = start;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - lastPrint < PROGRESS_EVERY_MS) return;
    lastPrint = now;
    const seconds = (now - start) / 1000;
    process.stderr.write(
      `shiftlab: ${name}: embedded ${done}/${total} texts (${Math.round((100 * done) / total)}%, ${seconds.toFixed(1)} s)\n`,
    );
  };
}
