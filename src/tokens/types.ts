/** What the encoder needs from a tokenizer. Implemented by src/tokens/tokenizer.ts (loadTokenizer). */
export interface Encoding {
  /** word-piece ids with special tokens, after truncation */
  ids: number[];
  /** the word pieces themselves (same length as ids) */
  tokens: string[];
  /** length (with special tokens) before truncation */
  originalLength: number;
  truncated: boolean;
}

export interface TextTokenizer {
  /** maximum sequence length, special tokens included */
  readonly maxLength: number;
  readonly padId: number;
  /** which file the vocabulary came from (tokenizer.json, or vocab.txt + tokenizer_config.json) */
  readonly source: string;
  encode(text: string): Encoding;
  encodeBatch(texts: string[]): Encoding[];
  /**
   * How many tokens a prompt occupies at the start of `prompt + text`, counted as sentence-transformers counts them: the prompt
   * encoded alone, minus a trailing special token ([SEP], <|endoftext|>).
   */
  promptLength(prompt: string): number;
}
