/**
 * The CLI's help: one entry per command (its synopsis, what it does, and every option it accepts), printed by
 * `shiftlab <command> --help` (or `shiftlab help <command>`); `shiftlab --help` prints every command's synopsis. A command's
 * options are checked by the command itself (rejectUnknownFlags); help.test.ts checks that each one accepted is listed here.
 */
import { BACKEND_NAMES } from "../backend/select";
import { POOLING_MODES } from "../embedding/pooling_modes";
import { ENGINE_NAMES } from "../encoders/states_engine";

export const COMMANDS = [
  "embed",
  "split",
  "shift",
  "info",
  "notebooks",
  "new",
  "fetch",
  "retrieve",
  "evaluate",
] as const;
export type CommandName = (typeof COMMANDS)[number];

export function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

interface CommandHelp {
  /** the command line, options in brackets (broken into lines, each printed under the first option) */
  synopsis: string[];
  /** what it reads, does and writes */
  summary: string;
  /** [option as written, what it means] */
  options: [string, string][];
}

const MODEL: [string, string] = [
  "--model REF",
  "a local checkpoint folder, a folder name under $SHIFTLAB_ASSETS/models, or a Hugging Face hub id (default: SHIFTLAB_MODEL, else shiftlab-mini-encoder)",
];
const BACKEND: [string, string] = [
  "--backend NAME",
  `the tfjs backend, one of ${BACKEND_NAMES.join(", ")} (default: SHIFTLAB_BACKEND, else the fastest that works)`,
];
const ENGINE: [string, string] = [
  "--engine NAME",
  `what computes the hidden states, one of ${ENGINE_NAMES.join(", ")} (default: SHIFTLAB_ENGINE, else the fastest that loads)`,
];
const BATCH_SIZE: [string, string] = ["--batch-size N", "texts per forward pass (default 32)"];
const NO_PROGRESS: [string, string] = ["--no-progress", "no progress lines on stderr"];
const POOLING: [string, string] = [
  "--pooling MODE",
  `${POOLING_MODES.join(", ")} (default: the checkpoint's own pooling, with its Dense and Normalize modules)`,
];
const LAYER: [string, string] = ["--layer N", "pool the hidden states of layer N (default: the last)"];
const SPLIT_INPUT = 'JSON lines {"id", "text"} or {"id", "sentences": [...]} from stdin';

const HELP: Record<CommandName, CommandHelp> = {
  embed: {
    synopsis: [
      "embed [--model REF] [--pooling MODE] [--normalize | --no-normalize | --normalize=true|false] [--layer N]",
      "[--backend NAME] [--engine NAME] [--batch-size N] [--prompt NAME|TEXT] [--attention-temperature T]",
    ],
    summary:
      'reads UTF-8 texts from stdin (JSON lines with a "text" field, or plain lines) and writes one JSON array per line',
    options: [
      MODEL,
      POOLING,
      ["--normalize, --normalize=true", "unit-length vectors (default: as the checkpoint's Normalize module says)"],
      ["--no-normalize, --normalize=false", "the raw pooled vector"],
      LAYER,
      BACKEND,
      ENGINE,
      BATCH_SIZE,
      [
        "--prompt NAME|TEXT",
        'a prompt name from config_sentence_transformers.json (e.g. query) or the prompt text itself; "" for none',
      ],
      [
        "--attention-temperature T",
        "TempScale's τ: attention logits divided by T in every layer (default 1, the model as trained)",
      ],
    ],
  },
  split: {
    synopsis: [
      "split --method shift|semantic|fixed|texttiling [--target-size N]",
      "[shift: --percentile P --window W --min-sentences N] [semantic: --percentile P]",
      "[fixed: --size N | --unit sentences|tokens --max-tokens N]",
      "[texttiling: --pseudo-sentence-words W --block-size K]",
      "[--tolerance T] [--k K] [--model REF] [--backend NAME] [--engine NAME] [--batch-size N]",
      "[--no-progress]",
    ],
    summary:
      `reads ${SPLIT_INPUT} and writes per document {"id", "boundaries", "chunks": [{"start", "end", "text"}]} (end ` +
      'exclusive); with true "boundaries" in the input, also "metrics" (Pk, WindowDiff, boundary P/R/F1), and their means on stderr',
    options: [
      ["--method NAME", "the chunker: shift (the Shift Splitter), semantic, fixed or texttiling (required)"],
      ["--target-size N", "mean sentences per chunk; overrides each method's own knob"],
      ["--percentile P", "shift, semantic: the cut percentile (0–100)"],
      ["--window W", "shift: the Shift Splitter's window W"],
      ["--min-sentences N", "shift: the shortest chunk, in sentences"],
      ["--size N", "fixed: sentences per chunk (default 5)"],
      ["--unit sentences|tokens", "fixed: what --size counts (default sentences)"],
      ["--max-tokens N", "fixed with --unit tokens: word pieces per chunk (default 256)"],
      ["--pseudo-sentence-words W", "texttiling: words per pseudo-sentence (w)"],
      ["--block-size K", "texttiling: pseudo-sentences per block (k)"],
      ["--tolerance T", "scoring: a boundary within T sentences of a true one counts as found (default 0)"],
      ["--k K", "scoring: the Pk / WindowDiff window (default: half the mean true chunk length)"],
      MODEL,
      BACKEND,
      ENGINE,
      BATCH_SIZE,
      NO_PROGRESS,
    ],
  },
  shift: {
    synopsis: ["shift [--model REF] [--backend NAME] [--engine NAME] [--batch-size N] [--no-progress]"],
    summary:
      `reads ${SPLIT_INPUT} and writes per document {"id", "sentences", "local", "disp", "shift", "cMean", "tokens"}; a ` +
      "corpus summary (quantiles, the documents most at risk of dilution and why) goes to stderr",
    options: [MODEL, BACKEND, ENGINE, BATCH_SIZE, NO_PROGRESS],
  },
  info: {
    synopsis: ["info [--model REF] [--backend NAME] [--engine NAME] [--json]"],
    summary:
      "architecture, dimensions, maximum length, pooling and modules, prompts, backend, engine (and why), weight dtypes, " +
      "parameters, weight memory",
    options: [MODEL, BACKEND, ENGINE, ["--json", "the same as one JSON object"]],
  },
  notebooks: {
    synopsis: ["notebooks [NAME...] [--scale small|full] [--timeout SECONDS]"],
    summary:
      "executes notebooks headless with the project kernel (all of notebooks/ when no NAME is given); executed copies and " +
      "figures go under output/; a failing cell makes the command exit non-zero and prints the cell's error",
    options: [
      [
        "NAME",
        "a notebook's file name, its name without .ipynb, its number prefix (01), or a path to an .ipynb file elsewhere",
      ],
      ["--scale small|full", "the notebooks' size (default: SHIFTLAB_SCALE, else full); small is what npm test runs"],
      ["--timeout SECONDS", "the longest one cell may run (default 1800)"],
    ],
  },
  new: {
    synopsis: ["new NAME [--dir DIR] [--force]"],
    summary:
      "writes a notebook from the lab's template (claim, settings, model, measurement, figure, verdict) and says how to run it",
    options: [
      ["NAME", "the notebook's name, e.g. 11_my_corpus"],
      ["--dir DIR", "write it there instead of notebooks/ (notebooks/ run in npm test)"],
      ["--force", "overwrite a notebook of that name"],
    ],
  },
  fetch: {
    synopsis: ["fetch [NAME...] [--verify]"],
    summary: "downloads the corpora listed in data/manifest.json into the assets folder and verifies checksums",
    options: [
      ["NAME", "only these datasets of the manifest (default: all)"],
      ["--verify", "download nothing: only check the files that are there"],
    ],
  },
  retrieve: {
    synopsis: [
      "retrieve --dataset NAME|DIR [--split test]",
      "(--model REF [--pooling MODE] [--layer N] [--postprocess none|center|whiten|remove-top:D]",
      " [--backend NAME] [--engine NAME] [--batch-size N] | --method bm25)",
      "[--top-k 100] [--run-out FILE]",
    ],
    summary:
      "retrieves over a BEIR dataset and prints one JSON object: nDCG@10, Recall@10/@100, MRR@10, MAP@100, counts, seconds",
    options: [
      [
        "--dataset NAME|DIR",
        "a folder under $SHIFTLAB_ASSETS/data (e.g. beir-scifact) or any folder with corpus.jsonl in BEIR's layout (required)",
      ],
      ["--split NAME", "the qrels file to judge by (default test)"],
      ["--method bm25", "BM25 instead of a dense model (give exactly one of --model and --method)"],
      [MODEL[0], `${MODEL[1]}; also a static word model such as glove-twitter-25d-12k`],
      [POOLING[0], `${POOLING[1]}; dense only`],
      [LAYER[0], `${LAYER[1]}; dense only`],
      [
        "--postprocess SPEC",
        "none, center, whiten or remove-top:D (all-but-the-top with D directions), fitted on the corpus; dense only",
      ],
      [BACKEND[0], `${BACKEND[1]}; dense only`],
      [ENGINE[0], `${ENGINE[1]}; dense only`],
      [BATCH_SIZE[0], `${BATCH_SIZE[1]}; dense only`],
      ["--top-k N", "documents retrieved per query (default 100)"],
      ["--run-out FILE", "also write the run as a TREC run file"],
    ],
  },
  evaluate: {
    synopsis: ["evaluate --qrels FILE --run FILE"],
    summary: "the same metrics as retrieve for a TREC run file",
    options: [
      ["--qrels FILE", "relevance judgments: BEIR tsv or TREC four-column (required)"],
      ["--run FILE", "a TREC run file (required)"],
    ],
  },
};

const MODEL_NOTE =
  "A model REF is a local folder, a name under $SHIFTLAB_ASSETS/models, or a Hugging Face hub id; without --model, the " +
  "default model (SHIFTLAB_MODEL, else shiftlab-mini-encoder).";
const OPTIONS_NOTE = "Options are spelled out (--model, never -m); unknown options and stray arguments are errors.";
const WIDTH = 120;

/** `shiftlab --help`: every command's synopsis and summary. */
export const USAGE = [
  "usage: shiftlab <command> [options]",
  "",
  ...COMMANDS.map((name) => `${synopsis(name, "  ")}\n${wrap(HELP[name].summary, 8)}`),
  "",
  wrap(`${MODEL_NOTE} ${OPTIONS_NOTE} \`shiftlab <command> --help\` explains each option of a command.`, 0),
].join("\n");

/** `shiftlab <command> --help`: the synopsis, the summary and every option with its meaning. */
export function commandHelp(command: CommandName): string {
  const { summary, options } = HELP[command];
  const all: [string, string][] = [...options, ["--help", "this text"]];
  const width = Math.min(Math.max(...all.map(([option]) => option.length)), 34);
  const lines = all.map(([option, meaning]) => {
    const text = wrap(meaning, width + 4);
    return option.length > width ? `  ${option}\n${text}` : `  ${option.padEnd(width)}  ${text.trimStart()}`;
  });
  const notes = options.some(([option]) => option.startsWith("--model"))
    ? `${MODEL_NOTE} ${OPTIONS_NOTE}`
    : OPTIONS_NOTE;
  return [
    synopsis(command, "usage: shiftlab "),
    "",
    wrap(summary, 0),
    "",
    "options:",
    ...lines,
    "",
    wrap(notes, 0),
  ].join("\n");
}

/** The command's synopsis after `prefix`, its further lines aligned under the first option. */
function synopsis(command: CommandName, prefix: string): string {
  const [first, ...more] = HELP[command].synopsis;
  const pad = " ".repeat(prefix.length + command.length + 1);
  return [prefix + first, ...more.map((line) => pad + line)].join("\n");
}

/** Words of `text` in lines of at most WIDTH characters, each indented by `indent` spaces. */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.map((l) => " ".repeat(indent) + l).join("\n");
}
