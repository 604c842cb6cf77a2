// Names and ids the CLI prints come from LMSs, forges and learners' files: a `\x1b[…` in a course title
// would drive the operator's terminal. C0, DEL, C1, line separators and bidi overrides are shown escaped.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const control = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escape = (c: string) => {
  const code = c.charCodeAt(0);
  return named[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
};

/**
 * `text` safe to write to a terminal: every control or bidi character as a visible escape (`\x1b[31m`,
 * `\r`, `\u202e`). `keepTabs` leaves tabs alone, for file content where they are indentation.
 */
export function visible(text: string, o: { keepTabs?: boolean } = {}): string {
  return text.replace(control, (c) => (o.keepTabs && c === '\t' ? c : escape(c)));
}

/** Prints lines for a person: each through {@link visible}. */
export function say(...lines: string[]) {
  for (const line of lines) process.stdout.write(`${visible(line)}\n`);
}

/** The same on stderr, for warnings and errors. */
export function complain(...lines: string[]) {
  for (const line of lines) process.stderr.write(`${visible(line)}\n`);
}

/**
 * JSON for scripts, where JSON.stringify leaves DEL, C1 and bidi characters raw: written as `\u…`
 * escapes instead, the same JSON value.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Prints rows as aligned columns (cells escaped), or as JSON for scripts. */
export function printTable(rows: Array<Record<string, string>>, json: boolean) {
  if (json) return void process.stdout.write(`${jsonText(rows)}\n`);
  if (rows.length === 0) return say('(none)');
  const keys = Object.keys(rows[0]!);
  const cells = rows.map((r) => keys.map((k) => visible(r[k] ?? '')));
  const width = keys.map((k, i) => cells.reduce((w, row) => Math.max(w, row[i]!.length), k.length));
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(width[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(keys)}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
}
