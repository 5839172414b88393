/**
 * Picks the engine that computes a model's hidden states, like backend/select.ts picks the tfjs backend:
 *   onnxruntime  the architecture's ONNX graph (src/encoders/onnx/), built from the loaded weights, run by onnxruntime-node on
 *                the CPU with SHIFTLAB_THREADS intra-op threads
 *   tfjs         the architecture's tfjs encoder (registry.ts) on the selected tfjs backend
 * By default onnxruntime when it loads and has a graph for the model_type (and the tfjs backend is not a GPU one, which beats
 * onnxruntime's CPU), else tfjs; every engine tried is recorded with why it was skipped. SHIFTLAB_ENGINE or the `engine`
 * argument asks for one and fails loudly when it cannot be used.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setting, threadsSetting } from "../settings";
import type { ModelConfig } from "./checkpoint/config";
import { OnnxStatesEngine, MAX_MODEL_BYTES } from "./onnx/engine";
import { hasOnnxGraph, onnxArchitecture } from "./onnx/graphs";
import { loadOnnxRuntime, type OrtLoad } from "./onnx/runtime";
import { buildEncoder } from "./registry";
import { parseEngineName, TfjsStatesEngine, type EngineName, type StatesEngine } from "./states_engine";
import type { TensorSource } from "./weights";

export interface EngineChoice {
  name: EngineName;
  /** e.g. "onnxruntime (cpu)", "tfjs (wasm)" */
  description: string;
  /** every engine tried, in order, with why it was skipped or "chosen" */
  tried: { name: EngineName; result: string }[];
}

export interface EngineRequest {
  /** "tfjs" | "onnxruntime"; default: SHIFTLAB_ENGINE, else the fastest that loads */
  engine?: string;
  /** the selected tfjs backend (backend/select.ts name) */
  backend: string;
  /** onnxruntime intra-op threads; default SHIFTLAB_THREADS, else every core */
  threads?: number;
  /** onnxruntime-node as loaded (default: loadOnnxRuntime(); tests pass a missing one) */
  runtime?: OrtLoad;
}

/** tfjs backends that run on a GPU: faster than onnxruntime on the CPU, so the default keeps tfjs there */
const GPU_BACKENDS = ["tensorflow-gpu", "webgpu"];

/** The engine named by the request (or SHIFTLAB_ENGINE), checked; undefined = choose. */
export function requestedEngine(engine?: string): EngineName | undefined {
  return parseEngineName(engine ?? setting("SHIFTLAB_ENGINE"));
}

export async function loadStatesEngine(
  config: ModelConfig,
  checkpoint: TensorSource,
  request: EngineRequest,
): Promise<{ engine: StatesEngine; choice: EngineChoice }> {
  const wanted = requestedEngine(request.engine);
  if (wanted === "onnxruntime") {
    const attempt = await tryOnnxRuntime(config, checkpoint, request);
    if (attempt.engine === undefined) throw new Error(`Engine onnxruntime cannot be used: ${attempt.reason}`);
    return chosen(attempt.engine, []);
  }
  const tried: EngineChoice["tried"] = [];
  if (wanted === undefined) {
    if (GPU_BACKENDS.includes(request.backend)) {
      tried.push({ name: "onnxruntime", result: `not tried: tfjs runs on a GPU here (${request.backend})` });
    } else {
      const attempt = await tryOnnxRuntime(config, checkpoint, request);
      if (attempt.engine !== undefined) return chosen(attempt.engine, tried);
      tried.push({ name: "onnxruntime", result: attempt.reason ?? "failed" });
    }
  }
  const before = tf.memory().numBytes;
  const encoder = buildEncoder(config, checkpoint);
  return chosen(new TfjsStatesEngine(encoder, request.backend, tf.memory().numBytes - before), tried);
}

function chosen(engine: StatesEngine, tried: EngineChoice["tried"]): { engine: StatesEngine; choice: EngineChoice } {
  return {
    engine,
    choice: {
      name: engine.name,
      description: engine.description,
      tried: [...tried, { name: engine.name, result: "chosen" }],
    },
  };
}

// Both members name both fields: tslab compiles without strictNullChecks, where narrowing on one field alone does not work.
type Attempt = { engine: OnnxStatesEngine; reason?: undefined } | { engine?: undefined; reason: string };

/** The onnxruntime engine with its last-layer session built (so a model that fails to compile is caught here), or why not. */
async function tryOnnxRuntime(config: ModelConfig, checkpoint: TensorSource, request: EngineRequest): Promise<Attempt> {
  // a misspelt SHIFTLAB_ORT_PROVIDER is an error, not a reason to fall back to tfjs
  const { providers, asked } = executionProviders();
  const runtime = request.runtime ?? loadOnnxRuntime();
  if (runtime.module === undefined) return { reason: runtime.reason ?? "onnxruntime-node did not load" };
  if (!hasOnnxGraph(config.modelType))
    return { reason: `no ONNX graph for model_type ${config.modelType}; use --engine tfjs` };
  let engine: OnnxStatesEngine | undefined;
  try {
    const architecture = onnxArchitecture(config, checkpoint);
    if (architecture.weightBytes > MAX_MODEL_BYTES)
      return {
        reason: `the float32 weights (${(architecture.weightBytes / 2 ** 30).toFixed(2)} GiB) exceed the 2 GiB an ONNX model passed as bytes may hold; use --engine tfjs`,
      };
    const failures: string[] = [];
    for (const provider of providers) {
      engine = new OnnxStatesEngine(runtime.module, architecture, {
        threads: request.threads ?? threadsSetting(),
        executionProvider: provider,
      });
      try {
        await engine.session([architecture.numLayers]); // a provider that cannot start fails here, not in the first embed
        if (failures.length > 0)
          process.stderr.write(`shiftlab: onnxruntime runs on ${provider}: ${failures.join("; ")}\n`);
        return { engine };
      } catch (error) {
        engine.dispose();
        engine = undefined;
        failures.push(`${provider} failed (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
        if (asked) break;
      }
    }
    return { reason: failures.join("; ") };
  } catch (error) {
    engine?.dispose();
    return { reason: `failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
}

export const ORT_PROVIDERS = ["cpu", "cuda", "webgpu"] as const;

/**
 * The execution providers to try, in order: the one SHIFTLAB_ORT_PROVIDER names (alone), else CUDA when its provider library
 * was installed (`npm install --onnxruntime-node-install=cuda12`) and then the CPU, else the CPU.
 */
export function executionProviders(
  asked = setting("SHIFTLAB_ORT_PROVIDER"),
  binaryFolder = ortBinaryFolder(),
): { providers: string[]; asked: boolean } {
  const name = (asked ?? "").trim();
  if (name !== "") {
    if (!(ORT_PROVIDERS as readonly string[]).includes(name))
      throw new Error(
        `Unknown SHIFTLAB_ORT_PROVIDER ${JSON.stringify(name)}; valid names: ${ORT_PROVIDERS.join(", ")}`,
      );
    return { providers: [name], asked: true };
  }
  const cuda = binaryFolder !== undefined && existsSync(path.join(binaryFolder, "libonnxruntime_providers_cuda.so"));
  return { providers: cuda ? ["cuda", "cpu"] : ["cpu"], asked: false };
}

/** where onnxruntime-node keeps its native libraries for this platform (the CUDA provider is installed there) */
function ortBinaryFolder(): string | undefined {
  try {
    const root = path.dirname(require.resolve("onnxruntime-node/package.json"));
    return path.join(root, "bin", "napi-v6", process.platform, process.arch);
  } catch {
    return undefined;
  }
}
