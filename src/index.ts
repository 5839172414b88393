/** shiftlab's public surface: load a model, embed texts, pool token states. Add exports as plain `export ... from` lines. */
export { loadModel, type LoadModelOptions, type EncoderModelInfo } from "./embedding/load_model";
export type { EmbeddingModel, EmbedOptions, ModelInfo, TokenStates, TruncationNote } from "./embedding/model";
export { POOLING_MODES, isPoolingMode, type PoolingMode } from "./embedding/pooling_modes";
export { poolTokenStates } from "./embedding/pool";
export { type Matrix, matrixFromRows, row, toArrays, selectRows, stackRows, normalizeRows } from "./matrix";
