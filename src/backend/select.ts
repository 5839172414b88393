/**
 * Picks the fastest TensorFlow.js backend that actually works here, in this order:
 *   tensorflow-gpu  TensorFlow's C library with CUDA (@tensorflow/tfjs-node-gpu)
 *   webgpu          Dawn's WebGPU (npm "webgpu") on a hardware adapter; software adapters (SwiftShader, llvmpipe) are refused
 *   tensorflow      TensorFlow's C library on the CPU (@tensorflow/tfjs-node)
 *   wasm            WebAssembly with SIMD (@tensorflow/tfjs-backend-wasm)
 *   cpu             plain JavaScript
 * SHIFTLAB_BACKEND (or the override argument) asks for one of these names and fails loudly when it cannot be used.
 * Native backends are recognised by the "tensorflow" backend getting registered, never by package name: package.json aliases
 * @tensorflow/tfjs-node to plain @tensorflow/tfjs, which loads fine and registers nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setting } from "../settings";

export const BACKEND_NAMES = ["tensorflow-gpu", "webgpu", "tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice {
  name: BackendName;
  description: string;
  /** every backend tried, in order, with why it was skipped or "chosen" */
  tried: { name: string; result: string }[];
}

// Both members name both fields: tslab compiles without strictNullChecks, where narrowing on `ok` alone does not work.
type Attempt =
  { ok: true; description: string; reason?: undefined } | { ok: false; reason: string; description?: undefined };

const ATTEMPTS: Record<BackendName, () => Promise<Attempt>> = {
  "tensorflow-gpu": tryTensorflowGpu,
  webgpu: tryWebGpu,
  tensorflow: tryTensorflowCpu,
  wasm: tryWasm,
  cpu: tryCpu,
};

/** TensorFlow.js's own name for each of ours */
const TF_BACKEND: Record<BackendName, string> = {
  "tensorflow-gpu": "tensorflow",
  webgpu: "webgpu",
  tensorflow: "tensorflow",
  wasm: "wasm",
  cpu: "cpu",
};

let chosen: BackendChoice | undefined;
/** selections run one after another, so two cells calling at once do not initialise backends concurrently */
let queue: Promise<unknown> = Promise.resolve();

/** Selects (once) and returns the backend; a later call returns the same choice unless it names a different backend. */
export function selectBackend(override?: string): Promise<BackendChoice> {
  const wanted = (override ?? setting("SHIFTLAB_BACKEND") ?? "").trim();
  if (wanted !== "" && !(BACKEND_NAMES as readonly string[]).includes(wanted)) {
    return Promise.reject(
      new Error(`Unknown backend ${JSON.stringify(wanted)}; valid names: ${BACKEND_NAMES.join(", ")}`),
    );
  }
  const selection = queue.then(async () => {
    if (chosen !== undefined && (wanted === "" || wanted === chosen.name)) return chosen;
    chosen = wanted === "" ? await firstWorking() : await exactly(wanted as BackendName);
    return chosen;
  });
  queue = selection.catch(() => undefined);
  return selection;
}

/** One line for reports: the chosen backend and why the faster ones were skipped. */
export function describeBackend(): string {
  if (chosen === undefined) return "no backend selected yet (call selectBackend())";
  const choice = chosen;
  const skipped = choice.tried.filter((t) => t.name !== choice.name).map((t) => `${t.name}: ${t.result}`);
  return `${choice.name}: ${choice.description}` + (skipped.length > 0 ? ` (skipped ${skipped.join("; ")})` : "");
}

async function firstWorking(): Promise<BackendChoice> {
  const tried: BackendChoice["tried"] = [];
  for (const name of BACKEND_NAMES) {
    const attempt = await attemptWithCheck(name);
    if (attempt.ok) {
      tried.push({ name, result: "chosen" });
      return { name, description: attempt.description, tried };
    }
    tried.push({ name, result: attempt.reason });
  }
  throw new Error(`No TensorFlow.js backend works here: ${tried.map((t) => `${t.name}: ${t.result}`).join("; ")}`);
}

async function exactly(name: BackendName): Promise<BackendChoice> {
  const attempt = await attemptWithCheck(name);
  if (!attempt.ok) {
    if (chosen !== undefined) await tf.setBackend(TF_BACKEND[chosen.name]); // a half-made switch must not leave a different backend active
    throw new Error(`Backend ${name} cannot be used: ${attempt.reason}`);
  }
  return { name, description: attempt.description, tried: [{ name, result: "chosen" }] };
}

async function attemptWithCheck(name: BackendName): Promise<Attempt> {
  let attempt: Attempt;
  try {
    attempt = await ATTEMPTS[name]();
  } catch (error) {
    attempt = { ok: false, reason: `failed: ${errorText(error)}` };
  }
  if (!attempt.ok) return attempt;
  const problem = await matMulProblem();
  return problem === undefined ? attempt : { ok: false, reason: `loaded, but ${problem}` };
}

/** A backend that initialises but computes garbage (or throws on first use) must not be chosen. */
async function matMulProblem(): Promise<string | undefined> {
  try {
    const product = tf.tidy(() =>
      tf.matMul(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([
          [5, 6],
          [7, 8],
        ]),
      ),
    );
    const values = Array.from(await product.data());
    product.dispose();
    return values.join(",") === "19,22,43,50"
      ? undefined
      : `a 2x2 matMul gave ${values.join(",")} instead of 19,22,43,50`;
  } catch (error) {
    return `a 2x2 matMul threw: ${errorText(error)}`;
  }
}

/** require() a package, or the reason it cannot be loaded. */
function load(packageName: string): { module?: unknown; reason?: string } {
  try {
    return { module: require(packageName) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND" && errorText(error).includes(`'${packageName}'`))
      return { reason: `${packageName} is not installed` };
    return { reason: `${packageName} failed to load: ${errorText(error)}` };
  }
}

async function use(backend: string): Promise<string | undefined> {
  if (tf.findBackendFactory(backend) === null) return `no "${backend}" backend is registered`;
  if (!(await tf.setBackend(backend))) return `the "${backend}" backend failed to initialise`;
  await tf.ready();
  return undefined;
}

function usingCuda(): boolean {
  return (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
}

async function tryTensorflowGpu(): Promise<Attempt> {
  const loaded = load("@tensorflow/tfjs-node-gpu");
  if (loaded.reason !== undefined) return { ok: false, reason: loaded.reason };
  if (tf.findBackendFactory("tensorflow") === null) {
    return {
      ok: false,
      reason: `@tensorflow/tfjs-node-gpu loaded but registered no "tensorflow" backend on this @tensorflow/tfjs (a second copy of tfjs-core?)`,
    };
  }
  const problem = await use("tensorflow");
  if (problem !== undefined) return { ok: false, reason: problem };
  // it stays registered, so the CPU "tensorflow" step below can still use it
  if (!usingCuda()) return { ok: false, reason: "TensorFlow loaded but found no CUDA device" };
  return { ok: true, description: "TensorFlow C library with CUDA (@tensorflow/tfjs-node-gpu)" };
}

async function tryTensorflowCpu(): Promise<Attempt> {
  if (tf.findBackendFactory("tensorflow") === null) {
    const loaded = load("@tensorflow/tfjs-node");
    if (loaded.reason !== undefined) return { ok: false, reason: loaded.reason };
    if (tf.findBackendFactory("tensorflow") === null) {
      return {
        ok: false,
        reason: `@tensorflow/tfjs-node loaded but registered no "tensorflow" backend (it is not the native binding here; package.json aliases it to @tensorflow/tfjs)`,
      };
    }
  }
  const problem = await use("tensorflow");
  if (problem !== undefined) return { ok: false, reason: problem };
  return { ok: true, description: usingCuda() ? "TensorFlow C library with CUDA" : "TensorFlow C library on the CPU" };
}

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapter {
  info?: AdapterInfo;
  isFallbackAdapter?: boolean;
}
interface DawnModule {
  create(flags: string[]): { requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapter | null> };
  globals: object;
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|software|\bcpu\b/i;

/**
 * On Linux Dawn reaches hardware only through Vulkan. Without the loader library it can find no adapter, and trying would print a
 * C++ warning into every notebook, so look for it first (in the dynamic linker's cache and in LD_LIBRARY_PATH).
 */
function linuxVulkanLoaderMissing(): boolean {
  if (process.platform !== "linux") return false;
  const library = "libvulkan.so.1";
  const dirs = (setting("LD_LIBRARY_PATH") ?? "").split(":").filter((d) => d !== "");
  if (dirs.some((d) => existsSync(path.join(d, library)))) return false;
  try {
    return !readFileSync("/etc/ld.so.cache").includes(library);
  } catch {
    return false; // no cache to consult: let Dawn look for itself
  }
}

async function tryWebGpu(): Promise<Attempt> {
  if (linuxVulkanLoaderMissing())
    return { ok: false, reason: "no Vulkan loader (libvulkan.so.1), so no hardware WebGPU adapter" };
  const loaded = load("webgpu");
  if (loaded.reason !== undefined) return { ok: false, reason: loaded.reason };
  const dawn = loaded.module as DawnModule;
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (adapter === null) return { ok: false, reason: "Dawn found no WebGPU adapter (no Vulkan/Metal/D3D12 device)" };
  const info = adapter.info ?? {};
  const name =
    [info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(" ") || "unnamed adapter";
  if (adapter.isFallbackAdapter === true || info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(name)) {
    return { ok: false, reason: `only a software adapter (${name}), slower than wasm` };
  }
  // tfjs-backend-webgpu registers itself at import time only when navigator.gpu exists, and needs the GPU* constants as globals
  Object.assign(globalThis, dawn.globals);
  const global = globalThis as { navigator?: object };
  if (global.navigator === undefined)
    Object.defineProperty(globalThis, "navigator", { value: {}, configurable: true, writable: true });
  Object.defineProperty(global.navigator, "gpu", { value: gpu, configurable: true });
  const backend = load("@tensorflow/tfjs-backend-webgpu");
  if (backend.reason !== undefined) return { ok: false, reason: backend.reason };
  const problem = await use("webgpu");
  if (problem !== undefined) return { ok: false, reason: `${problem} on ${name}` };
  return { ok: true, description: `WebGPU (Dawn) on ${name}` };
}

async function tryWasm(): Promise<Attempt> {
  const added = processHandlersAddedBy();
  const loaded = load("@tensorflow/tfjs-backend-wasm");
  if (loaded.reason !== undefined) return { ok: false, reason: loaded.reason };
  const problem = await use("wasm");
  added.remove();
  if (problem !== undefined) return { ok: false, reason: problem };
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
  return {
    ok: true,
    description: `WebAssembly (${simd ? "SIMD" : "no SIMD"}, ${threads ? "multi-threaded" : "single-threaded"})`,
  };
}

async function tryCpu(): Promise<Attempt> {
  const problem = await use("cpu");
  if (problem !== undefined) return { ok: false, reason: problem };
  return { ok: true, description: "plain JavaScript (slowest)" };
}

/**
 * The wasm backend's Emscripten glue installs process handlers that rethrow any uncaught exception from inside its minified
 * file, so a researcher's own error printed ~38 KB of wasm JavaScript instead of their message and stack. Its own dispose is
 * meant to remove them but never does. We note the handlers before loading it and remove the ones it added.
 */
function processHandlersAddedBy(): { remove(): void } {
  const events = ["uncaughtException", "unhandledRejection"];
  const emitter = process as NodeJS.EventEmitter;
  const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
  return {
    remove() {
      for (const event of events) {
        for (const listener of emitter.listeners(event)) {
          if (!before.get(event)?.has(listener))
            emitter.removeListener(event, listener as (...args: unknown[]) => void);
        }
      }
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}
