/**
 * `shiftlab <command>`: embed, split, shift, info, notebooks, new, fetch, retrieve, evaluate. Each lives in its own file; their
 * help texts are in help.ts.
 */
import { embedCommand } from "./embed";
import { evaluateCommand } from "./evaluate";
import { fetchCommand } from "./fetch";
import { commandHelp, isCommand, USAGE } from "./help";
import { infoCommand } from "./info";
import { newNotebookCommand } from "./new_notebook";
import { notebooksCommand } from "./notebooks";
import { retrieveCommand } from "./retrieve";
import { shiftCommand } from "./shift";
import { splitCommand } from "./split";

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `shiftlab <command> --help` and `shiftlab help <command>`: that command's options, before it parses anything
  if (command !== undefined && isCommand(command) && rest.includes("--help")) {
    console.log(commandHelp(command));
    return 0;
  }
  if (command === "help" && rest.length > 0) {
    if (!isCommand(rest[0])) {
      console.error(`shiftlab: unknown command ${JSON.stringify(rest[0])}\n\n${USAGE}`);
      return 2;
    }
    console.log(commandHelp(rest[0]));
    return 0;
  }
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
