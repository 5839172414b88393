/**
 * GraphBuilder: writes an ONNX graph node by node (each call returns the name of the value it produced), collects weights as
 * float32 initializers and small int64 constants (shared when equal), and encodes the result as ModelProto bytes for
 * onnxruntime (opset 17 of the default domain: LayerNormalization is a single op there).
 */
import {
  encodeModel,
  type AttributeValue,
  type NodeValue,
  type OnnxType,
  type TensorValue,
  type ValueInfo,
} from "./onnx_model";

/** A float32 array with its shape, on the host (what the graph embeds as an initializer). */
export interface HostTensor {
  dims: number[];
  data: Float32Array;
}

export const OPSET = 17;

/** attribute constructors: { axis: int(-1), epsilon: float(1e-12), perm: ints([0, 2, 1, 3]) } */
export const int = (value: number): AttributeValue => ({ int: value });
export const float = (value: number): AttributeValue => ({ float: value });
export const ints = (values: readonly number[]): AttributeValue => ({ ints: values });

export class GraphBuilder {
  private readonly nodes: NodeValue[] = [];
  private readonly initializers: TensorValue[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  private counter = 0;

  constructor(readonly name: string) {}

  /** A unique value name from a readable stem. */
  private fresh(stem: string): string {
    let name = stem;
    while (this.used.has(name)) name = `${stem}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  input(name: string, type: OnnxType, dims: readonly (number | string)[]): string {
    if (this.used.has(name)) throw new Error(`onnx graph ${this.name}: ${name} is defined twice`);
    this.used.add(name);
    this.inputs.push({ name, type, dims });
    return name;
  }

  /** Declares `value` a graph output called `name` (through an Identity node when it has another name). */
  output(value: string, name: string, type: OnnxType, dims: readonly (number | string)[]): void {
    if (value !== name) {
      if (this.used.has(name)) throw new Error(`onnx graph ${this.name}: ${name} is defined twice`);
      this.used.add(name);
      this.nodes.push({ op: "Identity", name: `${name}_identity`, inputs: [value], outputs: [name] });
    }
    this.outputs.push({ name, type, dims });
  }

  /** A float32 initializer (a weight). */
  weight(stem: string, t: HostTensor): string {
    const name = this.fresh(stem);
    this.initializers.push({ name, type: "float", dims: t.dims, values: t.data });
    return name;
  }

  /** An int64 constant (shapes, axes, indices); equal constants share one initializer. dims default: a 1-D list. */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i64:${dims.join("x")}:${values.join(",")}`;
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const name = this.fresh(`const_i64_${this.constants.size}`);
    this.initializers.push({ name, type: "int64", dims, values });
    this.constants.set(key, name);
    return name;
  }

  /** An int32 constant (compared with or added to int32 ids); equal constants share one initializer. */
  int32s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i32:${dims.join("x")}:${values.join(",")}`;
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const name = this.fresh(`const_i32_${this.constants.size}`);
    this.initializers.push({ name, type: "int32", dims, values: Int32Array.from(values) });
    this.constants.set(key, name);
    return name;
  }

  /** A float32 scalar constant (shared when equal). */
  scalar(value: number): string {
    const key = `f32:${value}`;
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const name = this.fresh(`const_f32_${this.constants.size}`);
    this.initializers.push({ name, type: "float", dims: [], values: Float32Array.of(value) });
    this.constants.set(key, name);
    return name;
  }

  /** A node with one output; returns the output's name (stem: the op's name in lower case unless given). */
  op(op: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, stem?: string): string {
    return this.opN(op, inputs, 1, attributes, stem)[0];
  }

  /** A node with `count` outputs. */
  opN(
    op: string,
    inputs: readonly string[],
    count: number,
    attributes: Record<string, AttributeValue> = {},
    stem = op.toLowerCase(),
  ): string[] {
    const outputs = Array.from({ length: count }, (_, i) => this.fresh(count === 1 ? stem : `${stem}_${i}`));
    this.nodes.push({ op, name: `${outputs[0]}_node`, inputs, outputs, attributes });
    return outputs;
  }

  /** float32 bytes held by the weights (not the small constants) */
  get weightBytes(): number {
    return this.initializers.reduce((sum, t) => sum + (t.type === "float" ? 4 * t.values.length : 0), 0);
  }

  /** The ModelProto bytes. */
  model(): Uint8Array {
    return encodeModel({
      graph: {
        name: this.name,
        nodes: this.nodes,
        initializers: this.initializers,
        inputs: this.inputs,
        outputs: this.outputs,
      },
      opsets: [{ domain: "", version: OPSET }],
    });
  }
}
