/**
 * Turns a model reference into a folder holding a Hugging Face checkpoint (config.json, weights, tokenizer files).
 *
 * A reference is, in this order:
 *   1. a local folder (absolute, relative, or ~/...) that contains config.json;
 *   2. a name under <assets>/models/ (e.g. "shiftlab-mini-encoder");
 *   3. a Hugging Face hub id, optionally with a revision: "sentence-transformers/all-MiniLM-L6-v2@main". It is looked up in the
 *      standard hub cache (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub) and downloaded into it when absent.
 * No reference (or "default") means SHIFTLAB_MODEL, else the project's mini encoder when the assets have it, else all-MiniLM-L6-v2.
 */
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { readWeightMap } from "../encoders/checkpoint/safetensors";
import { setting, settingFlag } from "../settings";
import { assetsRoot } from "./paths";

export interface ModelRef {
  /** what to call the model in reports: the asset name, the hub id, or the folder's name */
  name: string;
  /** absolute folder holding config.json */
  dir: string;
}

/** The part of fetch() the downloader uses; tests pass a fake so they never touch the network. */
export type Fetcher = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

export interface ResolveModelOptions {
  /** folder holding models/ (default assetsRoot()) */
  assetsDir?: string;
  /** default: Node's global fetch */
  fetch?: Fetcher;
  /** progress lines (default: stderr) */
  log?: (line: string) => void;
}

export const DEFAULT_ASSET_MODEL = "shiftlab-mini-encoder";
export const DEFAULT_HUB_MODEL = "sentence-transformers/all-MiniLM-L6-v2";

/** Files a sentence-transformers checkpoint may have besides config.json and its weights; any may be absent (404). */
const OPTIONAL_FILES = [
  "modules.json",
  "1_Pooling/config.json",
  "sentence_bert_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "vocab.txt",
  "special_tokens_map.json",
];
const FILES_TO_PLACE =
  "config.json, model.safetensors, tokenizer.json or vocab.txt, tokenizer_config.json (and for sentence-transformers checkpoints modules.json, 1_Pooling/config.json, sentence_bert_config.json)";

export async function resolveModelRef(ref?: string, options: ResolveModelOptions = {}): Promise<ModelRef> {
  const assetsDir = options.assetsDir ?? assetsRoot();
  const wanted =
    ref === undefined || ref.trim() === "" || ref.trim() === "default" ? defaultModelRef(assetsDir) : ref.trim();

  const folder = localFolder(wanted);
  if (folder !== undefined)
    return { name: path.basename(folder), dir: requireConfig(folder, `model folder ${folder}`) };

  const assetDir = path.join(assetsDir, "models", wanted);
  if (isDirectory(assetDir)) return { name: wanted, dir: requireConfig(assetDir, `asset model ${assetDir}`) };

  const hub = parseHubId(wanted);
  const guess = closestAssetModel(wanted, assetsDir);
  const didYouMean = guess === undefined ? "" : `did you mean "${guess}"? `;
  if (hub === undefined) {
    throw new Error(
      `Model reference ${JSON.stringify(wanted)} is not a folder, not a model under ${path.join(assetsDir, "models")} ` +
        `(${didYouMean}${describeAssetModels(assetsDir)}), and not a hub id like "${DEFAULT_HUB_MODEL}"`,
    );
  }
  const cached = findInHubCache(hubCacheDir(), hub);
  if (cached !== undefined) return { name: hub.label, dir: cached };
  (options.log ?? ((line: string) => process.stderr.write(line + "\n")))(
    `shiftlab: ${wanted} is not a folder, a model under ${path.join(assetsDir, "models")} (${didYouMean}${describeAssetModels(assetsDir)}) ` +
      `or in the hub cache; trying the Hugging Face hub`,
  );
  if (settingFlag("HF_HUB_OFFLINE")) {
    throw new Error(
      `Model ${hub.label} is not in the hub cache and HF_HUB_OFFLINE is set. ${placementHint(hub, assetsDir)}`,
    );
  }
  return { name: hub.label, dir: await downloadFromHub(hub, assetsDir, options) };
}

/** SHIFTLAB_MODEL, else the mini encoder when the assets have it, else all-MiniLM-L6-v2 from the hub. */
export function defaultModelRef(assetsDir: string = assetsRoot()): string {
  const fromEnv = setting("SHIFTLAB_MODEL");
  if (fromEnv && fromEnv !== "default") return fromEnv;
  return isDirectory(path.join(assetsDir, "models", DEFAULT_ASSET_MODEL)) ? DEFAULT_ASSET_MODEL : DEFAULT_HUB_MODEL;
}

/** The hub cache folder, as huggingface_hub computes it. */
export function hubCacheDir(): string {
  const hubCache = setting("HF_HUB_CACHE");
  if (hubCache) return path.resolve(hubCache);
  const home = setting("HF_HOME");
  if (home) return path.resolve(home, "hub");
  const xdg = setting("XDG_CACHE_HOME");
  const cacheHome = xdg ? path.resolve(xdg) : path.join(os.homedir(), ".cache");
  return path.join(cacheHome, "huggingface", "hub");
}

interface HubId {
  id: string;
  revision: string;
  /** id, plus @revision when it is not main */
  label: string;
}

function parseHubId(ref: string): HubId | undefined {
  const match = /^((?:[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*)(?:@([\w./-]+))?$/.exec(ref);
  if (match === null) return undefined;
  const revision = match[2] ?? "main";
  return { id: match[1], revision, label: revision === "main" ? match[1] : `${match[1]}@${revision}` };
}

function hubRepoDir(cacheDir: string, hub: HubId): string {
  return path.join(cacheDir, `models--${hub.id.replace(/\//g, "--")}`);
}

/** Where huggingface_hub keeps this revision's files: snapshots/<commit named by refs/<revision>, else the revision itself>. */
function snapshotDir(cacheDir: string, hub: HubId): string {
  const repoDir = hubRepoDir(cacheDir, hub);
  const refFile = path.join(repoDir, "refs", hub.revision);
  const commit = existsSync(refFile) ? readFileSync(refFile, "utf8").trim() : hub.revision;
  return path.join(repoDir, "snapshots", commit);
}

function findInHubCache(cacheDir: string, hub: HubId): string | undefined {
  const dir = snapshotDir(cacheDir, hub);
  return existsSync(path.join(dir, "config.json")) ? dir : undefined;
}

function placementHint(hub: HubId, assetsDir: string): string {
  const target = path.join(hubRepoDir(hubCacheDir(), hub), "snapshots", hub.revision);
  const assetsNote = hub.id.includes("/") ? "" : ` (or under ${path.join(assetsDir, "models", hub.id)})`;
  return (
    `To use it offline, put its files (${FILES_TO_PLACE}) in\n  ${target}${path.sep}${assetsNote}\n` +
    `or pass the path of any local folder that holds them (a folder with config.json) as the model reference.`
  );
}

async function downloadFromHub(hub: HubId, assetsDir: string, options: ResolveModelOptions): Promise<string> {
  const fetcher: Fetcher = options.fetch ?? ((url, init) => fetch(url, init));
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const endpoint = (setting("HF_ENDPOINT") ?? "https://huggingface.co").replace(/\/+$/, "");
  const token = setting("HF_TOKEN");
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const base = `${endpoint}/${hub.id}/resolve/${encodeURIComponent(hub.revision)}`;

  const get = async (file: string): Promise<Response | undefined> => {
    let response: Response;
    try {
      response = await fetcher(`${base}/${file}`, { headers });
    } catch (error) {
      throw new Error(
        `Could not download model ${hub.label} from ${endpoint} (${describeFetchError(error)}).\n${placementHint(hub, assetsDir)}`,
      );
    }
    if (response.status === 404) {
      await response.body?.cancel(); // optional file absent: free the connection
      return undefined;
    }
    if (response.status === 401 || response.status === 403) {
      throw new Error(
        `${base}/${file}: HTTP ${response.status}; the model is private or gated: set HF_TOKEN to a token that may read it. ${placementHint(hub, assetsDir)}`,
      );
    }
    if (!response.ok)
      throw new Error(
        `${base}/${file}: HTTP ${response.status} ${response.statusText}. ${placementHint(hub, assetsDir)}`,
      );
    return response;
  };

  const config = await get("config.json");
  if (config === undefined) {
    throw new Error(
      `The hub has no model ${hub.id} at revision ${hub.revision} (${base}/config.json: 404); nor is it under ${path.join(assetsDir, "models")} (${describeAssetModels(assetsDir)})`,
    );
  }
  // huggingface_hub names a snapshot after its commit; without the header fall back to the revision, as its cache lookup does
  const commit = config.headers.get("x-repo-commit") ?? hub.revision;
  const configBytes = new Uint8Array(await config.arrayBuffer()); // written last, see below
  const repoDir = hubRepoDir(hubCacheDir(), hub);
  const dir = path.join(repoDir, "snapshots", commit);
  log(`downloading ${hub.label} into ${dir}`);

  const save = async (file: string, content: Response | Uint8Array): Promise<void> => {
    const target = path.join(dir, file);
    const partial = `${target}.incomplete`;
    await mkdir(path.dirname(target), { recursive: true });
    try {
      if (content instanceof Uint8Array) await writeFile(partial, content);
      else if (content.body === null) await writeFile(partial, new Uint8Array(await content.arrayBuffer()));
      else await pipeline(Readable.fromWeb(content.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
    } catch (error) {
      await rm(partial, { force: true });
      throw new Error(`Download of ${base}/${file} broke off (${describeFetchError(error)}); run again to retry`);
    }
    await rename(partial, target);
    log(`  ${file}: ${statSync(target).size.toLocaleString("en-US")} bytes`);
  };
  const fetchOptional = async (file: string): Promise<boolean> => {
    if (existsSync(path.join(dir, file))) return true; // kept from an earlier, interrupted download
    const response = await get(file);
    if (response !== undefined) await save(file, response);
    return response !== undefined;
  };

  for (const file of OPTIONAL_FILES) await fetchOptional(file);
  if (!existsSync(path.join(dir, "tokenizer.json")) && !existsSync(path.join(dir, "vocab.txt"))) {
    throw new Error(
      `Model ${hub.label} has neither tokenizer.json nor vocab.txt on the hub; shiftlab needs one of them`,
    );
  }
  if (!(await fetchOptional("model.safetensors"))) {
    if (!(await fetchOptional("model.safetensors.index.json"))) {
      throw new Error(
        `Model ${hub.label} has no model.safetensors (nor a sharded index) on the hub; shiftlab reads safetensors weights only`,
      );
    }
    for (const shard of shardFiles(path.join(dir, "model.safetensors.index.json"))) {
      if (!(await fetchOptional(shard)))
        throw new Error(
          `Model ${hub.label}: shard ${shard} listed in model.safetensors.index.json is missing on the hub`,
        );
    }
  }
  // config.json last: its presence is what marks a snapshot complete for findInHubCache
  await save("config.json", configBytes);
  if (commit !== hub.revision) {
    await mkdir(path.join(repoDir, "refs"), { recursive: true });
    await writeFile(path.join(repoDir, "refs", hub.revision), commit);
  }
  return dir;
}

function shardFiles(indexFile: string): string[] {
  return [...new Set(readWeightMap(indexFile).values())];
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/** A path-like reference (absolute, ./, ../, ~/) or an existing folder; undefined when the reference is a name. */
function localFolder(ref: string): string | undefined {
  const expanded = ref === "~" || ref.startsWith("~/") ? path.join(os.homedir(), ref.slice(1)) : ref;
  const resolved = path.resolve(expanded);
  if (isDirectory(resolved)) return resolved;
  if (path.isAbsolute(expanded) || /^\.\.?([\\/]|$)/.test(expanded))
    throw new Error(`Model folder ${resolved} does not exist`);
  return undefined;
}

function requireConfig(dir: string, what: string): string {
  if (!existsSync(path.join(dir, "config.json"))) {
    throw new Error(`${what} has no config.json, so it is not a Transformer checkpoint (expected ${FILES_TO_PLACE})`);
  }
  return dir;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The Transformer checkpoints in the assets' models/ folder (a config.json and safetensors weights, single or sharded), by
 * folder name, sorted; the default model first when it is there. Folders without weights (GloVe, a vocabulary) are not listed.
 */
export function assetTransformerModels(assetsDir: string = assetsRoot()): string[] {
  const dir = path.join(assetsDir, "models");
  if (!isDirectory(dir)) return [];
  const hasWeights = (n: string) =>
    ["model.safetensors", "model.safetensors.index.json"].some((f) => existsSync(path.join(dir, n, f)));
  const names = readdirSync(dir)
    .filter((n) => existsSync(path.join(dir, n, "config.json")) && hasWeights(n))
    .sort();
  return [...names.filter((n) => n === DEFAULT_ASSET_MODEL), ...names.filter((n) => n !== DEFAULT_ASSET_MODEL)];
}

/** The asset model whose name is closest to `wanted` (edit distance, case-insensitive), when it is close enough to be a typo. */
export function closestAssetModel(wanted: string, assetsDir: string = assetsRoot()): string | undefined {
  const target = path.basename(wanted).toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of assetTransformerModels(assetsDir)) {
    const distance = editDistance(target, name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  const closeEnough =
    best !== undefined &&
    (best.distance <= Math.max(2, Math.floor(target.length / 3)) || best.name.toLowerCase().startsWith(target));
  return closeEnough ? best?.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** "checkpoints there: a, b" or "no checkpoints there" */
function describeAssetModels(assetsDir: string): string {
  const names = assetTransformerModels(assetsDir);
  return names.length > 0 ? `checkpoints there: ${names.join(", ")}` : "no checkpoints there";
}
