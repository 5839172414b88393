/** `shiftlab <command>`: embed, split, shift, info, notebooks, new, fetch, retrieve, evaluate. Each lives in its own file. */
import { embedCommand } from "./embed";
import { evaluateCommand } from "./evaluate";
import { fetchCommand } from "./fetch";
import { infoCommand } from "./info";
import { newNotebookCommand } from "./new_notebook";
import { notebooksCommand } from "./notebooks";
import { retrieveCommand } from "./retrieve";
import { shiftCommand } from "./shift";
import { splitCommand } from "./split";

const USAGE = `usage: shiftlab <command> [options]

  embed [--model REF] [--pooling MODE] [--normalize | --no-normalize | --normalize=true|false] [--layer N] [--backend NAME]
        [--batch-size N] [--prompt NAME|TEXT] [--attention-temperature T]
        reads UTF-8 texts from stdin (JSON lines with a "text" field, or plain lines) and writes one JSON array per line
  split --model REF --method shift|semantic|fixed|texttiling [--target-size N] [method options]
        reads JSON lines {"id", "text"} or {"id", "sentences": [...]} and writes per document {"id", "boundaries",
        "chunks": [{"start", "end", "text"}]} (end exclusive); with true "boundaries" in the input, also "metrics" (Pk,
        WindowDiff, boundary P/R/F1) and their means on stderr. Options: shift --percentile P --window W --min-sentences N;
        semantic --percentile P; fixed --size N | --unit tokens --max-tokens N; texttiling --pseudo-sentence-words W
        --block-size K; scoring --tolerance T --k K; --target-size N overrides each method's knob (mean sentences per chunk)
  shift --model REF
        reads the same JSON lines and writes per document {"id", "sentences", "local", "disp", "shift", "cMean", "tokens"};
        a corpus summary (quantiles, the documents most at risk of dilution and why) goes to stderr
  info [--model REF] [--backend NAME] [--json]
        architecture, dimensions, maximum length, pooling and modules, prompts, backend, weight dtypes, parameters, weight memory
  notebooks [NAME...] [--scale small|full] [--timeout SECONDS]
        executes notebooks headless with the project kernel; executed copies and figures go under output/
  new NAME [--dir DIR] [--force]
        writes a notebook from the lab's template (claim, settings, model, measurement, figure, verdict) and says how to run it
  fetch [NAME...] [--verify]
        downloads the corpora listed in data/manifest.json into the assets folder and verifies checksums
  retrieve --dataset NAME|DIR [--split test] (--model REF [--pooling MODE] [--layer N] [--postprocess none|center|whiten|remove-top:D]
           | --method bm25) [--top-k 100] [--run-out FILE]
        retrieves over a BEIR dataset and prints one JSON object: nDCG@10, Recall@10/@100, MRR@10, MAP@100, counts, seconds
  evaluate --qrels FILE --run FILE
        the same metrics for a TREC run file

A model REF is a local folder, a name under $SHIFTLAB_ASSETS/models, or a Hugging Face hub id; without --model, the default
model (SHIFTLAB_MODEL, else shiftlab-mini-encoder). Options are spelled out (--model, never -m); unknown options and stray
arguments are errors.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "embed":
      return embedCommand(rest);
    case "split":
      return splitCommand(rest);
    case "shift":
      return shiftCommand(rest);
    case "info":
      return infoCommand(rest);
    case "notebooks":
      return notebooksCommand(rest);
    case "fetch":
      return fetchCommand(rest);
    case "new":
      return newNotebookCommand(rest);
    case "retrieve":
      return retrieveCommand(rest);
    case "evaluate":
      return evaluateCommand(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`shiftlab: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}
