/**
 * Flag parsing for the CLI: `--name value`, `--name=value`, `--flag`, and positional arguments. Strict, so that a mistyped call
 * fails instead of running with defaults: short options (`-m`) are refused, a boolean flag takes no value other than
 * true/false (`--normalize=false` means off), and commands reject options and positionals they do not know.
 */
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], booleanFlags: string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (/^-[^-\d.]/.test(arg))
      throw new Error(`unknown short option ${arg}: options are spelled out, e.g. --model (see --help)`);
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    if (eq > 0) {
      const name = arg.slice(2, eq);
      const value = arg.slice(eq + 1);
      if (booleanFlags.includes(name)) flags.set(name, booleanValue(name, value));
      else flags.set(name, value);
    } else if (booleanFlags.includes(arg.slice(2)) || i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
      flags.set(arg.slice(2), true);
    } else {
      flags.set(arg.slice(2), argv[++i]);
    }
  }
  return { positional, flags };
}

/** `--flag=true` is `--flag`; `--flag=false` leaves the flag unset; anything else is an error. */
function booleanValue(name: string, value: string): string | true {
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return "false";
  throw new Error(
    `--${name} is an on/off option: give it alone, or as --${name}=true / --${name}=false, not ${JSON.stringify(value)}`,
  );
}

/** Whether a boolean flag is on: present, and not given as --flag=false. */
export function booleanFlag(args: ParsedArgs, name: string): boolean {
  const v = args.flags.get(name);
  return v === true;
}

/** Commands that take no positional arguments refuse stray ones (e.g. `embed in.txt`, which reads stdin). */
export function rejectPositionals(args: ParsedArgs, command: string, hint = ""): void {
  if (args.positional.length > 0) {
    throw new Error(
      `shiftlab ${command}: unexpected argument ${JSON.stringify(args.positional[0])}${hint ? `; ${hint}` : ""}`,
    );
  }
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new Error(`--${name} needs a value`);
  return v;
}

export function intFlag(args: ParsedArgs, name: string): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

export function rejectUnknownFlags(args: ParsedArgs, known: string[], command: string): void {
  for (const name of args.flags.keys()) {
    if (!known.includes(name))
      throw new Error(
        `shiftlab ${command}: unknown option --${name} (known: ${known.map((k) => "--" + k).join(", ")})`,
      );
  }
}
