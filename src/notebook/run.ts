/**
 * Headless notebook execution with the project kernel (kernels/tslab), via Jupyter's nbconvert.
 * Cells are run with errors allowed so the executed copy is always written; failures are then read back from it,
 * because tslab reports a failing cell as an empty "<Error>:" and puts the message in the cell's stderr.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { outputRoot, projectRoot } from "../assets/paths";

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
  if (process.env.SHIFTLAB_JUPYTER) return process.env.SHIFTLAB_JUPYTER;
  // Debian's jupyter: the python3 first on PATH may be another Python without Jupyter.
  return fs.existsSync("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter";
}

/** Notebooks matching the names (file name, name without .ipynb, or its number prefix such as "01"); all when none given. */
export function findNotebooks(names: string[]): string[] {
  const folder = notebooksFolder();
  const all = fs.readdirSync(folder).filter((f) => f.endsWith(".ipynb")).sort();
  if (names.length === 0) return all.map((f) => path.join(folder, f));
  return names.map((name) => {
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
const joinText = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : t ?? "");

interface NotebookJson {
  cells: { cell_type: string; source: string | string[]; outputs?: { output_type: string; name?: string; text?: string | string[]; ename?: string; evalue?: string; traceback?: string[] }[] }[];
}

/** Failing cells of an executed notebook, with the error text tslab left in each cell's outputs. */
export function failuresOf(executed: NotebookJson): CellFailure[] {
  const failures: CellFailure[] = [];
  executed.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const outputs = cell.outputs ?? [];
    const errors = outputs.filter((o) => o.output_type === "error");
    if (errors.length === 0) return;
    const stderr = outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => joinText(o.text));
    const errorText = errors.map((e) => [`${e.ename ?? "Error"}: ${e.evalue ?? ""}`, ...(e.traceback ?? []).map(stripAnsi)].join("\n"));
    failures.push({ cell: index, source: joinText(cell.source), message: [...stderr, ...errorText].join("\n").trim() });
  });
  return failures;
}

export function executeNotebook(notebook: string, options: { scale?: string; timeoutSeconds?: number; outputDir?: string } = {}): NotebookRun {
  const outputDir = options.outputDir ?? path.join(outputRoot(), "notebooks");
  fs.mkdirSync(outputDir, { recursive: true });
  const root = projectRoot();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: [root, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
  };
  if (options.scale) env.SHIFTLAB_SCALE = options.scale;
  const started = Date.now();
  const result = spawnSync(
    jupyterCommand(),
    [
      "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
      "--ExecutePreprocessor.kernel_name=tslab",
      `--ExecutePreprocessor.timeout=${options.timeoutSeconds ?? 1800}`,
      "--ExecutePreprocessor.startup_timeout=120",
      "--output-dir", outputDir, notebook,
    ],
    { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const seconds = (Date.now() - started) / 1000;
  const executedCopy = path.join(outputDir, path.basename(notebook));
  if (result.error) throw new Error(`could not start ${jupyterCommand()} (${result.error.message}); install Jupyter as the README says or set SHIFTLAB_JUPYTER`);
  if (result.status !== 0 || !fs.existsSync(executedCopy)) {
    const tail = stripAnsi(`${result.stderr ?? ""}`).split("\n").filter((l) => !/debugger|frozen_modules|PYDEVD/i.test(l)).slice(-30).join("\n");
    return { notebook, executedCopy, seconds, failures: [{ cell: -1, source: "", message: `nbconvert exited with ${result.status}:\n${tail}` }] };
  }
  const executed = JSON.parse(fs.readFileSync(executedCopy, "utf8")) as NotebookJson;
  return { notebook, executedCopy, seconds, failures: failuresOf(executed) };
}
