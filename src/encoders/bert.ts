/**
 * BERT encoder (Hugging Face BertModel arithmetic, post-LayerNorm), written to read like the architecture:
 *
 *   embeddings = LayerNorm(word[id] + position[t] + token_type[0])
 *   each layer:  a = LayerNorm(x + Dense(SelfAttention(x)));  x = LayerNorm(a + Dense(GELU(Dense(a))))
 *
 * The layer itself is shared with RoBERTa and MPNet (layers.ts). Weights are loaded by one function, bertWeightsFromCheckpoint,
 * which checks every shape; the BERT-family layer names are mapped by bertFamilyLayer, which RoBERTa reuses.
 */
import * as tf from "@tensorflow/tfjs";
import { configInt, configNumber, configString, type ModelConfig } from "./checkpoint/config";
import { activationNamed, layerNorm, type Activation, type Norm, type PostNormLayerWeights } from "./layers";
import { PostNormEncoder } from "./post_norm_encoder";
import { findPrefix, WeightReader, type TensorSource } from "./weights";

export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  hiddenAct: Activation;
}

export function bertConfigFromJson(config: ModelConfig): BertConfig {
  const positionType = configString(config, "position_embedding_type", "absolute");
  if (positionType !== "absolute")
    throw new Error(`${config.file}: position_embedding_type "${positionType}" is not supported (only "absolute")`);
  const c: BertConfig = {
    vocabSize: configInt(config, "vocab_size"),
    hiddenSize: configInt(config, "hidden_size"),
    numLayers: configInt(config, "num_hidden_layers"),
    numHeads: configInt(config, "num_attention_heads"),
    intermediateSize: configInt(config, "intermediate_size"),
    maxPositions: configInt(config, "max_position_embeddings", 512),
    typeVocabSize: configInt(config, "type_vocab_size", 2),
    layerNormEps: configNumber(config, "layer_norm_eps", 1e-12),
    hiddenAct: activationNamed(configString(config, "hidden_act", "gelu"), config.file),
  };
  if (c.hiddenSize % c.numHeads !== 0)
    throw new Error(
      `${config.file}: hidden_size ${c.hiddenSize} is not a multiple of num_attention_heads ${c.numHeads}`,
    );
  return c;
}

// ---- weights ----

export type BertWeights = {
  wordEmbeddings: tf.Tensor2D;
  positionEmbeddings: tf.Tensor2D;
  /** row 0 of token_type_embeddings: every token is segment A */
  tokenTypeEmbedding: tf.Tensor1D;
  embeddingNorm: Norm;
  layers: PostNormLayerWeights[];
};

/**
 * The one place that knows BERT's tensor names. Accepts names with or without the `bert.` prefix (BertModel vs. BertFor*
 * checkpoints); a pooler, if present, is not used.
 */
export function bertWeightsFromCheckpoint(ckpt: TensorSource, c: BertConfig): BertWeights {
  // tidy keeps the returned weights (type aliases, not interfaces, so they count as a TensorContainer), frees the untransposed
  // copies, and frees everything when a tensor is missing or misshapen
  return tf.tidy(() =>
    mapBertFamily(new WeightReader(ckpt, findPrefix(ckpt, "embeddings.word_embeddings.weight", ["", "bert."])), c),
  );
}

/** BERT's and RoBERTa's shared layout (RoBERTa stores the same names under "roberta."). */
export function mapBertFamily(w: WeightReader, c: BertConfig): BertWeights {
  const H = c.hiddenSize;
  const tokenTypes = w.matrix("embeddings.token_type_embeddings.weight", c.typeVocabSize, H);
  return {
    wordEmbeddings: w.matrix("embeddings.word_embeddings.weight", c.vocabSize, H),
    positionEmbeddings: w.matrix("embeddings.position_embeddings.weight", c.maxPositions, H),
    tokenTypeEmbedding: tokenTypes.slice([0, 0], [1, H]).reshape([H]) as tf.Tensor1D,
    embeddingNorm: w.layerNorm("embeddings.LayerNorm", H),
    layers: Array.from({ length: c.numLayers }, (_, i) => bertFamilyLayer(w, `encoder.layer.${i}`, c)),
  };
}

function bertFamilyLayer(w: WeightReader, l: string, c: BertConfig): PostNormLayerWeights {
  const H = c.hiddenSize;
  return {
    query: w.dense(`${l}.attention.self.query`, H, H),
    key: w.dense(`${l}.attention.self.key`, H, H),
    value: w.dense(`${l}.attention.self.value`, H, H),
    attentionOutput: w.dense(`${l}.attention.output.dense`, H, H),
    attentionNorm: w.layerNorm(`${l}.attention.output.LayerNorm`, H),
    intermediate: w.dense(`${l}.intermediate.dense`, H, c.intermediateSize),
    output: w.dense(`${l}.output.dense`, c.intermediateSize, H),
    outputNorm: w.layerNorm(`${l}.output.LayerNorm`, H),
  };
}

// ---- model ----

export class BertEncoder extends PostNormEncoder<BertWeights> {
  declare readonly config: BertConfig;
  readonly hiddenSize: number;
  readonly numLayers: number;

  /** modelType and maxPositions are set by the BERT-family encoders that derive from this one (RoBERTa's differ) */
  constructor(
    config: BertConfig,
    weights: BertWeights,
    readonly modelType = "bert",
    readonly maxPositions = config.maxPositions,
  ) {
    super(config, weights);
    this.hiddenSize = config.hiddenSize;
    this.numLayers = config.numLayers;
  }

  /** LayerNorm(word[id] + position[t] + token_type[0]) */
  protected embed(ids: tf.Tensor2D): tf.Tensor2D {
    const [batch, length] = ids.shape;
    const w = this.weights;
    const words = tf.gather(w.wordEmbeddings, ids.reshape([batch * length])) as tf.Tensor2D;
    const positions = tf.tile(w.positionEmbeddings.slice([0, 0], [length, this.hiddenSize]), [batch, 1]);
    return layerNorm(words.add(positions).add(w.tokenTypeEmbedding), w.embeddingNorm, this.config.layerNormEps);
  }
}

export function loadBert(config: ModelConfig, checkpoint: TensorSource): BertEncoder {
  const c = bertConfigFromJson(config);
  return new BertEncoder(c, bertWeightsFromCheckpoint(checkpoint, c));
}
