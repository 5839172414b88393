/**
 * Token states [B, T, H] → one vector per text [B, H], for every mode of ./modes. The attention mask [B, T] (1 = token,
 * 0 = padding) decides which positions count, so a padded batch pools exactly like its texts one at a time.
 */
import * as tf from "@tensorflow/tfjs";
import type { PoolingMode } from "./pooling_modes";

/** sentence-transformers' value for "never the maximum" and its floor on token counts */
const MASKED_FOR_MAX = -1e9;
const MIN_TOKEN_COUNT = 1e-9;

export function poolTokenStates(states: tf.Tensor3D, mask: tf.Tensor2D, mode: PoolingMode): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, length] = states.shape;
    const m: tf.Tensor2D = tf.cast(mask, "float32");
    const m3 = m.expandDims(2) as tf.Tensor3D; // [B, T, 1]
    switch (mode) {
      case "cls": {
        // the first pooled position: 0, unless prompt tokens are masked out of pooling (sentence-transformers' argmax of the mask)
        const first = m.argMax(1); // [B]
        const flatIndex = tf.range(0, batch, 1, "int32").mul(tf.scalar(length, "int32")).add(tf.cast(first, "int32"));
        return tf.gather(states.reshape([batch * length, -1]), flatIndex) as tf.Tensor2D;
      }
      case "mean":
        return maskedSum(states, m3).div(tokenCount(m));
      case "mean_sqrt_len":
        return maskedSum(states, m3).div(tokenCount(m).sqrt());
      case "max":
        return tf.where(m3.greater(0), states, MASKED_FOR_MAX).max(1) as tf.Tensor2D;
      case "weighted_mean": {
        // weight of position t is t + 1: with right padding the tokens get 1..n
        const weights: tf.Tensor2D = m.mul(tf.range(1, length + 1, 1, "float32").expandDims(0)); // [B, T]
        return maskedSum(states, weights.expandDims(2) as tf.Tensor3D).div(tokenCount(weights));
      }
      case "last_token": {
        // last unmasked position: the largest (t + 1) * mask, minus one
        const positions = m.mul(tf.range(1, length + 1, 1, "float32").expandDims(0)).argMax(1); // [B]
        const flatIndex = tf
          .range(0, batch, 1, "int32")
          .mul(tf.scalar(length, "int32"))
          .add(tf.cast(positions, "int32"));
        return tf.gather(states.reshape([batch * length, -1]), flatIndex) as tf.Tensor2D;
      }
      default: {
        const unknown: never = mode;
        throw new Error(`poolTokenStates: unknown pooling mode ${JSON.stringify(unknown)}`);
      }
    }
  });
}

/** sum over T of weight * state → [B, H] */
function maskedSum(states: tf.Tensor3D, weights: tf.Tensor3D): tf.Tensor2D {
  return states.mul(weights).sum(1);
}

/** sum over T of the weights, floored like sentence-transformers → [B, 1] */
function tokenCount(weights: tf.Tensor2D): tf.Tensor2D {
  return weights.sum(1, true).maximum(MIN_TOKEN_COUNT);
}
