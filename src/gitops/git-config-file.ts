/**
 * A git config file written in one go, for a repository labgate makes: one write instead of a `git
 * config` process per key. Values come from the LMS and the forge (a learner's name, a branch), so
 * each is quoted and escaped as git reads it back; control characters git cannot keep are dropped.
 */
export type ConfigSection = {
  name: string;
  subsection?: string;
  entries: Array<[key: string, value: string]>;
};

const valueEscapes: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\t': '\\t',
  '\b': '\\b',
};

/** A value: git reads `\\`, `\"`, `\n`, `\t` and `\b` back as the characters they stand for. */
// eslint-disable-next-line no-control-regex -- control characters are what git cannot keep
const value = (s: string) => `"${s.replace(/[\u0000-\u001f\u007f\\"]/g, (c) => valueEscapes[c] ?? '')}"`;

/** A subsection name (`[branch "main"]`): only `\\` and `\"` are escapes there, and no line breaks. */
const subsection = (s: string) =>
  // eslint-disable-next-line no-control-regex -- control characters are what git cannot keep
  `"${s.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function gitConfigFile(sections: ConfigSection[]): string {
  const lines = sections.flatMap((s) => [
    s.subsection === undefined ? `[${s.name}]` : `[${s.name} ${subsection(s.subsection)}]`,
    ...s.entries.map(([key, v]) => `\t${key} = ${value(v)}`),
  ]);
  return `${lines.join('\n')}\n`;
}
