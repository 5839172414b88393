/**
 * `shiftlab evaluate --qrels FILE --run FILE`: the retrieval metrics of src/retrieval/ir_metrics.ts for any TREC run file,
 * printed as one JSON object. Qrels may be BEIR tsv or TREC four-column; malformed lines are errors naming file:line.
 */
import { readFileSync } from "node:fs";
import { evaluateRun } from "../retrieval/ir_metrics";
import { parseQrels, parseRun } from "../retrieval/trec_files";
import { parseArgs, rejectPositionals, rejectUnknownFlags, stringFlag } from "./args";

export const EVALUATE_USAGE = "usage: shiftlab evaluate --qrels FILE --run FILE";

export async function evaluateCommand(argv: string[]): Promise<number> {
  let qrelsFile: string, runFile: string;
  try {
    const args = parseArgs(argv);
    rejectUnknownFlags(args, ["qrels", "run"], "evaluate");
    rejectPositionals(args, "evaluate");
    const qrels = stringFlag(args, "qrels");
    const run = stringFlag(args, "run");
    if (qrels === undefined || run === undefined) throw new Error("shiftlab evaluate: --qrels and --run are required");
    [qrelsFile, runFile] = [qrels, run];
  } catch (e) {
    console.error(`${(e as Error).message}\n${EVALUATE_USAGE}`);
    return 2;
  }
  const { qrels } = parseQrels(readFileSync(qrelsFile, "utf8"), qrelsFile);
  const run = parseRun(readFileSync(runFile, "utf8"), runFile);
  console.log(JSON.stringify({ qrels: qrelsFile, run: runFile, ...evaluateRun(qrels, run) }));
  return 0;
}
