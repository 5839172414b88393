/**
 * The post-LayerNorm encoders (BERT and its family, MPNet): the same layer — attention (with the architecture's score bias,
 * if any) and feed-forward, each followed by residual + LayerNorm — over the architecture's own embeddings and weights.
 */
import * as tf from "@tensorflow/tfjs";
import {
  postNormLayer,
  StackedEncoder,
  type LayerInputs,
  type PostNormLayerWeights,
  type PostNormShape,
} from "./layers";
import { tensorsOf } from "./weights";

export abstract class PostNormEncoder<W extends { layers: PostNormLayerWeights[] }> extends StackedEncoder {
  constructor(
    readonly config: PostNormShape,
    protected readonly weights: W,
  ) {
    super();
  }

  protected layer(x: tf.Tensor2D, i: number, inputs: LayerInputs): tf.Tensor2D {
    const p = this.weights.layers[i];
    return postNormLayer(x, inputs.keyBias, inputs.scoreBias, p, this.config, inputs.attentionTemperature);
  }

  dispose(): void {
    tf.dispose(tensorsOf(this.weights));
  }
}
