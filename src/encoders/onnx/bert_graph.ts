/**
 * BERT, RoBERTa and XLM-RoBERTa as ONNX graphs (bert.ts and roberta.ts, node for node):
 *
 *   BERT:     embeddings = LayerNorm(word[id] + position[t] + token_type[0])
 *   RoBERTa:  embeddings = LayerNorm(word[id] + token_type[0] + position[cumsum(id ≠ pad) · (id ≠ pad) + pad])
 *   layers:   post-LayerNorm (graph_layers.ts postNormLayer), attention logits scaled by 1/(√dh · τ)
 *
 * Weights come from the same mapping functions as the tfjs encoders (bertWeightsFromCheckpoint, robertaWeightsFromCheckpoint).
 */
import { configInt, type ModelConfig } from "../checkpoint/config";
import { bertConfigFromJson, bertWeightsFromCheckpoint, type BertConfig, type BertWeights } from "../bert";
import { robertaWeightsFromCheckpoint } from "../roberta";
import type { TensorSource } from "../weights";
import type { OnnxArchitecture } from "./architecture";
import type { GraphBuilder } from "./graph_builder";
import { layerNorm, leadingRows, offsetPositionIds, paddingBias, postNormLayer, queryScale } from "./graph_layers";
import { hostBytes, toHost, type Host } from "./host_weights";
import { stackGraph, type StackInputs, type StackSpec } from "./stack_graph";

/** paddingIdx undefined: BERT's absolute positions 0..T-1; a number: RoBERTa's offset positions */
function bertFamilySpec(c: BertConfig, w: Host<BertWeights>, modelType: string, paddingIdx?: number): StackSpec {
  const H = c.hiddenSize;
  return {
    name: modelType,
    numLayers: c.numLayers,
    hiddenSize: H,
    embed(g: GraphBuilder, inputs: StackInputs): string {
      const words = g.op("Gather", [g.weight("embeddings.word", w.wordEmbeddings), inputs.ids], {}, "words");
      const table = g.weight("embeddings.position", w.positionEmbeddings);
      const tokenType = g.weight("embeddings.token_type_0", w.tokenTypeEmbedding);
      const sum =
        paddingIdx === undefined
          ? g.op("Add", [g.op("Add", [words, leadingRows(g, table, inputs.ids)]), tokenType])
          : g.op("Add", [
              g.op("Add", [words, tokenType]),
              g.op("Gather", [table, offsetPositionIds(g, inputs.ids, paddingIdx)], {}, "positions"),
            ]);
      return layerNorm(g, sum, w.embeddingNorm, c.layerNormEps, "embeddings.norm");
    },
    shared: (g, inputs) => ({
      keyBias: paddingBias(g, inputs.mask),
      queryScale: queryScale(g, inputs.inverseTemperature, H / c.numHeads),
    }),
    layer: (g, x, i, shared) => postNormLayer(g, x, w.layers[i], c, shared, `layer${i}`),
  };
}

function architecture(
  c: BertConfig,
  w: Host<BertWeights>,
  modelType: string,
  maxPositions: number,
  paddingIdx?: number,
): OnnxArchitecture {
  const spec = bertFamilySpec(c, w, modelType, paddingIdx);
  return {
    modelType,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    maxPositions,
    weightBytes: hostBytes(w),
    graph: (layers) => stackGraph(spec, layers),
    extraInputs: () => [],
  };
}

export function bertArchitecture(config: ModelConfig, checkpoint: TensorSource): OnnxArchitecture {
  const c = bertConfigFromJson(config);
  return architecture(c, toHost(bertWeightsFromCheckpoint(checkpoint, c)), config.modelType, c.maxPositions);
}

/** RoBERTa and XLM-RoBERTa: pad_token_id (default 1) offsets the positions, as loadRoberta reads it */
export function robertaArchitecture(config: ModelConfig, checkpoint: TensorSource): OnnxArchitecture {
  const c = bertConfigFromJson(config);
  const paddingIdx = configInt(config, "pad_token_id", 1);
  if (paddingIdx + 1 >= c.maxPositions)
    throw new Error(
      `${config.file}: pad_token_id ${paddingIdx} leaves no positions in max_position_embeddings ${c.maxPositions}`,
    );
  const w = toHost(robertaWeightsFromCheckpoint(checkpoint, c));
  return architecture(c, w, config.modelType, c.maxPositions - paddingIdx - 1, paddingIdx);
}
