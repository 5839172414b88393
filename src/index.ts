/** shiftlab's public surface: load a model, embed texts, pool token states. Add exports as plain `export ... from` lines. */
export { loadModel, type LoadModelOptions, type EncoderModelInfo } from "./states/encoder_model";
export type { EmbeddingModel, EmbedOptions, ModelInfo, TokenStates, TruncationNote } from "./model";
export { POOLING_MODES, isPoolingMode, type PoolingMode } from "./pooling/modes";
export { poolTokenStates } from "./pooling/pool";
export { type Matrix, matrixFromRows, row, toArrays, selectRows, stackRows, normalizeRows } from "./matrix";
