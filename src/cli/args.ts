/** Minimal flag parsing for the CLI: `--name value`, `--flag`, and positional arguments. */
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], booleanFlags: string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    if (eq > 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else if (booleanFlags.includes(arg.slice(2)) || i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
      flags.set(arg.slice(2), true);
    } else {
      flags.set(arg.slice(2), argv[++i]);
    }
  }
  return { positional, flags };
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
    if (!known.includes(name)) throw new Error(`shiftlab ${command}: unknown option --${name} (known: ${known.map((k) => "--" + k).join(", ")})`);
  }
}
