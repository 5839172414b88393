/**
 * The protobuf writer and the ONNX messages: varints of known values, field layouts checked byte by byte, and tiny graphs that
 * onnxruntime loads and computes correctly (skipped, with the reason, where onnxruntime-node is not installed).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeVarint, ProtoWriter } from "./proto";
import { tensorMessage } from "./onnx_model";
import { float, GraphBuilder, int } from "./graph_builder";
import { loadOnnxRuntime, type OrtModule } from "./runtime";

const runtime = loadOnnxRuntime();
const skip = runtime.module === undefined ? `onnxruntime-node is not available: ${runtime.reason}` : false;
const ort = runtime.module as OrtModule;

test("varints: known encodings, including 64-bit and negative int64 (ten bytes, two's complement)", () => {
  const hex = (v: number | bigint) => Buffer.from(encodeVarint(v)).toString("hex");
  assert.equal(hex(0), "00");
  assert.equal(hex(1), "01");
  assert.equal(hex(127), "7f");
  assert.equal(hex(128), "8001");
  assert.equal(hex(150), "9601"); // the protobuf documentation's example
  assert.equal(hex(300), "ac02");
  assert.equal(hex(2 ** 31), "8080808008");
  assert.equal(hex(2 ** 53 - 1), "ffffffffffffff0f");
  assert.equal(hex(-1), "ffffffffffffffffff01");
  assert.equal(hex(-2n), "feffffffffffffffff01");
  assert.equal(hex(2n ** 63n), "80808080808080808001");
});

test("ProtoWriter: tags, strings, fixed32 floats, packed ints and nested messages", () => {
  const inner = new ProtoWriter().int(1, 150);
  const bytes = new ProtoWriter()
    .int(1, 150)
    .string(2, "testing")
    .float(3, 1.5)
    .packedInts(4, [3, 270, 86942])
    .message(5, inner)
    .finish();
  assert.equal(
    Buffer.from(bytes).toString("hex"),
    [
      "089601", // field 1, varint 150
      "120774657374696e67", // field 2, length 7, "testing"
      "1d0000c03f", // field 3, fixed32 1.5 little-endian
      "2206038e029ea705", // field 4, packed [3, 270, 86942]
      "2a03089601", // field 5, nested { field 1: 150 }
    ].join(""),
  );
});

test("TensorProto: dims, data_type, name, raw little-endian float data; int64 constants in int64_data", () => {
  const floats = tensorMessage({ name: "w", type: "float", dims: [2], values: Float32Array.of(1, -2) }).finish();
  assert.equal(
    Buffer.from(floats).toString("hex"),
    ["0a0102", "1001", "420177", "4a08", "0000803f", "000000c0"].join(""),
  );
  const longs = tensorMessage({ name: "s", type: "int64", dims: [2], values: [0, -1] }).finish();
  assert.equal(
    Buffer.from(longs).toString("hex"),
    ["0a0102", "1007", "420173", "3a0b", "00", "ffffffffffffffffff01"].join(""),
  );
  assert.throws(
    () => tensorMessage({ name: "bad", type: "float", dims: [3], values: Float32Array.of(1) }),
    /tensor bad has 1 values, its dims \[3\] need 3/,
  );
});

test("a one-node Add graph with dynamic dims runs in onnxruntime and adds", { skip }, async () => {
  const g = new GraphBuilder("add");
  const a = g.input("a", "float", ["batch", 3]);
  const b = g.input("b", "float", ["batch", 3]);
  g.output(g.op("Add", [a, b]), "sum", "float", ["batch", 3]);
  const session = await ort.InferenceSession.create(g.model());
  assert.deepEqual([...session.inputNames], ["a", "b"]);
  assert.deepEqual([...session.outputNames], ["sum"]);
  for (const rows of [1, 2]) {
    const x = Float32Array.from({ length: rows * 3 }, (_, i) => i + 0.5);
    const y = Float32Array.from({ length: rows * 3 }, (_, i) => 10 * i);
    const out = await session.run({
      a: new ort.Tensor("float32", x, [rows, 3]),
      b: new ort.Tensor("float32", y, [rows, 3]),
    });
    assert.deepEqual([...out.sum.dims], [rows, 3]);
    assert.deepEqual(
      Array.from(out.sum.data as Float32Array),
      Array.from(x, (v, i) => v + y[i]),
    );
  }
  await session.release();
});

test(
  "initializers, int64 shape constants, attributes (int, float, ints) and LayerNormalization compute as expected",
  { skip },
  async () => {
    const g = new GraphBuilder("norm");
    const x = g.input("x", "float", ["rows", 4]);
    const gamma = g.weight("gamma", { dims: [4], data: Float32Array.of(1, 2, 3, 4) });
    const beta = g.weight("beta", { dims: [4], data: Float32Array.of(0, 0, 0, 1) });
    const normed = g.op("LayerNormalization", [x, gamma, beta], { axis: int(-1), epsilon: float(1e-5) });
    // [rows, 4] → [rows, 2, 2] → transpose → [rows, 2, 2]: exercises an int64 initializer and an ints attribute
    const reshaped = g.op("Reshape", [normed, g.int64s([0, 2, 2])]);
    g.output(g.op("Transpose", [reshaped], { perm: { ints: [0, 2, 1] } }), "y", "float", ["rows", 2, 2]);
    const session = await ort.InferenceSession.create(g.model());
    const input = Float32Array.of(1, 2, 3, 4, 0, 0, 0, 8);
    const out = (await session.run({ x: new ort.Tensor("float32", input, [2, 4]) })).y.data as Float32Array;
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) {
      const row = Array.from(input.subarray(4 * r, 4 * r + 4));
      const mean = row.reduce((s, v) => s + v, 0) / 4;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / 4;
      const y = row.map((v, j) => ((v - mean) / Math.sqrt(variance + 1e-5)) * [1, 2, 3, 4][j] + [0, 0, 0, 1][j]);
      expected.push(y[0], y[2], y[1], y[3]);
    }
    out.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `${i}: ${v} vs ${expected[i]}`));
    await session.release();
  },
);
