/**
 * RoBERTa and XLM-RoBERTa (Hugging Face RobertaModel / XLMRobertaModel): BERT's layers and tensor names, with fairseq's
 * positions. Position ids count from padding_idx + 1 over the non-padding tokens (padding itself gets padding_idx), so a
 * table of max_position_embeddings rows holds max_position_embeddings - padding_idx - 1 tokens; there is one token type.
 *
 *   embeddings = LayerNorm(word[id] + position[cumsum(id ≠ pad) · (id ≠ pad) + pad] + token_type[0])
 */
import * as tf from "@tensorflow/tfjs";
import { configInt, type ModelConfig } from "./checkpoint/config";
import { BertEncoder, bertConfigFromJson, mapBertFamily, type BertConfig, type BertWeights } from "./bert";
import { layerNorm, offsetPositionIds } from "./layers";
import { findPrefix, WeightReader, type TensorSource } from "./weights";

/** The same names as BERT's, bare (RobertaModel, as sentence-transformers saves it) or under "roberta." (RobertaFor*). */
export function robertaWeightsFromCheckpoint(ckpt: TensorSource, c: BertConfig): BertWeights {
  return tf.tidy(() =>
    mapBertFamily(new WeightReader(ckpt, findPrefix(ckpt, "embeddings.word_embeddings.weight", ["", "roberta."])), c),
  );
}

export class RobertaEncoder extends BertEncoder {
  constructor(
    config: BertConfig,
    weights: BertWeights,
    readonly paddingIdx: number,
    modelType = "roberta",
  ) {
    super(config, weights, modelType, config.maxPositions - paddingIdx - 1);
  }

  protected override embed(ids: tf.Tensor2D): tf.Tensor2D {
    const [batch, length] = ids.shape;
    const w = this.weights;
    const flat = (t: tf.Tensor2D) => t.reshape([batch * length]);
    const words = tf.gather(w.wordEmbeddings, flat(ids)) as tf.Tensor2D;
    const positions = tf.gather(w.positionEmbeddings, flat(offsetPositionIds(ids, this.paddingIdx))) as tf.Tensor2D;
    return layerNorm(words.add(w.tokenTypeEmbedding).add(positions), w.embeddingNorm, this.config.layerNormEps);
  }
}

export function loadRoberta(config: ModelConfig, checkpoint: TensorSource): RobertaEncoder {
  const c = bertConfigFromJson(config);
  const paddingIdx = configInt(config, "pad_token_id", 1);
  if (paddingIdx + 1 >= c.maxPositions)
    throw new Error(
      `${config.file}: pad_token_id ${paddingIdx} leaves no positions in max_position_embeddings ${c.maxPositions}`,
    );
  return new RobertaEncoder(c, robertaWeightsFromCheckpoint(checkpoint, c), paddingIdx, config.modelType);
}
