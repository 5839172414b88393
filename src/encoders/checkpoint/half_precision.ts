/** IEEE half and bfloat16 ⇄ float32, for reading F16/BF16 checkpoints (and writing test copies). */
let f16Table: Float32Array | undefined;

/** IEEE half → float32 via a 65,536-entry table (fast for whole checkpoints). */
export function float16ToFloat32(halves: Uint16Array): Float32Array {
  if (f16Table === undefined) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = halfToNumber(h);
  }
  const table = f16Table;
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) out[i] = table[halves[i]];
  return out;
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 is the top half of a float32. */
export function bfloat16ToFloat32(halves: Uint16Array): Float32Array {
  const bits = new Uint32Array(halves.length);
  for (let i = 0; i < halves.length; i++) bits[i] = halves[i] << 16;
  return new Float32Array(bits.buffer);
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** float → IEEE half bits, rounding to nearest even (overflow → ±Infinity). */
export function float32ToFloat16Bits(x: number): number {
  scratch[0] = x;
  const f = scratchBits[0];
  const sign = (f >>> 16) & 0x8000;
  const exponent = (f >>> 23) & 0xff;
  const mantissa = f & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const halfway = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rest > halfway || (rest === halfway && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // may carry into the exponent, which is the right answer
  return sign | h;
}

/** float → bfloat16 bits, rounding to nearest even. */
export function float32ToBfloat16Bits(x: number): number {
  scratch[0] = x;
  const f = scratchBits[0];
  if ((f & 0x7f800000) === 0x7f800000 && f & 0x7fffff) return (f >>> 16) | 0x40; // keep NaN a NaN
  return ((f + 0x7fff + ((f >>> 16) & 1)) >>> 16) & 0xffff;
}
