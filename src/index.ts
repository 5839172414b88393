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
export { checkReferenceParity, PARITY_TOLERANCE, type ReferenceParity } from "./embedding/reference_parity";
export {
  type Matrix,
  matrixFromRows,
  row,
  toArrays,
  selectRows,
  stackRows,
  normalizeRows,
  sliceRows,
  splitRows,
} from "./matrix";
// corpora and units of sentences
export * from "./text/corpora";
export * from "./experiments/sentence_units";
export * from "./experiments/sentence_corpora";
export * from "./experiments/construct";
// geometry, shift and statistics
export * from "./metrics/geometry";
export * from "./metrics/vectors";
export * from "./metrics/mpd_decomposition";
export * from "./metrics/shift";
export * from "./metrics/stats";
export * from "./metrics/design_tests";
// experiments, one module per notebook
export * from "./experiments/dilution";
export * from "./experiments/pooled_mpd";
export * from "./experiments/pooled_mpd_search";
export * from "./experiments/pooled_mpd_blocks";
export * from "./experiments/shift_profile";
export * from "./experiments/length_vs_shift";
export * from "./experiments/length_vs_shift_inference";
export * from "./experiments/anisotropy_control";
export * from "./experiments/construction_audit";
export * from "./experiments/sweep";
export * from "./experiments/models_overview";
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
export * from "./notebook/length_vs_shift_claims";
export * from "./notebook/verdict";
// notebook 09: chunkers, chunked retrieval, their figures and claims
export * from "./segmentation/benchmarks";
export * from "./segmentation/chunkers";
export * from "./segmentation/per_document";
export * from "./segmentation/long_documents";
export * from "./segmentation/chunked_retrieval";
export * from "./figures/segmentation_figures";
export * from "./notebook/shift_splitter_claims";
export * from "./notebook/shift_splitter_tables";
// notebooks 06 and 07: BEIR retrieval, anisotropy sources, pooling × layer × post-processing ablation
export {
  loadBeirDataset,
  documentText,
  type BeirDataset,
  type BeirDocument,
  type BeirQuery,
} from "./retrieval/beir_dataset";
export { evaluateRun, perQueryMetrics } from "./retrieval/ir_metrics";
export { bm25Run, denseRun, runFromVectors } from "./retrieval/retrieve";
export { fitPostprocess, describePostprocess, type PostprocessSpec } from "./retrieval/postprocess";
export * from "./retrieval/subset";
export * from "./retrieval/layer_pooling_cache";
export * from "./experiments/retrieval_anisotropy";
export * from "./experiments/pooling_ablation";
export { loadStaticWordModel, DEFAULT_STATIC_MODEL } from "./encoders/static_word_model";
export * from "./figures/retrieval_figures";
export * from "./notebook/retrieval_claims";
// notebook 08: TempScale attention temperature vs length and shift
export * from "./experiments/tempscale";
export * from "./figures/tempscale_figures";
export * from "./notebook/tempscale_claims";
