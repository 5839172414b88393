/**
 * Headless notebook execution with the project kernel (kernels/tslab), via Jupyter's nbconvert.
 * Cells are run with errors allowed so the executed copy is written even when a cell fails; failures are then read back from it,
 * because tslab reports a failing cell as an empty "<Error>:" and puts the message in the cell's stderr (see failuresOf).
 *
 * Concurrent runs (two `shiftlab notebooks` at once, even of the same notebook) do not collide: each execution gets its own
 * temporary folder, used as JUPYTER_RUNTIME_DIR (kernel connection files) and as nbconvert's working copy, and the executed
 * copy is moved into the output folder with one atomic rename (the last run to finish wins; nobody reads a half-written file).
 * A kernel that fails to start before any cell ran (e.g. "Invalid Signature" when another kernel took a port in the moment
 * between Jupyter choosing it and the kernel binding it) is started again, up to KERNEL_START_ATTEMPTS times.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { outputRoot, projectRoot } from "../assets/paths";
import { childEnvironment, setting } from "../settings";
import { readJsonFile } from "../util/json";

export interface CellFailure {
  cell: number;
  source: string;
  message: string;
}

export interface NotebookRun {
  notebook: string;
  executedCopy: string;
  seconds: number;
  failures: CellFailure[];
}

export function notebooksFolder(): string {
  return path.join(projectRoot(), "notebooks");
}

export function jupyterCommand(): string {
  const configured = setting("SHIFTLAB_JUPYTER");
  if (configured) return configured;
  // Debian's jupyter: the python3 first on PATH may be another Python without Jupyter.
  return fs.existsSync("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter";
}

/**
 * Notebooks matching the names (file name, name without .ipynb, or its number prefix such as "01"), or a path to any .ipynb
 * file outside notebooks/ (e.g. a scratch notebook); all of notebooks/ when none given.
 */
export function findNotebooks(names: string[]): string[] {
  const folder = notebooksFolder();
  const all = fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  if (names.length === 0) return all.map((f) => path.join(folder, f));
  return names.map((name) => {
    const outside = path.resolve(name);
    if (name.endsWith(".ipynb") && path.dirname(outside) !== folder && fs.existsSync(outside)) return outside;
    const wanted = path.basename(name).replace(/\.ipynb$/, "");
    const matches = all.filter((f) => f.replace(/\.ipynb$/, "") === wanted || f.startsWith(`${wanted}_`));
    if (matches.length !== 1) {
      const why = matches.length === 0 ? "no notebook" : `${matches.length} notebooks`;
      throw new Error(`${why} in ${folder} matches ${JSON.stringify(name)}; available: ${all.join(", ")}`);
    }
    return path.join(folder, matches[0]);
  });
}

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");
const joinText = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : (t ?? ""));

interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

interface NotebookJson {
  cells: {
    cell_type: string;
    source: string | string[];
    metadata?: Record<string, unknown>;
    outputs?: NotebookOutput[];
  }[];
}

/** Appended to the copy that is executed: its output proves every cell before it ran. Removed from the executed copy. */
export const COMPLETION_MARK = "shiftlab: all cells ran";
const completionCell = {
  cell_type: "code",
  execution_count: null,
  metadata: { shiftlab_completion_check: true },
  outputs: [],
  source: `console.log(${JSON.stringify(COMPLETION_MARK)});`,
};

const streamText = (outputs: NotebookOutput[], name: string) =>
  outputs.filter((o) => o.output_type === "stream" && o.name === name).map((o) => joinText(o.text));

/**
 * Failing cells of an executed notebook (the copy with the completion cell at its end). tslab reports a failing cell (a compile
 * error or an exception) only on the cell's stderr, and the kernel then skips every later cell. So when the completion cell
 * printed nothing, the failing cell is the last code cell that has any output.
 */
export function failuresOf(executed: NotebookJson): CellFailure[] {
  const code = executed.cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => cell.cell_type === "code");
  const last = code[code.length - 1];
  if (
    last &&
    streamText(last.cell.outputs ?? [], "stdout")
      .join("")
      .includes(COMPLETION_MARK)
  )
    return [];
  const failed = [...code].reverse().find(({ cell }) => (cell.outputs ?? []).length > 0);
  if (!failed)
    return [{ cell: -1, source: "", message: "no cell produced any output: the kernel did not run the notebook" }];
  const outputs = failed.cell.outputs ?? [];
  const errors = outputs
    .filter((o) => o.output_type === "error")
    .map((e) => [`${e.ename ?? "Error"}: ${e.evalue ?? ""}`, ...(e.traceback ?? []).map(stripAnsi)].join("\n"));
  const message = [...streamText(outputs, "stderr"), ...errors].join("\n").trim();
  return [
    {
      cell: failed.index,
      source: joinText(failed.cell.source),
      message: message || "the cell stopped the notebook without an error message",
    },
  ];
}

const KERNEL_START_ATTEMPTS = 3;
/** nbconvert's complaints when the kernel never became usable, i.e. before any cell ran */
const KERNEL_START_FAILURE =
  /Invalid Signature|Kernel died before replying|Kernel didn't respond|Address already in use/i;

export function executeNotebook(
  notebook: string,
  options: { scale?: string; timeoutSeconds?: number; outputDir?: string } = {},
): NotebookRun {
  const outputDir = options.outputDir ?? path.join(outputRoot(), "notebooks");
  fs.mkdirSync(outputDir, { recursive: true });
  const executedCopy = path.join(outputDir, path.basename(notebook));
  const source = readJsonFile(notebook, "notebook") as NotebookJson;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "shiftlab-run-"));
    try {
      const outcome = executeOnce(source, path.basename(notebook), runDir, options);
      const seconds = (Date.now() - started) / 1000;
      if ("stderr" in outcome) {
        if (attempt < KERNEL_START_ATTEMPTS && KERNEL_START_FAILURE.test(outcome.stderr)) continue;
        const tail = stripAnsi(outcome.stderr)
          .split("\n")
          .filter((l) => !/debugger|frozen_modules|PYDEVD/i.test(l))
          .slice(-30)
          .join("\n");
        return {
          notebook,
          executedCopy,
          seconds,
          failures: [{ cell: -1, source: "", message: `nbconvert exited with ${outcome.status}:\n${tail}` }],
        };
      }
      const failures = failuresOf(outcome.executed);
      outcome.executed.cells = outcome.executed.cells.filter((c) => !c.metadata?.shiftlab_completion_check);
      writeFileAtomically(executedCopy, JSON.stringify(outcome.executed, null, 1) + "\n");
      return { notebook, executedCopy, seconds, failures };
    } finally {
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  }
}

/** Write through a temporary file in the same folder and rename it into place: readers see the old file or the new one. */
function writeFileAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/** One nbconvert run inside runDir (its own JUPYTER_RUNTIME_DIR and working copy): the executed notebook, or nbconvert's stderr. */
function executeOnce(
  source: NotebookJson,
  name: string,
  runDir: string,
  options: { scale?: string; timeoutSeconds?: number },
): { executed: NotebookJson } | { status: number | null; stderr: string } {
  const root = projectRoot();
  const runtimeDir = path.join(runDir, "runtime");
  const workDir = path.join(runDir, "work");
  fs.mkdirSync(runtimeDir);
  fs.mkdirSync(workDir);
  const env = childEnvironment({
    JUPYTER_PATH: [root, setting("JUPYTER_PATH")].filter(Boolean).join(path.delimiter),
    JUPYTER_RUNTIME_DIR: runtimeDir,
  });
  if (options.scale) env.SHIFTLAB_SCALE = options.scale;
  const workCopy = path.join(workDir, name);
  fs.writeFileSync(workCopy, JSON.stringify({ ...source, cells: [...source.cells, completionCell] }));
  const result = spawnSync(
    jupyterCommand(),
    [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--allow-errors",
      "--ExecutePreprocessor.kernel_name=tslab",
      `--ExecutePreprocessor.timeout=${options.timeoutSeconds ?? 1800}`,
      "--ExecutePreprocessor.startup_timeout=120",
      "--output-dir",
      workDir,
      workCopy,
    ],
    { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error)
    throw new Error(
      `could not start ${jupyterCommand()} (${result.error.message}); install Jupyter as the README says or set SHIFTLAB_JUPYTER`,
    );
  // nbconvert writes the executed notebook over the working copy; without a completion cell run, that copy is our input
  if (result.status !== 0) return { status: result.status, stderr: `${result.stderr ?? ""}` };
  return { executed: readJsonFile(workCopy, "executed notebook") as NotebookJson };
}
