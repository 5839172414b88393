/**
 * Test fixture: a tiny random BERT checkpoint in Hugging Face layout, written into a folder as one file, as shards with an
 * index, or in half precision, so loaders can be tested without the real model (and without touching the shared assets).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { gaussian, seededRandom } from "../util/random";
import {
  encodeSafetensors,
  INDEX_FILE,
  SINGLE_FILE,
  type FloatDtype,
  type TensorToWrite,
} from "../encoders/checkpoint/safetensors";

export const TINY_BERT_CONFIG = {
  architectures: ["BertModel"],
  model_type: "bert",
  vocab_size: 40,
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 24,
  hidden_act: "gelu",
  max_position_embeddings: 24,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  position_embedding_type: "absolute",
};

/** Every tensor of the tiny BERT, Hugging Face names and [out, in] Linear layout, seeded. */
export function tinyBertTensors(seed = 7): Record<string, TensorToWrite> {
  const c = TINY_BERT_CONFIG;
  const rng = seededRandom(seed);
  const H = c.hidden_size;
  const tensors: Record<string, TensorToWrite> = {};
  const add = (name: string, shape: number[], scale: number, offset = 0) => {
    const count = shape.reduce((a, b) => a * b, 1);
    tensors[name] = { shape, values: Float32Array.from({ length: count }, () => offset + scale * gaussian(rng)) };
  };
  const norm = (name: string) => {
    add(`${name}.weight`, [H], 0.1, 1);
    add(`${name}.bias`, [H], 0.1);
  };
  const linear = (name: string, inSize: number, outSize: number) => {
    add(`${name}.weight`, [outSize, inSize], 1 / Math.sqrt(inSize));
    add(`${name}.bias`, [outSize], 0.1);
  };
  add("embeddings.word_embeddings.weight", [c.vocab_size, H], 1);
  add("embeddings.position_embeddings.weight", [c.max_position_embeddings, H], 0.5);
  add("embeddings.token_type_embeddings.weight", [c.type_vocab_size, H], 0.5);
  norm("embeddings.LayerNorm");
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const l = `encoder.layer.${i}`;
    for (const part of ["query", "key", "value"]) linear(`${l}.attention.self.${part}`, H, H);
    linear(`${l}.attention.output.dense`, H, H);
    norm(`${l}.attention.output.LayerNorm`);
    linear(`${l}.intermediate.dense`, H, c.intermediate_size);
    linear(`${l}.output.dense`, c.intermediate_size, H);
    norm(`${l}.output.LayerNorm`);
  }
  return tensors;
}

export interface TinyBertOptions {
  /** default F32 */
  dtype?: FloatDtype;
  /** write this many shards plus model.safetensors.index.json (default 1: a single model.safetensors) */
  shards?: number;
  /** e.g. "bert." as in BertFor* checkpoints */
  prefix?: string;
  /** change the tensors before writing (drop one, reshape one, …) */
  edit?: (tensors: Record<string, TensorToWrite>) => void;
  /** change config.json before writing */
  config?: Record<string, unknown>;
}

/** Write config.json and the weights into `dir` (created if needed); returns dir. */
export function writeTinyBert(dir: string, options: TinyBertOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "config.json"), JSON.stringify({ ...TINY_BERT_CONFIG, ...options.config }, null, 2));
  const tensors = tinyBertTensors();
  options.edit?.(tensors);
  const named = Object.entries(tensors).map(
    ([name, t]) => [(options.prefix ?? "") + name, { ...t, dtype: options.dtype ?? t.dtype }] as const,
  );
  const shards = options.shards ?? 1;
  if (shards === 1) {
    writeFileSync(path.join(dir, SINGLE_FILE), encodeSafetensors(Object.fromEntries(named)));
    return dir;
  }
  const weightMap: Record<string, string> = {};
  const perShard = Math.ceil(named.length / shards);
  for (let s = 0; s < shards; s++) {
    const file = `model-${String(s + 1).padStart(5, "0")}-of-${String(shards).padStart(5, "0")}.safetensors`;
    const part = named.slice(s * perShard, (s + 1) * perShard);
    for (const [name] of part) weightMap[name] = file;
    writeFileSync(path.join(dir, file), encodeSafetensors(Object.fromEntries(part)));
  }
  writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify({ metadata: {}, weight_map: weightMap }, null, 2));
  return dir;
}
