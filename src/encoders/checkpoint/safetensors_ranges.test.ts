/**
 * The ranged reader: opening a checkpoint reads headers only, each tensor read reads exactly its byte range (so a whole
 * checkpoint read once is exactly its files' size), and offsets past 2 GiB work (a sparse file: no disk space used).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  encodeSafetensors,
  float16ToFloat32,
  float32ToFloat16Bits,
  openCheckpoint,
  readSafetensors,
} from "./safetensors";

const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-ranges-"));
after(() => rmSync(temp, { recursive: true, force: true }));

/** Deterministic values in [-2, 2) */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 2);
}

test("a sharded F16 checkpoint: open reads the headers only; reading every tensor once reads exactly the files' bytes", async () => {
  const dir = path.join(temp, "sharded-f16");
  mkdirSync(dir);
  const shards: Record<string, Record<string, number[]>> = {
    "model-00001-of-00003.safetensors": { "embed.weight": [64, 48], "layers.0.weight": [48, 48] },
    "model-00002-of-00003.safetensors": { "layers.1.weight": [48, 96], "layers.1.bias": [96] },
    "model-00003-of-00003.safetensors": { "norm.weight": [48] },
  };
  const weightMap: Record<string, string> = {};
  const expected = new Map<string, Float32Array>();
  let seed = 1;
  for (const [file, tensors] of Object.entries(shards)) {
    const content: Parameters<typeof encodeSafetensors>[0] = {};
    for (const [name, shape] of Object.entries(tensors)) {
      const v = values(
        shape.reduce((a, b) => a * b, 1),
        seed++,
      );
      content[name] = { shape, values: v, dtype: "F16" };
      weightMap[name] = file;
      expected.set(name, float16ToFloat32(Uint16Array.from(v, float32ToFloat16Bits)));
    }
    writeFileSync(path.join(dir, file), encodeSafetensors(content));
  }
  writeFileSync(
    path.join(dir, "model.safetensors.index.json"),
    JSON.stringify({ metadata: {}, weight_map: weightMap }),
  );

  const ckpt = await openCheckpoint(dir);
  const fileBytes = ckpt.files.reduce((sum, f) => sum + statSync(f).size, 0);
  const tensorBytes = [...expected.values()].reduce((sum, v) => sum + 2 * v.length, 0);
  assert.equal(ckpt.bytesRead(), fileBytes - tensorBytes, "opening reads the three headers and nothing else");
  assert.deepEqual(ckpt.storage(), { dtypes: { F16: 5 }, parameters: tensorBytes / 2 });
  for (const [name, v] of expected) assert.deepEqual(ckpt.read(name, shards[weightMap[name]][name]), v, name);
  assert.equal(ckpt.bytesRead(), fileBytes, "every tensor read once: exactly the files' size");
});

test("a tensor past the 2 GiB mark of a (sparse) file is read from its own range", async () => {
  const file = path.join(temp, "far.safetensors");
  const far = 2 ** 31 + 4096; // beyond what one Buffer of the whole file could hold on some Node versions
  const header = Buffer.from(
    JSON.stringify({
      near: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
      far: { dtype: "BF16", shape: [2], data_offsets: [far, far + 4] },
    }),
  );
  const lengthBytes = Buffer.alloc(8);
  lengthBytes.writeBigUInt64LE(BigInt(header.length));
  const fd = openSync(file, "w");
  try {
    writeSync(fd, lengthBytes, 0, 8, 0);
    writeSync(fd, header, 0, header.length, 8);
    writeSync(fd, Buffer.from(Float32Array.from([1.5, -2]).buffer), 0, 8, 8 + header.length);
    // bfloat16 0x3FC0 = 1.5, 0xC040 = -3
    writeSync(fd, Buffer.from(Uint16Array.from([0x3fc0, 0xc040]).buffer), 0, 4, 8 + header.length + far);
  } finally {
    closeSync(fd);
  }
  assert.ok(statSync(file).size > 2 ** 31);
  const st = await readSafetensors(file);
  assert.deepEqual(Array.from(st.read("far")), [1.5, -3]);
  assert.deepEqual(Array.from(st.read("near")), [1.5, -2]);
  assert.equal(st.bytesRead, 8 + header.length + 8 + 4, "the header and the two tensors' ranges, nothing else");
});
