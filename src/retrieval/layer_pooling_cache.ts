/**
 * An on-disk cache for the pooling ablation: the raw pooled vectors of one text list under every pooling mode × layer set
 * (TransformerEmbeddingModel.embedLayerSets), computed in one forward pass per batch and stored together, so a rerun of
 * notebook 07 only reads. Key: the model (name, source, hidden size, max length), the modes, the layer sets and the texts
 * (sha256 over all of them). Layout: <cacheRoot>/layer-pooling/<key>.f32 (the matrices one after another, float32) and
 * <key>.json (their keys, rows and cols). The JSON is written last, so an interrupted write leaves no entry.
 * SHIFTLAB_NO_CACHE bypasses it as it does the embedding cache.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacheRoot } from "../assets/paths";
import type { ModelInfo } from "../embedding/model";
import type { PoolingMode } from "../embedding/pooling_modes";
import type { Matrix } from "../matrix";
import { settingFlag } from "../settings";

/** What can pool every mode × layer set in one pass (the Transformer model; see embedding/load_model.ts). */
export interface LayerSetEmbedder {
  readonly info: ModelInfo;
  embedLayerSets(
    texts: string[],
    layerSets: number[][],
    modes: PoolingMode[],
    batchSize?: number,
  ): Promise<Map<string, Matrix>>;
}

export function canEmbedLayerSets(model: unknown): model is LayerSetEmbedder {
  return typeof (model as { embedLayerSets?: unknown }).embedLayerSets === "function";
}

export function layerSetKey(mode: PoolingMode, layers: readonly number[]): string {
  return `${mode}@${layers.join("+")}`;
}

export async function cachedLayerSets(
  model: LayerSetEmbedder,
  texts: string[],
  layerSets: number[][],
  modes: PoolingMode[],
  options: { cacheDir?: string } = {},
): Promise<Map<string, Matrix>> {
  const info = model.info;
  const hash = createHash("sha256");
  hash.update(
    [info.name, info.source, info.hiddenSize, info.maxLength, JSON.stringify(modes), JSON.stringify(layerSets)].join(
      "\0",
    ),
  );
  for (const text of texts) hash.update("\0").update(text);
  const folder = options.cacheDir ?? join(cacheRoot(), "layer-pooling");
  const base = join(folder, hash.digest("hex").slice(0, 24));
  const useCache = !settingFlag("SHIFTLAB_NO_CACHE");
  if (useCache && existsSync(`${base}.json`) && existsSync(`${base}.f32`)) {
    const meta = JSON.parse(readFileSync(`${base}.json`, "utf8")) as { keys: string[]; rows: number; cols: number };
    const bytes = readFileSync(`${base}.f32`);
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const size = meta.rows * meta.cols;
    if (all.length === size * meta.keys.length)
      return new Map(
        meta.keys.map((key, k) => [
          key,
          { rows: meta.rows, cols: meta.cols, data: all.slice(k * size, (k + 1) * size) },
        ]),
      );
  }
  const result = await model.embedLayerSets(texts, layerSets, modes);
  if (useCache) {
    mkdirSync(folder, { recursive: true });
    const keys = [...result.keys()];
    const first = result.get(keys[0])!;
    const joined = new Float32Array(first.rows * first.cols * keys.length);
    keys.forEach((key, k) => joined.set(result.get(key)!.data, k * first.rows * first.cols));
    writeFileSync(`${base}.f32.tmp`, Buffer.from(joined.buffer));
    renameSync(`${base}.f32.tmp`, `${base}.f32`);
    writeFileSync(`${base}.json.tmp`, JSON.stringify({ keys, rows: first.rows, cols: first.cols, model: info.name }));
    renameSync(`${base}.json.tmp`, `${base}.json`);
  }
  return result;
}
