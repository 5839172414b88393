import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import { projectRoot } from "../assets/paths";
import { COMMANDS, commandHelp, USAGE, type CommandName } from "./help";
import { main } from "./main";

/** What `shiftlab ARGV` prints and returns, run in this process (a thrown error's message counts as stderr). */
async function run(argv: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const { log, error } = console;
  console.log = (...items: unknown[]) => void stdout.push(items.join(" "));
  console.error = (...items: unknown[]) => void stderr.push(items.join(" "));
  try {
    const code = await main(argv);
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  } catch (e) {
    return { code: undefined, stdout: stdout.join("\n"), stderr: [...stderr, (e as Error).message].join("\n") };
  } finally {
    Object.assign(console, { log, error });
  }
}

/** The options a command accepts, read from its own refusal of an unknown one: "unknown option --x (known: --a, --b)". */
async function acceptedOptions(command: CommandName): Promise<string[]> {
  const { stderr } = await run([command, "--no-such-option"]);
  const known = /unknown option --no-such-option \(known: ([^)]*)\)/.exec(stderr);
  assert.ok(known, `${command} did not list its options: ${stderr}`);
  return known[1].split(", ");
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("every command's --help exits 0 and lists every option the command accepts, and no other", async () => {
  for (const command of COMMANDS) {
    const accepted = await acceptedOptions(command);
    const help = await run([command, "--help"]);
    assert.equal(help.code, 0, `${command} --help: ${help.stderr}`);
    assert.equal(help.stdout, commandHelp(command));
    assert.match(help.stdout, new RegExp(`^usage: shiftlab ${command} `));
    for (const option of accepted) {
      // each on its own line under "options:", with what it means
      assert.match(help.stdout, new RegExp(`^  ${escape(option)}(?![\\w-])`, "m"), `${command} --help lacks ${option}`);
    }
    const listed = [...help.stdout.matchAll(/^ {2}(--[\w-]+)/gm)].map((m) => m[1]);
    for (const option of listed) {
      assert.ok(
        option === "--help" || accepted.includes(option),
        `${command} --help lists ${option}, which it refuses`,
      );
    }
    // and `shiftlab --help` names each of them in the command's synopsis
    const start = USAGE.indexOf(`\n  ${command} `);
    const next = COMMANDS.map((c) => USAGE.indexOf(`\n  ${c} `)).filter((i) => i > start);
    const block = USAGE.slice(start, Math.min(...next, USAGE.indexOf("\n\n", start + 1)));
    for (const option of accepted) {
      assert.match(block, new RegExp(`${escape(option)}(?![\\w-])`), `shiftlab --help: ${command} lacks ${option}`);
    }
  }
});

test("--help wins over every other argument and runs nothing; `shiftlab help COMMAND` is the same", async () => {
  const help = await run(["notebooks", "00", "--scale", "tiny", "--help"]);
  assert.equal(help.code, 0);
  assert.equal(help.stdout, commandHelp("notebooks"));
  assert.equal(help.stderr, "");
  assert.deepEqual(await run(["help", "notebooks"]), help);
  const unknown = await run(["help", "frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const all = await run(["--help"]);
  assert.equal(all.code, 0);
  assert.equal(all.stdout, USAGE);
  for (const command of COMMANDS) assert.match(USAGE, new RegExp(`^  ${command} `, "m"));
  for (const line of [...USAGE.split("\n"), ...COMMANDS.flatMap((c) => commandHelp(c).split("\n"))])
    assert.ok(line.length <= 120, `over 120 columns: ${line}`);
});

test("shiftlab notebooks --help from the shell prints the options and exits 0", () => {
  const bin = path.join(projectRoot(), "bin", "shiftlab.js");
  const shell = spawnSync(process.execPath, [bin, "notebooks", "--help"], { encoding: "utf8", cwd: projectRoot() });
  assert.equal(shell.status, 0, shell.stderr);
  assert.match(shell.stdout, /--scale small\|full/);
  assert.match(shell.stdout, /--timeout SECONDS/);
  assert.doesNotMatch(shell.stderr, /unknown option/);
});
