/**
 * Weights on the host for the ONNX graphs. The architecture files' mapping functions (bertWeightsFromCheckpoint, ...) remain
 * the one place that knows a checkpoint's tensor names and shapes; toHost() copies the tfjs tensors they return into float32
 * arrays (same record shape, Linear layers already [in, out]) and frees the tensors.
 */
import * as tf from "@tensorflow/tfjs";
import type { HostTensor } from "./graph_builder";

/** A weights record with every tf.Tensor replaced by a HostTensor. */
export type Host<T> = T extends tf.Tensor
  ? HostTensor
  : T extends readonly (infer U)[]
    ? Host<U>[]
    : T extends object
      ? { [K in keyof T]: Host<T[K]> }
      : T;

function copy(value: unknown): unknown {
  if (value instanceof tf.Tensor) {
    const data = value.dataSync();
    if (!(data instanceof Float32Array)) throw new Error(`onnx: weight of dtype ${value.dtype} is not float32`);
    const host = { dims: [...value.shape], data: data.slice() };
    value.dispose(); // one tensor at a time: the weights are never held twice in full
    return host;
  }
  if (Array.isArray(value)) return value.map(copy);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  return value;
}

function tensorsIn(value: unknown): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(tensorsIn);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(tensorsIn);
  return [];
}

/** Host copies of every tensor in `weights`; each tensor is disposed once copied (all of them when copying fails). */
export function toHost<T>(weights: T): Host<T> {
  try {
    return copy(weights) as Host<T>;
  } finally {
    tf.dispose(tensorsIn(weights));
  }
}

/** float32 bytes of every HostTensor in a record */
export function hostBytes(weights: unknown): number {
  if (typeof weights !== "object" || weights === null) return 0;
  const data = (weights as { data?: unknown }).data;
  if (data instanceof Float32Array) return data.byteLength;
  return Object.values(weights).reduce((sum: number, v) => sum + hostBytes(v), 0);
}
