/**
 * model_type → the function that builds its ONNX graph from a checkpoint (the onnxruntime engine's counterpart of
 * registry.ts). An architecture without an entry runs on the tfjs engine only.
 */
import type { ModelConfig } from "../checkpoint/config";
import type { TensorSource } from "../weights";
import type { OnnxArchitecture } from "./architecture";
import { bertArchitecture, robertaArchitecture } from "./bert_graph";
import { mpnetArchitecture } from "./mpnet_graph";
import { qwen3Architecture } from "./qwen3_graph";

const GRAPHS: Record<string, (config: ModelConfig, checkpoint: TensorSource) => OnnxArchitecture> = {
  bert: bertArchitecture,
  roberta: robertaArchitecture,
  "xlm-roberta": robertaArchitecture,
  mpnet: mpnetArchitecture,
  qwen3: qwen3Architecture,
};

export const ONNX_MODEL_TYPES: readonly string[] = Object.keys(GRAPHS);

export function hasOnnxGraph(modelType: string): boolean {
  return Object.hasOwn(GRAPHS, modelType);
}

/** The architecture's ONNX graph builder with its weights read from the checkpoint. */
export function onnxArchitecture(config: ModelConfig, checkpoint: TensorSource): OnnxArchitecture {
  if (!hasOnnxGraph(config.modelType))
    throw new Error(`no ONNX graph for model_type ${config.modelType}; use --engine tfjs`);
  return GRAPHS[config.modelType](config, checkpoint);
}
