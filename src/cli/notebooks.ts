/** `shiftlab notebooks [NAME...]`: execute notebooks headless; non-zero exit and the failing cell's error text on any failure. */
import * as path from "path";
import { executeNotebook, findNotebooks } from "../notebook/run";
import { scaleSetting, seedSetting } from "../settings";
import { intFlag, parseArgs, rejectUnknownFlags, stringFlag } from "./args";

export async function notebooksCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  rejectUnknownFlags(args, ["scale", "timeout"], "notebooks");
  // settings are checked here, before any kernel starts: a typo fails in a second, not after a kernel start per notebook
  const scale = stringFlag(args, "scale");
  scaleSetting(scale === undefined ? process.env : { ...process.env, SHIFTLAB_SCALE: scale });
  seedSetting();
  const timeoutSeconds = intFlag(args, "timeout");
  if (timeoutSeconds !== undefined && timeoutSeconds <= 0)
    throw new Error(`--timeout must be a positive number of seconds, got ${timeoutSeconds}`);
  const notebooks = findNotebooks(args.positional);
  let failed = 0;
  for (const notebook of notebooks) {
    const name = path.basename(notebook);
    process.stderr.write(`running ${name} ...\n`);
    const run = executeNotebook(notebook, { scale, timeoutSeconds });
    if (run.failures.length === 0) {
      console.log(`ok   ${name} (${run.seconds.toFixed(1)} s) -> ${run.executedCopy}`);
      continue;
    }
    failed++;
    console.log(`FAIL ${name} (${run.seconds.toFixed(1)} s) -> ${run.executedCopy}`);
    for (const f of run.failures) {
      const where = f.cell >= 0 ? `cell ${f.cell}` : "notebook";
      console.log(
        `  ${where}${f.source ? `: ${f.source.split("\n")[0].slice(0, 100)}` : ""}\n${f.message.replace(/^/gm, "    ")}`,
      );
    }
  }
  console.log(`notebooks: ${notebooks.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
