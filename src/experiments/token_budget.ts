/**
 * The token-budget rule, the same for every selector of sentence units (sentence_units.ts, sentence_corpora.ts): no
 * `maxTokens` means no limit (everything is kept, nothing is counted); `maxTokens` without `countTokens` is an error (a limit
 * that cannot be checked is never ignored silently); with both, a text fits when countTokens gives it at most maxTokens word
 * pieces (special tokens included).
 */

/** Which texts fit the token budget (one boolean per text). */
export type TokenBudget = (texts: string[]) => boolean[];

export function tokenBudget(
  maxTokens: number | undefined,
  countTokens: ((texts: string[]) => number[]) | undefined,
  caller: string,
): TokenBudget {
  if (maxTokens === undefined) return (texts) => texts.map(() => true);
  if (!countTokens) throw new Error(`${caller}: maxTokens needs countTokens (e.g. model.countTokens)`);
  return (texts) => countTokens(texts).map((n) => n <= maxTokens);
}
