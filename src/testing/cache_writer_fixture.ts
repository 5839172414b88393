/** A fake encoder whose rows are a function of the whole text, for the embedding-cache concurrency test (and its child writers). */
import type { Matrix } from "../matrix";
import type { EmbeddingModel, ModelInfo, TokenStates, TruncationNote } from "../embedding/model";

export const COLS = 6;
export const INFO: ModelInfo = {
  name: "concurrent-fake",
  source: "/nowhere/concurrent-fake",
  architecture: "Fake",
  modelType: "fake",
  hiddenSize: COLS,
  numLayers: 2,
  maxLength: 512,
  defaultPooling: "mean",
  normalize: false,
  backend: "test",
};

/** The vector of a text: a function of every character, so that rows of different texts never coincide. */
export function expectedRow(text: string): number[] {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return Array.from({ length: COLS }, (_, j) => Math.fround(Math.sin(h * 1e-6 + j * 0.77)));
}

export class RowModel implements EmbeddingModel {
  lastTruncations: TruncationNote[] = [];
  readonly info = INFO;
  calls = 0;
  constructor(private readonly allowEmbed = true) {}
  async embed(texts: string[]): Promise<Matrix> {
    if (!this.allowEmbed) throw new Error(`embed called for ${texts.length} texts: the cache lost rows`);
    this.calls++;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 2)); // let the other process interleave
    return { rows: texts.length, cols: COLS, data: Float32Array.from(texts.flatMap(expectedRow)) };
  }
  async tokenStates(text: string): Promise<TokenStates> {
    return { text, tokens: [], ids: [], states: { rows: 0, cols: COLS, data: new Float32Array(0) }, truncated: false };
  }
  countTokens(texts: string[]): number[] {
    return texts.map((t) => t.length);
  }
  dispose(): void {}
}

export const textsOf = (writer: string) =>
  Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? `shared text ${i}` : `${writer} text ${i}`));
