/**
 * shiftlab's public surface, in the order of the data path: a researcher extending an analysis (or a notebook) imports
 * `{ loadModel, startNotebook, meanPairwiseCosineDistance, ... } from "./src/index"`. Add exports as plain `export ... from` lines.
 */
// models: load, embed, pool, cache
export { loadModel, type LoadModelOptions, type EncoderModelInfo } from "./embedding/load_model";
export type { EmbeddingModel, EmbedOptions, ModelInfo, TokenStates, TruncationNote } from "./embedding/model";
export { POOLING_MODES, isPoolingMode, type PoolingMode } from "./embedding/pooling_modes";
export { poolTokenStates } from "./embedding/pool";
export { withEmbeddingCache } from "./embedding/cache";
export { type Matrix, matrixFromRows, row, toArrays, selectRows, stackRows, normalizeRows, sliceRows, splitRows } from "./matrix";
// corpora and units of sentences
export * from "./text/corpora";
export * from "./experiments/sentence_units";
export * from "./experiments/construct";
// geometry, shift and statistics
export * from "./metrics/geometry";
export * from "./metrics/vectors";
export * from "./metrics/mpd_decomposition";
export * from "./metrics/shift";
export * from "./metrics/stats";
// experiments, one module per notebook
export * from "./experiments/dilution";
export * from "./experiments/pooled_mpd";
export * from "./experiments/pooled_mpd_search";
export * from "./experiments/shift_profile";
export * from "./experiments/length_vs_shift";
export * from "./experiments/sweep";
// figures and tables
export * from "./figures/figure";
export * from "./figures/charts";
export * from "./figures/panel_charts";
export * from "./figures/dilution_figures";
export * from "./figures/pooled_mpd_figures";
export * from "./figures/table";
export * from "./figures/display";
// notebooks: context, tables, claims and verdicts
export * from "./notebook/context";
export * from "./notebook/tables";
export * from "./notebook/claims";
export * from "./notebook/verdict";
