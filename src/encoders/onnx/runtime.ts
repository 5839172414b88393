/**
 * onnxruntime-node, an optional dependency, loaded on first use: require() it, or say why it cannot be (not installed, or
 * its native binding failed to load). Only the few parts of its API shiftlab uses are typed here, so the project compiles
 * and runs without the package.
 */

export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
}

export interface OrtSessionOptions {
  executionProviders: string[];
  intraOpNumThreads: number;
  interOpNumThreads: number;
  graphOptimizationLevel: "disabled" | "basic" | "extended" | "all";
  executionMode: "sequential" | "parallel";
  logSeverityLevel: 0 | 1 | 2 | 3 | 4;
  enableCpuMemArena?: boolean;
  enableMemPattern?: boolean;
  /** session config entries, nested by their dotted names (e.g. session.intra_op.allow_spinning) */
  extra?: Record<string, unknown>;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches?: readonly string[]): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: OrtSessionOptions): Promise<OrtSession> };
  Tensor: new (type: string, data: Float32Array | Int32Array, dims: readonly number[]) => OrtTensor;
  env: { versions?: Record<string, string | undefined> };
  listSupportedBackends?: () => { name: string; bundled: boolean }[];
}

export const ORT_PACKAGE = "onnxruntime-node";

export interface OrtLoad {
  module?: OrtModule;
  /** why it cannot be used, when module is undefined */
  reason?: string;
  version?: string;
}

let loaded: OrtLoad | undefined;

/** The onnxruntime-node module, or the reason it cannot be loaded (computed once per process). */
export function loadOnnxRuntime(): OrtLoad {
  if (loaded === undefined) loaded = loadRuntimePackage(ORT_PACKAGE);
  return loaded;
}

/** require(packageName) as onnxruntime-node, or why it cannot be used (exported for tests: a missing package's message) */
export function loadRuntimePackage(packageName: string): OrtLoad {
  let module: OrtModule;
  try {
    module = require(packageName) as OrtModule;
  } catch (error) {
    const text = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const code = (error as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND" && text.includes(`'${packageName}'`))
      return {
        reason: `${packageName} is not installed (an optional dependency: npm install skips it where it cannot install)`,
      };
    return { reason: `${packageName} failed to load: ${text}` };
  }
  if (typeof module.InferenceSession?.create !== "function" || typeof module.Tensor !== "function")
    return { reason: `${packageName} loaded but has no InferenceSession.create / Tensor (an incompatible version?)` };
  return { module, version: module.env?.versions?.node ?? module.env?.versions?.common };
}
