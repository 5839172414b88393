/**
 * safetensors checkpoints: `model.safetensors` (8-byte little-endian header length, a JSON header, then the raw tensor bytes), or
 * shards listed by `model.safetensors.index.json` (its `weight_map` names the shard of every tensor).
 * Floating-point tensors (F32, F16, BF16) are read as Float32Array, each converted once from its own byte range of the file (the
 * file is never read whole, so checkpoints over 2 GiB load); every error names the file it is about.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { endianness } from "node:os";
import * as path from "node:path";
import { readJsonObject } from "../../util/json";
import { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16Bits, float32ToFloat16Bits } from "./half_precision";

export { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16Bits, float32ToFloat16Bits } from "./half_precision";

export type FloatDtype = "F32" | "F16" | "BF16";
const FLOAT_DTYPES: readonly string[] = ["F32", "F16", "BF16"];

/** Bytes per element of every dtype the format defines (so that headers of checkpoints with integer buffers can be checked too). */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

export interface TensorEntry {
  dtype: string;
  shape: number[];
  /** byte range inside the file (absolute, i.e. after the header) */
  begin: number;
  end: number;
}

export const SINGLE_FILE = "model.safetensors";
export const INDEX_FILE = "model.safetensors.index.json";

/** Where a file's bytes come from: ranges of a file on disk (read on demand), or bytes already in memory (tests). */
interface ByteSource {
  readonly size: number;
  read(begin: number, end: number): Uint8Array;
}

class MemoryBytes implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  /** a fresh, aligned copy: the data section need not start on a 4-byte boundary */
  read(begin: number, end: number): Uint8Array {
    return this.bytes.slice(begin, end);
  }
}

/**
 * Byte ranges of a file, each read with its own open/read/close, so that no file is ever held whole (checkpoints over 2 GiB,
 * the largest a single Buffer may be on some Node versions, load) and no descriptor outlives a read.
 */
class FileBytes implements ByteSource {
  constructor(
    private readonly file: string,
    readonly size: number,
  ) {}
  read(begin: number, end: number): Uint8Array {
    const out = new Uint8Array(end - begin);
    const fd = openSync(this.file, "r");
    try {
      for (let at = 0; at < out.length;) {
        const n = readSync(fd, out, at, Math.min(out.length - at, READ_CHUNK), begin + at);
        if (n === 0) throw new Error(`${this.file}: ended at byte ${begin + at}, expected ${end} (truncated file?)`);
        at += n;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }
}

/** bytes per readSync call (one call is limited to 2 GiB) */
const READ_CHUNK = 1 << 30;

/** One parsed .safetensors file: its header in memory, each tensor's bytes read when asked for. */
export class SafetensorsFile {
  /** bytes read from the source so far (header included): a whole checkpoint read once is exactly its file size */
  bytesRead: number;

  constructor(
    readonly file: string,
    private readonly bytes: ByteSource,
    private readonly entries: Map<string, TensorEntry>,
    readonly metadata: Record<string, string>,
    headerBytes: number,
  ) {
    this.bytesRead = headerBytes;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  entry(name: string): TensorEntry {
    const e = this.entries.get(name);
    if (e === undefined)
      throw new Error(`${this.file}: tensor "${name}" not found (the file has ${this.entries.size} tensors)`);
    return e;
  }

  /** The tensor's values as a new Float32Array (F16 and BF16 are widened); only its byte range is read. */
  read(name: string): Float32Array {
    const { dtype, begin, end } = this.entry(name);
    if (!FLOAT_DTYPES.includes(dtype)) {
      throw new Error(`${this.file}: tensor "${name}" has dtype ${dtype}; supported: ${FLOAT_DTYPES.join(", ")}`);
    }
    const raw = this.bytes.read(begin, end);
    this.bytesRead += raw.length;
    if (dtype === "F32") return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
    const halves = new Uint16Array(raw.buffer, raw.byteOffset, raw.length / 2);
    return dtype === "F16" ? float16ToFloat32(halves) : bfloat16ToFloat32(halves);
  }
}

function corrupt(file: string, why: string): Error {
  return new Error(`${file}: corrupt safetensors header: ${why}`);
}

/** Parse a whole .safetensors file held in memory; `file` is used in error messages. */
export function parseSafetensors(bytes: Uint8Array, file: string): SafetensorsFile {
  return parseFrom(new MemoryBytes(bytes), file);
}

/** The 8-byte length, the JSON header, and every entry checked against the source's size; no tensor bytes are read. */
function parseFrom(source: ByteSource, file: string): SafetensorsFile {
  if (endianness() !== "LE") throw new Error("safetensors: only little-endian machines are supported");
  if (source.size < 8) throw corrupt(file, `the file has ${source.size} bytes, fewer than the 8-byte header length`);
  const lengthBytes = source.read(0, 8);
  const headerLength = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength === 0n || headerLength > BigInt(source.size - 8)) {
    throw corrupt(file, `header length ${headerLength} does not fit in a file of ${source.size} bytes`);
  }
  const dataStart = 8 + Number(headerLength);
  const dataLength = source.size - dataStart;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(source.read(8, dataStart)).toString("utf8"));
  } catch (e) {
    throw corrupt(file, `header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header))
    throw corrupt(file, "header is not a JSON object");
  const entries = new Map<string, TensorEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = (value ?? {}) as Record<string, string>;
      continue;
    }
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const shape = v?.shape;
    const offsets = v?.data_offsets;
    if (typeof v?.dtype !== "string" || !isIntArray(shape) || !isIntArray(offsets) || offsets.length !== 2) {
      throw corrupt(file, `entry "${name}" needs a string dtype, an integer shape and two data_offsets`);
    }
    const [begin, end] = offsets;
    if (begin > end || end > dataLength) {
      throw corrupt(file, `tensor "${name}" has data_offsets [${begin}, ${end}] outside the ${dataLength} data bytes`);
    }
    const elementBytes = DTYPE_BYTES[v.dtype];
    const count = shape.reduce((a, b) => a * b, 1);
    if (elementBytes !== undefined && count * elementBytes !== end - begin) {
      throw corrupt(
        file,
        `tensor "${name}" (${v.dtype} [${shape.join(", ")}]) needs ${count * elementBytes} bytes, its offsets span ${end - begin}`,
      );
    }
    entries.set(name, { dtype: v.dtype, shape, begin: dataStart + begin, end: dataStart + end });
  }
  return new SafetensorsFile(file, source, entries, metadata, dataStart);
}

function isIntArray(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((n) => Number.isSafeInteger(n) && n >= 0);
}

/** Open a .safetensors file: reads its header only; tensors are read by byte range when asked for. */
export async function readSafetensors(file: string): Promise<SafetensorsFile> {
  return parseFrom(new FileBytes(file, statSync(file).size), file);
}

/** A checkpoint: one file or several shards, looked up by tensor name. */
export class Checkpoint {
  /**
   * @param source the file that lists the tensors (model.safetensors, or the index of a sharded checkpoint)
   * @param shardOf tensor name → the shard holding it
   */
  constructor(
    readonly source: string,
    private readonly shardOf: Map<string, SafetensorsFile>,
  ) {}

  get files(): string[] {
    return [...new Set([...this.shardOf.values()].map((s) => s.file))];
  }

  /** Bytes read from the files so far, headers included (every tensor read once: the files' total size). */
  bytesRead(): number {
    return [...new Set(this.shardOf.values())].reduce((sum, s) => sum + s.bytesRead, 0);
  }

  names(): string[] {
    return [...this.shardOf.keys()];
  }

  has(name: string): boolean {
    return this.shardOf.has(name);
  }

  private shard(name: string): SafetensorsFile {
    const shard = this.shardOf.get(name);
    if (shard === undefined)
      throw new Error(`${this.source}: tensor "${name}" is missing (the checkpoint has ${this.shardOf.size} tensors)`);
    return shard;
  }

  shape(name: string): number[] {
    return this.shard(name).entry(name).shape;
  }

  /** The dtype the file stores the tensor in (F32, F16, BF16, ...), before any widening. */
  dtype(name: string): string {
    return this.shard(name).entry(name).dtype;
  }

  /** How many tensors the checkpoint stores in each dtype, and how many values in all. */
  storage(): { dtypes: Record<string, number>; parameters: number } {
    const dtypes: Record<string, number> = {};
    let parameters = 0;
    for (const name of this.names()) {
      const dtype = this.dtype(name);
      dtypes[dtype] = (dtypes[dtype] ?? 0) + 1;
      parameters += this.shape(name).reduce((a, b) => a * b, 1);
    }
    return { dtypes, parameters };
  }

  /** The tensor's values as float32, after checking its shape when one is expected. */
  read(name: string, expectedShape?: readonly number[]): Float32Array {
    const shard = this.shard(name);
    if (expectedShape !== undefined) {
      const found = shard.entry(name).shape;
      if (found.length !== expectedShape.length || found.some((n, i) => n !== expectedShape[i])) {
        throw new Error(
          `${shard.file}: tensor "${name}" has shape [${found.join(", ")}], expected [${expectedShape.join(", ")}]`,
        );
      }
    }
    return shard.read(name);
  }
}

/** Open `<dir>/model.safetensors`, or the shards named by `<dir>/model.safetensors.index.json`. */
export async function openCheckpoint(dir: string): Promise<Checkpoint> {
  const single = path.join(dir, SINGLE_FILE);
  const index = path.join(dir, INDEX_FILE);
  if (existsSync(single)) {
    const file = await readSafetensors(single);
    return new Checkpoint(single, new Map(file.names().map((n) => [n, file])));
  }
  if (existsSync(index)) return openSharded(index);
  throw new Error(
    `${dir}: no ${SINGLE_FILE} or ${INDEX_FILE} (only safetensors checkpoints are read; convert pytorch_model.bin first)`,
  );
}

/**
 * The `weight_map` of a sharded checkpoint's index: tensor name → shard file name. The one parse of it (loading and hub
 * downloads both use it); a shard name must be a plain file name inside the checkpoint folder.
 */
export function readWeightMap(indexFile: string): Map<string, string> {
  const weightMap = readJsonObject(indexFile, "sharded safetensors index").weight_map;
  if (weightMap === null || typeof weightMap !== "object" || Array.isArray(weightMap))
    throw new Error(`${indexFile}: no "weight_map" object`);
  const entries = Object.entries(weightMap as Record<string, unknown>);
  for (const [name, shardName] of entries) {
    if (typeof shardName !== "string") throw new Error(`${indexFile}: weight_map["${name}"] is not a file name`);
    if (path.isAbsolute(shardName) || shardName.split(/[\\/]/).includes("..")) {
      throw new Error(`${indexFile}: shard name ${JSON.stringify(shardName)} is not a plain file name`);
    }
  }
  return new Map(entries as [string, string][]);
}

async function openSharded(indexFile: string): Promise<Checkpoint> {
  const shards = new Map<string, SafetensorsFile>();
  const shardOf = new Map<string, SafetensorsFile>();
  for (const [name, shardName] of readWeightMap(indexFile)) {
    let shard = shards.get(shardName);
    if (shard === undefined) {
      const shardPath = path.join(path.dirname(indexFile), shardName);
      if (!existsSync(shardPath))
        throw new Error(`${indexFile}: shard ${shardName} (holding "${name}") does not exist`);
      shard = await readSafetensors(shardPath);
      shards.set(shardName, shard);
    }
    if (!shard.has(name))
      throw new Error(`${shard.file}: tensor "${name}" is missing (${indexFile} says it is in this shard)`);
    shardOf.set(name, shard);
  }
  return new Checkpoint(indexFile, shardOf);
}

// ---- writing (tests, and making half-precision copies) ----

export interface TensorToWrite {
  shape: number[];
  values: ArrayLike<number>;
  /** default F32 */
  dtype?: FloatDtype;
}

/** Serialise tensors in the safetensors layout (header padded with spaces to 8 bytes, like the reference writer). */
export function encodeSafetensors(
  tensors: Record<string, TensorToWrite>,
  metadata: Record<string, string> = { format: "pt" },
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.values.length)
      throw new Error(`encodeSafetensors: "${name}" has ${t.values.length} values for shape [${t.shape.join(", ")}]`);
    const dtype = t.dtype ?? "F32";
    let blob: Uint8Array;
    if (dtype === "F32") {
      blob = new Uint8Array(Float32Array.from(t.values).buffer);
    } else {
      const convert = dtype === "F16" ? float32ToFloat16Bits : float32ToBfloat16Bits;
      const halves = new Uint16Array(count);
      for (let i = 0; i < count; i++) halves[i] = convert(t.values[i]);
      blob = new Uint8Array(halves.buffer);
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + blob.length] };
    blobs.push(blob);
    offset += blob.length;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const blob of blobs) {
    out.set(blob, at);
    at += blob.length;
  }
  return out;
}
