import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  bfloat16ToFloat32,
  encodeSafetensors,
  float16ToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
  openCheckpoint,
  parseSafetensors,
} from "./safetensors";

const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-safetensors-"));
after(() => rmSync(temp, { recursive: true, force: true }));

/** A file whose header is `header` (a string, written as is) followed by `dataBytes` zero bytes. */
function rawFile(header: string, dataBytes: number, declaredLength?: number): Uint8Array {
  const json = Buffer.from(header, "utf8");
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.length), true);
  out.set(json, 8);
  return out;
}

test("round trip: F32 values come back exactly, with shapes and metadata", () => {
  const values = Float32Array.from([1.5, -2.25, 3e-8, 1e30, 0, -0.1]);
  const bytes = encodeSafetensors({ a: { shape: [2, 3], values }, b: { shape: [1], values: [42] } }, { format: "pt" });
  const file = parseSafetensors(bytes, "mem.safetensors");
  assert.deepEqual(file.names(), ["a", "b"]);
  assert.deepEqual(file.entry("a").shape, [2, 3]);
  assert.deepEqual(Array.from(file.read("a")), Array.from(values));
  assert.deepEqual(Array.from(file.read("b")), [42]);
  assert.deepEqual(file.metadata, { format: "pt" });
});

test("a data section that does not start on a 4-byte boundary still reads F32 correctly", () => {
  // header of odd length: offsets are relative to the data section, which then starts at an odd byte
  const header = JSON.stringify({ x: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }) + " ";
  const bytes = rawFile(header, 8);
  const start = 8 + Buffer.byteLength(header);
  assert.notEqual(start % 4, 0);
  new DataView(bytes.buffer).setFloat32(start, 0.75, true);
  new DataView(bytes.buffer).setFloat32(start + 4, -8, true);
  assert.deepEqual(Array.from(parseSafetensors(bytes, "odd.safetensors").read("x")), [0.75, -8]);
});

test("F16 bit patterns decode to the IEEE half values", () => {
  const halves = Uint16Array.from([0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x3555, 0x8000, 0x7c00, 0xfc00, 0x7e00]);
  const f = float16ToFloat32(halves);
  assert.deepEqual(Array.from(f.subarray(0, 5)), [1, -2, 65504, 2 ** -24, 2 ** -14]);
  assert.equal(f[5], Math.fround(0.333251953125));
  assert.ok(Object.is(f[6], -0));
  assert.equal(f[7], Infinity);
  assert.equal(f[8], -Infinity);
  assert.ok(Number.isNaN(f[9]));
});

test("BF16 bit patterns decode to the top halves of float32", () => {
  const f = bfloat16ToFloat32(Uint16Array.from([0x3f80, 0xc040, 0x4049, 0x0000, 0xff80]));
  assert.deepEqual(Array.from(f), [1, -3, 3.140625, 0, -Infinity]);
});

test("float32 → F16 rounds to nearest even, including subnormals and overflow", () => {
  assert.equal(float32ToFloat16Bits(1), 0x3c00);
  assert.equal(float32ToFloat16Bits(1 + 2 ** -11), 0x3c00); // tie → even
  assert.equal(float32ToFloat16Bits(1 + 3 * 2 ** -11), 0x3c02); // tie → even (up)
  assert.equal(float32ToFloat16Bits(65504), 0x7bff);
  assert.equal(float32ToFloat16Bits(65520), 0x7c00); // rounds past the largest half
  assert.equal(float32ToFloat16Bits(2 ** -24), 0x0001);
  assert.equal(float32ToFloat16Bits(2 ** -25), 0x0000); // tie → even (zero)
  assert.equal(float32ToFloat16Bits(3 * 2 ** -25), 0x0002);
  assert.equal(float32ToFloat16Bits(-2), 0xc000);
  assert.equal(float32ToBfloat16Bits(1), 0x3f80);
  assert.equal(float32ToBfloat16Bits(3.14159), 0x4049);
  assert.equal(float32ToBfloat16Bits(1 + 2 ** -8), 0x3f80); // tie → even
  assert.equal(float32ToBfloat16Bits(1 + 3 * 2 ** -8), 0x3f82);
});

test("F16 and BF16 tensors are read as float32 within half-precision rounding", () => {
  const values = Float32Array.from({ length: 200 }, (_, i) => Math.sin(i) * (1 + i / 10));
  const bytes = encodeSafetensors({
    h: { shape: [200], values, dtype: "F16" },
    b: { shape: [200], values, dtype: "BF16" },
  });
  const file = parseSafetensors(bytes, "half.safetensors");
  assert.equal(file.entry("h").dtype, "F16");
  const h = file.read("h");
  const b = file.read("b");
  for (let i = 0; i < values.length; i++) {
    assert.ok(
      Math.abs(h[i] - values[i]) <= Math.abs(values[i]) * 2 ** -11 + 1e-7,
      `F16 #${i}: ${h[i]} vs ${values[i]}`,
    );
    assert.ok(Math.abs(b[i] - values[i]) <= Math.abs(values[i]) * 2 ** -8, `BF16 #${i}: ${b[i]} vs ${values[i]}`);
  }
});

test("corrupt headers are reported with the file name and the reason", () => {
  const file = "/x/broken.safetensors";
  assert.throws(
    () => parseSafetensors(new Uint8Array(5), file),
    /broken\.safetensors: corrupt safetensors header: .*fewer than the 8-byte/,
  );
  assert.throws(
    () => parseSafetensors(rawFile("{}", 0, 1000), file),
    /broken\.safetensors: corrupt safetensors header: header length 1000 does not fit/,
  );
  assert.throws(() => parseSafetensors(rawFile("{}", 0, 0), file), /header length 0/);
  assert.throws(
    () => parseSafetensors(rawFile('{"a": {"dtype": "F32", "sha', 0), file),
    /broken\.safetensors: corrupt safetensors header: header is not valid JSON/,
  );
  assert.throws(() => parseSafetensors(rawFile("[1, 2]", 0), file), /header is not a JSON object/);
  const outOfRange = JSON.stringify({ w: { dtype: "F32", shape: [4], data_offsets: [0, 16] } });
  assert.throws(
    () => parseSafetensors(rawFile(outOfRange, 8), file),
    /broken\.safetensors: .*tensor "w" has data_offsets \[0, 16\] outside the 8 data bytes/,
  );
  const wrongSize = JSON.stringify({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } });
  assert.throws(
    () => parseSafetensors(rawFile(wrongSize, 8), file),
    /tensor "w" \(F32 \[3\]\) needs 12 bytes, its offsets span 8/,
  );
  const noShape = JSON.stringify({ w: { dtype: "F32", data_offsets: [0, 8] } });
  assert.throws(() => parseSafetensors(rawFile(noShape, 8), file), /entry "w" needs a string dtype, an integer shape/);
});

test("integer tensors parse (so checkpoints with position_ids load) but reading one names the dtype and file", () => {
  const header = JSON.stringify({ "embeddings.position_ids": { dtype: "I64", shape: [1, 2], data_offsets: [0, 16] } });
  const file = parseSafetensors(rawFile(header, 16), "/m/model.safetensors");
  assert.deepEqual(file.names(), ["embeddings.position_ids"]);
  assert.throws(
    () => file.read("embeddings.position_ids"),
    /\/m\/model\.safetensors: tensor "embeddings\.position_ids" has dtype I64; supported: F32, F16, BF16/,
  );
});

test("openCheckpoint: missing tensor and wrong shape name the tensor and the file", async () => {
  const dir = path.join(temp, "single");
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, "model.safetensors"),
    encodeSafetensors({ w: { shape: [2, 3], values: [1, 2, 3, 4, 5, 6] } }),
  );
  const ckpt = await openCheckpoint(dir);
  assert.equal(ckpt.source, path.join(dir, "model.safetensors"));
  assert.deepEqual(Array.from(ckpt.read("w", [2, 3])), [1, 2, 3, 4, 5, 6]);
  assert.throws(
    () => ckpt.read("v"),
    new RegExp(`${escape(path.join(dir, "model.safetensors"))}: tensor "v" is missing`),
  );
  assert.throws(
    () => ckpt.read("w", [3, 2]),
    new RegExp(`${escape(path.join(dir, "model.safetensors"))}: tensor "w" has shape \\[2, 3\\], expected \\[3, 2\\]`),
  );
  assert.throws(() => ckpt.read("w", [6]), /has shape \[2, 3\], expected \[6\]/);
});

test("openCheckpoint: shards listed by model.safetensors.index.json are found by tensor name", async () => {
  const dir = path.join(temp, "sharded");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "part-1.safetensors"), encodeSafetensors({ a: { shape: [2], values: [1, 2] } }));
  writeFileSync(
    path.join(dir, "part-2.safetensors"),
    encodeSafetensors({ b: { shape: [1], values: [3], dtype: "F16" } }),
  );
  writeFileSync(
    path.join(dir, "model.safetensors.index.json"),
    JSON.stringify({ weight_map: { a: "part-1.safetensors", b: "part-2.safetensors" } }),
  );
  const ckpt = await openCheckpoint(dir);
  assert.deepEqual(ckpt.names().sort(), ["a", "b"]);
  assert.deepEqual(ckpt.files.map((f) => path.basename(f)).sort(), ["part-1.safetensors", "part-2.safetensors"]);
  assert.deepEqual(Array.from(ckpt.read("a")), [1, 2]);
  assert.deepEqual(Array.from(ckpt.read("b", [1])), [3]);
  assert.throws(() => ckpt.read("c"), /model\.safetensors\.index\.json: tensor "c" is missing/);
  assert.throws(() => ckpt.read("b", [2]), /part-2\.safetensors: tensor "b" has shape \[1\], expected \[2\]/);
});

test("openCheckpoint: broken sharded indexes and empty folders are reported", async () => {
  const wrongShard = path.join(temp, "wrong-shard");
  mkdirSync(wrongShard);
  writeFileSync(path.join(wrongShard, "part-1.safetensors"), encodeSafetensors({ a: { shape: [1], values: [1] } }));
  writeFileSync(
    path.join(wrongShard, "model.safetensors.index.json"),
    JSON.stringify({ weight_map: { a: "part-1.safetensors", z: "part-1.safetensors" } }),
  );
  await assert.rejects(
    openCheckpoint(wrongShard),
    /part-1\.safetensors: tensor "z" is missing \(.*index\.json says it is in this shard\)/,
  );

  const missingShard = path.join(temp, "missing-shard");
  mkdirSync(missingShard);
  writeFileSync(
    path.join(missingShard, "model.safetensors.index.json"),
    JSON.stringify({ weight_map: { a: "gone.safetensors" } }),
  );
  await assert.rejects(
    openCheckpoint(missingShard),
    /index\.json: shard gone\.safetensors \(holding "a"\) does not exist/,
  );

  const badIndex = path.join(temp, "bad-index");
  mkdirSync(badIndex);
  writeFileSync(path.join(badIndex, "model.safetensors.index.json"), "{ not json");
  await assert.rejects(openCheckpoint(badIndex), /bad-index\/model\.safetensors\.index\.json: not valid JSON/);

  const empty = path.join(temp, "empty");
  mkdirSync(empty);
  await assert.rejects(openCheckpoint(empty), /empty: no model\.safetensors or model\.safetensors\.index\.json/);

  const corrupt = path.join(temp, "corrupt");
  mkdirSync(corrupt);
  writeFileSync(path.join(corrupt, "model.safetensors"), rawFile("{}", 0, 99));
  await assert.rejects(openCheckpoint(corrupt), /corrupt\/model\.safetensors: corrupt safetensors header/);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
