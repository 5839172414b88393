/**
 * The public surface of the engine: what every notebook, CLI command and experiment talks to.
 * Implementations: the Transformer encoder (src/embedding/load_model.ts, via loadModel in src/index.ts) and the
 * static word-vector baseline (src/encoders/static_word_model.ts).
 */
import type { Matrix } from "../matrix";
import type { PoolingMode } from "./pooling_modes";

export interface EmbedOptions {
  /**
   * default: the checkpoint's own pooling (1_Pooling/config.json, every mode it concatenates, then its Dense modules), else mean.
   * A mode other than info.defaultPooling gives that mode of the token states alone (hidden size, no Dense modules).
   */
  pooling?: PoolingMode;
  /**
   * text prepended to every input: a prompt name from the checkpoint's config_sentence_transformers.json (info.prompts, e.g.
   * "query"), else the literal text; "" for none. Default: the checkpoint's default_prompt_name, else none. Transformer models only.
   */
  prompt?: string;
  /** default: true when the checkpoint's modules.json has a Normalize module */
  normalize?: boolean;
  /** hidden layer to pool: 0 = embedding output, numLayers = last (default); negative counts from the end (-1 = last) */
  layer?: number;
  /**
   * TempScale's attention temperature τ (Zhou et al. 2024): every layer's attention content logits q·k/√dh are divided by τ
   * (τ < 1 sharpens attention, τ > 1 flattens it). Default 1: the model as trained. Transformer models only.
   */
  attentionTemperature?: number;
  /** texts per forward pass (default 32) */
  batchSize?: number;
  /** called after each batch; long jobs print progress when this is absent and there are more than 256 texts */
  onProgress?: (done: number, total: number) => void;
}

/** Per-text truncation report: nothing is cut silently. */
export interface TruncationNote {
  index: number;
  /** word pieces the text had (with special tokens) before truncation */
  originalLength: number;
  keptLength: number;
}

export interface TokenStates {
  text: string;
  tokens: string[];
  ids: number[];
  /** one row per token (special tokens included), width = hidden size */
  states: Matrix;
  truncated: boolean;
}

export interface ModelInfo {
  name: string;
  /** folder the checkpoint was read from, or "" for models without files */
  source: string;
  architecture: string;
  modelType: string;
  hiddenSize: number;
  numLayers: number;
  maxLength: number;
  defaultPooling: PoolingMode;
  normalize: boolean;
  backend: string;
  /** width of embed()'s rows with the default pooling (Dense modules and concatenated poolings change it); absent: hiddenSize */
  embeddingSize?: number;
  /** the prompt names a retrieval pipeline should pass for queries and for documents (sentence-transformers' encode_query /
   * encode_document choice); absent when the checkpoint defines none */
  queryPrompt?: string;
  documentPrompt?: string;
}

export interface EmbeddingModel {
  readonly info: ModelInfo;
  /** Embed texts into a float32 matrix (rows in input order). Empty texts embed as [CLS][SEP] (Transformer) or zeros (static). */
  embed(texts: string[], options?: EmbedOptions): Promise<Matrix>;
  /** Truncation notes of the last embed() call. */
  readonly lastTruncations: TruncationNote[];
  /** Token-level states of one text for per-token analyses. */
  tokenStates(text: string, options?: { layer?: number; attentionTemperature?: number }): Promise<TokenStates>;
  /** Number of word pieces (with special tokens, before truncation) of each text. */
  countTokens(texts: string[]): number[];
  dispose(): void;
}

/**
 * Binds a model's methods to it, so they work when passed on their own (`{ countTokens: model.countTokens }`,
 * `texts.map(model.countTokens)`). Every EmbeddingModel implementation calls this in its constructor.
 */
export function bindModelMethods(model: EmbeddingModel): void {
  const methods = model as unknown as Record<string, unknown>;
  for (const name of ["embed", "tokenStates", "countTokens", "dispose"]) {
    const method = methods[name];
    if (typeof method === "function") methods[name] = method.bind(model);
  }
}
