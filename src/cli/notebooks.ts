/** `shiftlab notebooks [NAME...]`: execute notebooks headless; non-zero exit and the failing cell's error text on any failure. */
import * as path from "path";
import { executeNotebook, findNotebooks } from "../notebook/run";
import { intFlag, parseArgs, rejectUnknownFlags, stringFlag } from "./args";

export async function notebooksCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  rejectUnknownFlags(args, ["scale", "timeout"], "notebooks");
  const notebooks = findNotebooks(args.positional);
  let failed = 0;
  for (const notebook of notebooks) {
    const name = path.basename(notebook);
    process.stderr.write(`running ${name} ...\n`);
    const run = executeNotebook(notebook, {
      scale: stringFlag(args, "scale"),
      timeoutSeconds: intFlag(args, "timeout"),
    });
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
