/** `shiftlab <command>`: embed, info, notebooks, fetch. Each command lives in its own file. */
import { embedCommand } from "./embed";
import { fetchCommand } from "./fetch";
import { infoCommand } from "./info";
import { notebooksCommand } from "./notebooks";

const USAGE = `usage: shiftlab <command> [options]

  embed --model REF [--pooling MODE] [--normalize] [--layer N] [--backend NAME] [--batch-size N]
        reads texts from stdin (JSON lines with a "text" field, or plain lines) and writes one JSON array per line
  info --model REF [--backend NAME]
        architecture, dimensions, maximum length, default pooling, normalisation, backend
  notebooks [NAME...] [--scale small|full] [--timeout SECONDS]
        executes notebooks headless with the project kernel; executed copies and figures go under output/
  fetch [NAME...] [--verify]
        downloads the corpora listed in data/manifest.json into the assets folder and verifies checksums

A model REF is a local folder, a name under $SHIFTLAB_ASSETS/models, or a Hugging Face hub id.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "embed":
      return embedCommand(rest);
    case "info":
      return infoCommand(rest);
    case "notebooks":
      return notebooksCommand(rest);
    case "fetch":
      return fetchCommand(rest);
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
