/** Pooling modes, named as in sentence-transformers' Pooling module (snake_case here). Every mode respects the attention mask. */
export const POOLING_MODES = ["mean", "cls", "max", "mean_sqrt_len", "weighted_mean", "last_token"] as const;
export type PoolingMode = (typeof POOLING_MODES)[number];

export function isPoolingMode(s: string): s is PoolingMode {
  return (POOLING_MODES as readonly string[]).includes(s);
}
