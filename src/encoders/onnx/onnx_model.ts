/**
 * The ONNX messages as plain TypeScript values (a graph's nodes, initializers, inputs and outputs) and their encoding into a
 * ModelProto with proto.ts. Only what shiftlab's graphs use: tensors as raw little-endian data (float32, int32) or int64
 * lists, attributes of kind int, float, ints, floats, string and tensor, and tensor-typed inputs/outputs whose dimensions are
 * numbers or named (dynamic) parameters such as "batch" and "seq".
 */
import { endianness } from "node:os";
import { ProtoWriter } from "./proto";

/** TensorProto.DataType values */
export const ONNX_TYPE = { float: 1, int32: 6, int64: 7, bool: 9 } as const;
export type OnnxType = keyof typeof ONNX_TYPE;

/** An initializer or a tensor attribute. Float and int32 values go in raw_data, int64 values in int64_data. */
export interface TensorValue {
  name: string;
  type: OnnxType;
  dims: readonly number[];
  values: Float32Array | Int32Array | readonly number[];
}

export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { string: string }
  | { tensor: TensorValue };

export interface NodeValue {
  op: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Record<string, AttributeValue>;
  /** "" (the default ONNX domain) or e.g. "com.microsoft" */
  domain?: string;
}

/** A graph input or output: a tensor of `type` whose dims are sizes or named dynamic dimensions */
export interface ValueInfo {
  name: string;
  type: OnnxType;
  dims: readonly (number | string)[];
}

export interface GraphValue {
  name: string;
  nodes: readonly NodeValue[];
  initializers: readonly TensorValue[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
}

export interface ModelValue {
  graph: GraphValue;
  /** operator sets, e.g. [{ domain: "", version: 17 }] */
  opsets: readonly { domain: string; version: number }[];
  irVersion?: number;
  producer?: string;
}

// AttributeProto.AttributeType
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

const LITTLE_ENDIAN = endianness() === "LE";

/** The values' bytes, little-endian as ONNX's raw_data requires (a view on the array, no copy, on little-endian hosts). */
function rawBytes(values: Float32Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  values.forEach((v, i) =>
    values instanceof Float32Array ? view.setFloat32(4 * i, v, true) : view.setInt32(4 * i, v, true),
  );
  return out;
}

function checkSize(t: TensorValue): void {
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (t.values.length !== expected)
    throw new Error(`onnx: tensor ${t.name} has ${t.values.length} values, its dims [${t.dims}] need ${expected}`);
}

/** TensorProto: dims 1, data_type 2, int64_data 7, name 8, raw_data 9 */
export function tensorMessage(t: TensorValue): ProtoWriter {
  checkSize(t);
  const w = new ProtoWriter();
  if (t.dims.length > 0) w.packedInts(1, t.dims);
  w.int(2, ONNX_TYPE[t.type]);
  w.string(8, t.name);
  if (t.type === "int64") {
    if (t.values.length > 0) w.packedInts(7, Array.from(t.values));
  } else {
    const typed =
      t.values instanceof Float32Array || t.values instanceof Int32Array
        ? t.values
        : t.type === "float"
          ? Float32Array.from(t.values)
          : Int32Array.from(t.values);
    w.bytes(9, rawBytes(typed));
  }
  return w;
}

/** AttributeProto: name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, type 20 */
function attributeMessage(name: string, value: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if ("int" in value) w.int(3, value.int).int(20, ATTRIBUTE_TYPE.int);
  else if ("float" in value) w.float(2, value.float).int(20, ATTRIBUTE_TYPE.float);
  else if ("ints" in value) w.packedInts(8, value.ints).int(20, ATTRIBUTE_TYPE.ints);
  else if ("floats" in value) w.packedFloats(7, value.floats).int(20, ATTRIBUTE_TYPE.floats);
  else if ("string" in value) w.string(4, value.string).int(20, ATTRIBUTE_TYPE.string);
  else w.message(5, tensorMessage(value.tensor)).int(20, ATTRIBUTE_TYPE.tensor);
  return w;
}

/** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7 */
function nodeMessage(node: NodeValue): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name).string(4, node.op);
  for (const [name, value] of Object.entries(node.attributes ?? {})) w.message(5, attributeMessage(name, value));
  if (node.domain) w.string(7, node.domain);
  return w;
}

/** ValueInfoProto { name 1, type 2: TypeProto { tensor_type 1: { elem_type 1, shape 2: { dim 1: { dim_value 1 | dim_param 2 } } } } } */
function valueInfoMessage(info: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of info.dims) {
    const dim = typeof d === "number" ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, ONNX_TYPE[info.type]).message(2, shape);
  return new ProtoWriter().string(1, info.name).message(2, new ProtoWriter().message(1, tensorType));
}

/** GraphProto: node 1, name 2, initializer 5, input 11, output 12 */
function graphMessage(g: GraphValue): ProtoWriter {
  const w = new ProtoWriter();
  for (const node of g.nodes) w.message(1, nodeMessage(node));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, tensorMessage(t));
  for (const input of g.inputs) w.message(11, valueInfoMessage(input));
  for (const output of g.outputs) w.message(12, valueInfoMessage(output));
  return w;
}

/** ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8 ({ domain 1, version 2 }) */
export function encodeModel(model: ModelValue): Uint8Array {
  const w = new ProtoWriter()
    .int(1, model.irVersion ?? 8)
    .string(2, model.producer ?? "shiftlab")
    .message(7, graphMessage(model.graph));
  for (const opset of model.opsets) {
    const o = new ProtoWriter();
    if (opset.domain !== "") o.string(1, opset.domain);
    w.message(8, o.int(2, opset.version));
  }
  return w.finish();
}
