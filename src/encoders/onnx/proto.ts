/**
 * A minimal protocol-buffers writer for the ONNX messages shiftlab emits (ModelProto and what it contains), so that a graph
 * can be handed to onnxruntime as bytes without a protobuf dependency or a Python export step.
 *
 * Wire format: each field is a tag varint (field number << 3 | wire type) followed by its value: a varint (wire type 0), a
 * length-delimited byte string (2: strings, bytes, nested messages, packed repeated numbers) or a little-endian fixed32 (5:
 * float). Messages are built as lists of byte chunks, so a large weight buffer is referenced, not copied, until finish()
 * concatenates everything once. Field numbers are those of onnx/onnx.proto (IR version 8).
 */

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** unsigned LEB128 of a non-negative integer, or the 10-byte two's complement form of a negative int64 (protobuf's int64) */
export function encodeVarint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Uint8Array.from(bytes);
}

/** Fast path for the common small non-negative case (tags, lengths). */
function smallVarint(value: number): Uint8Array {
  if (value >= 0 && value < 0x80) return Uint8Array.of(value);
  if (!Number.isSafeInteger(value)) throw new Error(`protobuf: ${value} is not an integer`);
  return encodeVarint(value);
}

const textEncoder = new TextEncoder();

/** One message being written: a list of chunks and their total length. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.size += bytes.length;
    return this;
  }

  private tag(field: number, wireType: number): this {
    return this.push(smallVarint((field << 3) | wireType));
  }

  /** int32/int64/enum/bool field (negative values take 10 bytes, as protobuf's int64 does) */
  int(field: number, value: number | bigint): this {
    return this.tag(field, VARINT).push(encodeVarint(value));
  }

  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.tag(field, FIXED32).push(bytes);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, LENGTH_DELIMITED).push(smallVarint(value.length)).push(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    this.tag(field, LENGTH_DELIMITED).push(smallVarint(value.size));
    for (const chunk of value.chunks) this.push(chunk);
    return this;
  }

  /** repeated int64, packed (one length-delimited run of varints) */
  packedInts(field: number, values: readonly number[]): this {
    const run = new ProtoWriter();
    for (const v of values) run.push(encodeVarint(v));
    return this.message(field, run);
  }

  /** repeated float, packed (little-endian fixed32 values) */
  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(4 * values.length);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(4 * i, v, true));
    return this.bytes(field, bytes);
  }

  /** The message's bytes, concatenated once. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
