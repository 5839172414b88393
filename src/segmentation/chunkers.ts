/**
 * One entry point for the four chunkers, so the CLI and the benchmarks call them the same way:
 * - "fixed": every `size` sentences, or (unit "tokens") whole sentences packed into `maxTokens` (fixed.ts);
 * - "semantic": cut above a percentile of adjacent-sentence cosine distances (semantic.ts);
 * - "texttiling": Hearst's lexical TextTiling (texttiling.ts);
 * - "shift": the Shift Splitter (shift_splitter.ts).
 * `targetSize` (mean chunk size in sentences) overrides each method's own knob, for comparisons at matched size.
 * `needs` says what a method reads besides the sentences, so a caller embeds or tokenizes only when it must.
 */
import type { Matrix } from "../matrix";
import {
  fixedSentenceBoundaries,
  fixedSentenceBoundariesForTarget,
  fixedTokenBoundaries,
  fixedTokenBoundariesForTarget,
} from "./fixed";
import { semanticBoundaries } from "./semantic";
import { shiftSplitterBoundaries } from "./shift_splitter";
import { textTilingBoundaries } from "./texttiling";

export const CHUNK_METHODS = ["shift", "semantic", "fixed", "texttiling"] as const;
export type ChunkMethod = (typeof CHUNK_METHODS)[number];

export function isChunkMethod(s: string): s is ChunkMethod {
  return (CHUNK_METHODS as readonly string[]).includes(s);
}

export interface ChunkOptions {
  targetSize?: number;
  /** fixed: count chunk size in sentences (default) or tokens */
  unit?: "sentences" | "tokens";
  /** fixed, sentences: sentences per chunk (default 5) */
  size?: number;
  /** fixed, tokens: token budget per chunk (default 256) */
  maxTokens?: number;
  /** semantic and shift: the cut percentile */
  percentile?: number;
  /** shift: window W */
  window?: number;
  /** shift: minimum chunk length in sentences */
  minSentences?: number;
  /** texttiling: pseudo-sentence length w and block size k */
  pseudoSentenceWords?: number;
  blockSize?: number;
}

export interface ChunkInput {
  sentences: readonly string[];
  /** one row per sentence (semantic, shift) */
  embeddings?: Matrix;
  /** tokens of each sentence (fixed with unit "tokens") */
  sentenceTokens?: readonly number[];
}

/** What the method reads besides the sentences. */
export function needs(method: ChunkMethod, options: ChunkOptions): { embeddings: boolean; tokens: boolean } {
  return {
    embeddings: method === "semantic" || method === "shift",
    tokens: method === "fixed" && options.unit === "tokens",
  };
}

/** The boundaries (sentence indices where each chunk after the first starts) the method gives the document. */
export function chunkBoundaries(method: ChunkMethod, input: ChunkInput, options: ChunkOptions = {}): number[] {
  const n = input.sentences.length;
  const { targetSize } = options;
  switch (method) {
    case "fixed":
      if (options.unit === "tokens") {
        const tokens = required(input.sentenceTokens, "sentence token counts", method);
        return targetSize === undefined
          ? fixedTokenBoundaries(tokens, options.maxTokens ?? 256)
          : fixedTokenBoundariesForTarget(tokens, targetSize);
      }
      return targetSize === undefined
        ? fixedSentenceBoundaries(n, options.size ?? 5)
        : fixedSentenceBoundariesForTarget(n, targetSize);
    case "semantic":
      return semanticBoundaries(required(input.embeddings, "sentence embeddings", method), {
        percentile: options.percentile,
        targetSize,
      });
    case "shift":
      return shiftSplitterBoundaries(required(input.embeddings, "sentence embeddings", method), {
        percentile: options.percentile,
        window: options.window,
        minSentences: options.minSentences,
        targetSize,
      });
    case "texttiling":
      return textTilingBoundaries(input.sentences, {
        pseudoSentenceWords: options.pseudoSentenceWords,
        blockSize: options.blockSize,
        targetSize,
      });
  }
}

function required<T>(value: T | undefined, what: string, method: ChunkMethod): T {
  if (value === undefined) throw new Error(`chunker "${method}" needs ${what}`);
  return value;
}
