/**
 * An on-disk cache of pooled embeddings, so that re-running a notebook does not re-encode thousands of texts.
 *
 * Key: the model (info.name, info.source, hidden size, max length), the resolved pooling, normalisation and layer (with the prompt
 * and the attention temperature when set), and the text (sha256 of its UTF-8 bytes). The weights themselves are not hashed: after changing a checkpoint in place, pass
 * `refresh: true` or clear the cache. The compute backend is not part of the key (CPU and GPU rows differ in the last bits).
 *
 * Layout: <cacheDir>/<model>-<hash>/<pooling>-<norm|raw>-layer<L>/
 *   vectors.f32  float32 rows in machine byte order (little-endian everywhere we run), appended, never rewritten
 *   index.tsv    one line per stored row: sha256 \t row \t original length \t kept length ("-" when not truncated)
 *   meta.json    what the folder holds (model, settings, width)
 *   write.lock   present while one process appends (holds its pid)
 * A row is written before its index line, and a line counts only once it ends in "\n", so an interrupted run leaves at most
 * an unreferenced row. Later lines win (refresh appends). Several processes may fill one folder at once (two notebook runs):
 * appends take the folder's write lock, re-read the index under it and write after the last indexed row, so appends never
 * interleave; meta.json is written to a temporary file and renamed. Readers take no lock (they trust complete lines only).
 * A lock left by a process that died is taken over; one held for over two minutes by a live process is an error.
 *
 * Environment: SHIFTLAB_NO_CACHE=1 bypasses the cache; SHIFTLAB_CACHE_CLEAR=1 empties each folder on its first use in a process.
 */
import { createHash } from "node:crypto";
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join, sep } from "node:path";
import { cacheRoot } from "../assets/paths";
import { settingFlag } from "../settings";
import { readJsonObject } from "../util/json";
import type { Matrix } from "../matrix";
import {
  bindModelMethods,
  type EmbedOptions,
  type EmbeddingModel,
  type ModelInfo,
  type TokenStates,
  type TruncationNote,
} from "./model";
import type { PoolingMode } from "./pooling_modes";
import { withWriteLock } from "./cache_lock";

export interface EmbeddingCacheOptions {
  /** default: <cacheRoot()>/embeddings */
  cacheDir?: string;
  /** recompute every text and store the new rows */
  refresh?: boolean;
}

/** The settings an embedding depends on, with the model's defaults filled in. */
export interface ResolvedEmbedSettings {
  pooling: PoolingMode;
  normalize: boolean;
  /** 0 = embedding output … numLayers = last */
  layer: number;
  /** the prompt as asked for (a name or literal text); undefined: the checkpoint's default prompt, if any */
  prompt?: string;
  /** TempScale's τ, present only when ≠ 1 (τ = 1 is the model as trained and keeps the folder names of before τ existed) */
  attentionTemperature?: number;
}

export function resolveEmbedSettings(info: ModelInfo, options: EmbedOptions = {}): ResolvedEmbedSettings {
  const layer = options.layer ?? info.numLayers;
  return {
    pooling: options.pooling ?? info.defaultPooling,
    normalize: options.normalize ?? info.normalize,
    layer: layer < 0 ? info.numLayers + 1 + layer : layer,
    ...(options.prompt !== undefined ? { prompt: options.prompt } : {}),
    ...(options.attentionTemperature !== undefined && options.attentionTemperature !== 1
      ? { attentionTemperature: options.attentionTemperature }
      : {}),
  };
}

export function embeddingCacheDir(cacheDir?: string): string {
  return cacheDir ?? join(cacheRoot(), "embeddings");
}

/** The folder of one model (all its settings). */
export function modelCacheFolder(info: ModelInfo, cacheDir?: string): string {
  const identity = [info.name, info.source, info.hiddenSize, info.maxLength].join("\0");
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 12);
  const slug = info.name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .slice(0, 60);
  return join(embeddingCacheDir(cacheDir), `${slug}-${hash}`);
}

export function settingsCacheFolder(info: ModelInfo, settings: ResolvedEmbedSettings, cacheDir?: string): string {
  // a prompt changes every vector: its own folder (none asked for keeps the folder names of before prompts existed)
  const prompt =
    settings.prompt === undefined
      ? ""
      : `-prompt-${createHash("sha256").update(settings.prompt).digest("hex").slice(0, 12)}`;
  const temperature =
    settings.attentionTemperature === undefined || settings.attentionTemperature === 1
      ? ""
      : `-tau${settings.attentionTemperature}`;
  const name = `${settings.pooling}-${settings.normalize ? "norm" : "raw"}-layer${settings.layer}${prompt}${temperature}`;
  return join(modelCacheFolder(info, cacheDir), name);
}

/** model.embed through the cache: only texts not stored yet are computed. */
export async function cachedEmbed(
  model: EmbeddingModel,
  texts: string[],
  options: EmbedOptions = {},
  cache: EmbeddingCacheOptions = {},
): Promise<Matrix> {
  return (await embedThroughCache(model, texts, options, cache)).matrix;
}

/** The model with a caching `embed` (and lastTruncations restored from the cache); everything else passes through. */
export function withEmbeddingCache(model: EmbeddingModel, cache: EmbeddingCacheOptions = {}): EmbeddingModel {
  return new CachedEmbeddingModel(model, cache);
}

/** Delete the cached rows of one model, or of all models. Returns the folders removed. */
export function clearEmbeddingCache(options: { model?: EmbeddingModel | ModelInfo; cacheDir?: string } = {}): string[] {
  const info = options.model === undefined ? undefined : "info" in options.model ? options.model.info : options.model;
  const folder = info ? modelCacheFolder(info, options.cacheDir) : embeddingCacheDir(options.cacheDir);
  for (const key of [...openFolders.keys()])
    if (key === folder || key.startsWith(folder + sep)) openFolders.delete(key);
  if (!existsSync(folder)) return [];
  rmSync(folder, { recursive: true, force: true });
  return [folder];
}

class CachedEmbeddingModel implements EmbeddingModel {
  lastTruncations: TruncationNote[] = [];

  constructor(
    private readonly inner: EmbeddingModel,
    private readonly cache: EmbeddingCacheOptions,
  ) {
    bindModelMethods(this);
  }

  get info(): ModelInfo {
    return this.inner.info;
  }

  async embed(texts: string[], options?: EmbedOptions): Promise<Matrix> {
    const { matrix, truncations } = await embedThroughCache(this.inner, texts, options ?? {}, this.cache);
    this.lastTruncations = truncations;
    return matrix;
  }

  tokenStates(text: string, options?: { layer?: number; attentionTemperature?: number }): Promise<TokenStates> {
    return this.inner.tokenStates(text, options);
  }

  countTokens(texts: string[]): number[] {
    return this.inner.countTokens(texts);
  }

  dispose(): void {
    this.inner.dispose();
  }
}

interface StoredRow {
  row: number;
  truncation?: { originalLength: number; keptLength: number };
}

/** What we know of one settings folder: the index as last read, and the file sizes it was read at. */
interface FolderState {
  folder: string;
  rows: Map<string, StoredRow>;
  rowCount: number;
  cols: number | undefined;
  indexBytes: number;
}

const openFolders = new Map<string, FolderState>();
const clearedThisProcess = new Set<string>();

async function embedThroughCache(
  model: EmbeddingModel,
  texts: string[],
  options: EmbedOptions,
  cache: EmbeddingCacheOptions,
): Promise<{ matrix: Matrix; truncations: TruncationNote[] }> {
  if (settingFlag("SHIFTLAB_NO_CACHE")) {
    const matrix = await model.embed(texts, options);
    return { matrix, truncations: model.lastTruncations };
  }
  const settings = resolveEmbedSettings(model.info, options);
  const folder = settingsCacheFolder(model.info, settings, cache.cacheDir);
  if (settingFlag("SHIFTLAB_CACHE_CLEAR") && !clearedThisProcess.has(folder)) {
    rmSync(folder, { recursive: true, force: true });
    openFolders.delete(folder);
    clearedThisProcess.add(folder);
  }

  const hashes = texts.map(sha256);
  let state = openFolder(folder);
  const missing = new Map<string, string>(); // hash → text, each distinct text once
  texts.forEach((t, i) => {
    if (cache.refresh || !state.rows.has(hashes[i])) missing.set(hashes[i], t);
  });
  if (missing.size > 0) {
    const computed = await model.embed([...missing.values()], { ...options, ...settings });
    state = appendRows(folder, model.info, settings, [...missing.keys()], computed, model.lastTruncations);
  }
  return readRows(state, hashes, model.info.embeddingSize ?? model.info.hiddenSize);
}

/** The folder's index as stored now. `repair` (only under the write lock) drops half a line left by an interrupted writer. */
function openFolder(folder: string, repair = false): FolderState {
  const indexPath = join(folder, "index.tsv");
  const known = openFolders.get(folder);
  const indexBytes = existsSync(indexPath) ? statSync(indexPath).size : 0;
  if (known && known.indexBytes === indexBytes && !repair) return known;

  const state: FolderState = { folder, rows: new Map(), rowCount: 0, cols: readCols(folder), indexBytes };
  if (indexBytes > 0) {
    const text = readFileSync(indexPath, "utf8");
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    const vectorBytes = existsSync(join(folder, "vectors.f32")) ? statSync(join(folder, "vectors.f32")).size : 0;
    const storedRows = state.cols ? Math.floor(vectorBytes / (state.cols * 4)) : 0;
    for (const line of complete.split("\n")) {
      const [hash, rowText, original, kept] = line.split("\t");
      const row = Number(rowText);
      if (!/^[0-9a-f]{64}$/.test(hash ?? "") || !Number.isInteger(row) || row >= storedRows) continue;
      const stored: StoredRow = { row };
      if (original !== undefined && original !== "-")
        stored.truncation = { originalLength: Number(original), keptLength: Number(kept) };
      state.rows.set(hash, stored);
      state.rowCount = Math.max(state.rowCount, row + 1);
    }
    // An interrupted write can leave half a line: drop it so that the next append starts on a fresh line. Without the
    // lock, half a line may be another process's append in progress, so it is only skipped.
    if (repair && complete.length < text.length) {
      writeFileSync(indexPath, complete);
      state.indexBytes = Buffer.byteLength(complete);
    }
  }
  openFolders.set(folder, state);
  return state;
}

function readCols(folder: string): number | undefined {
  const metaPath = join(folder, "meta.json");
  if (!existsSync(metaPath)) return undefined;
  return readJsonObject(metaPath, "embedding cache metadata; delete the folder to rebuild it").cols as
    number | undefined;
}

/** Store the rows after the last indexed row, under the folder's write lock; returns the folder's state after the append. */
function appendRows(
  folder: string,
  info: ModelInfo,
  settings: ResolvedEmbedSettings,
  hashes: string[],
  computed: Matrix,
  truncations: TruncationNote[],
): FolderState {
  if (computed.rows !== hashes.length) {
    throw new Error(`embedding cache: ${info.name} returned ${computed.rows} rows for ${hashes.length} texts`);
  }
  mkdirSync(folder, { recursive: true });
  return withWriteLock(folder, () => {
    const state = openFolder(folder, true); // re-read: another embed, or another process, may have appended meanwhile
    writeRows(state, info, settings, hashes, computed, truncations);
    return state;
  });
}

function writeRows(
  state: FolderState,
  info: ModelInfo,
  settings: ResolvedEmbedSettings,
  hashes: string[],
  computed: Matrix,
  truncations: TruncationNote[],
): void {
  if (state.cols !== undefined && state.cols !== computed.cols) {
    throw new Error(
      `embedding cache: ${state.folder} holds ${state.cols}-wide rows, the model returned ${computed.cols}; clear it`,
    );
  }
  if (state.cols === undefined) {
    const meta = { model: info, settings, cols: computed.cols, created: new Date().toISOString() };
    const metaPath = join(state.folder, "meta.json");
    writeFileSync(`${metaPath}.${process.pid}.tmp`, JSON.stringify(meta, null, 2) + "\n");
    renameSync(`${metaPath}.${process.pid}.tmp`, metaPath);
    state.cols = computed.cols;
  }
  const rowBytes = computed.cols * 4;
  const fd = openSync(join(state.folder, "vectors.f32"), existsSync(join(state.folder, "vectors.f32")) ? "r+" : "w");
  try {
    // Write at the end of the indexed rows, over any row an interrupted run left unreferenced.
    const rows = Buffer.from(computed.data.buffer, computed.data.byteOffset, computed.rows * rowBytes);
    writeSync(fd, rows, 0, rows.length, state.rowCount * rowBytes);
  } finally {
    closeSync(fd);
  }
  const byIndex = new Map(truncations.map((t) => [t.index, t]));
  const lines = hashes.map((hash, i) => {
    const note = byIndex.get(i);
    const stored: StoredRow = { row: state.rowCount + i };
    if (note) stored.truncation = { originalLength: note.originalLength, keptLength: note.keptLength };
    state.rows.set(hash, stored);
    return `${hash}\t${stored.row}\t${note ? `${note.originalLength}\t${note.keptLength}` : "-\t-"}\n`;
  });
  appendFileSync(join(state.folder, "index.tsv"), lines.join(""));
  state.rowCount += hashes.length;
  state.indexBytes = statSync(join(state.folder, "index.tsv")).size;
}

function readRows(
  state: FolderState,
  hashes: string[],
  fallbackCols: number,
): { matrix: Matrix; truncations: TruncationNote[] } {
  const cols = state.cols ?? fallbackCols;
  const data = new Float32Array(hashes.length * cols);
  const truncations: TruncationNote[] = [];
  if (hashes.length === 0) return { matrix: { rows: 0, cols, data }, truncations };
  const bytes = new Uint8Array(data.buffer);
  const rowBytes = cols * 4;
  const fd = openSync(join(state.folder, "vectors.f32"), "r");
  try {
    hashes.forEach((hash, i) => {
      const stored = state.rows.get(hash)!;
      const read = readSync(fd, bytes, i * rowBytes, rowBytes, stored.row * rowBytes);
      if (read !== rowBytes)
        throw new Error(`embedding cache: ${state.folder}/vectors.f32 ends inside row ${stored.row}; clear the cache`);
      if (stored.truncation) truncations.push({ index: i, ...stored.truncation });
    });
  } finally {
    closeSync(fd);
  }
  return { matrix: { rows: hashes.length, cols, data }, truncations };
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
