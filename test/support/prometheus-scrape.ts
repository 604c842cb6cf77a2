import parsePrometheusTextFormat from 'parse-prometheus-text-format';

interface Sample {
  labels?: Record<string, string>;
  value?: string;
  count?: string;
  sum?: string;
  buckets?: Record<string, string>;
}
interface Family {
  name: string;
  help: string;
  type: string;
  metrics: Sample[];
}

const matches = (s: Sample, labels: Record<string, string>) =>
  Object.entries(labels).every(([k, v]) => s.labels?.[k] === v);

/**
 * A scrape read by a real Prometheus text-format parser (which throws on a malformed line); values
 * of the samples carrying `labels` (among others) are added up, 0 when there is none.
 */
export function parseScrape(text: string) {
  const families = parsePrometheusTextFormat(text) as Family[];
  const family = (name: string) => families.find((f) => f.name === name);
  const samples = (name: string, labels: Record<string, string>) =>
    (family(name)?.metrics ?? []).filter((s) => matches(s, labels));
  // The parser folds a labelled histogram's series into one: its _count and _sum lines are read
  // again on their own (as untyped samples, by the same parser) to keep them apart.
  const series = (name: string, labels: Record<string, string>) => {
    const lines = text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    const [one] = parsePrometheusTextFormat(`${lines.join('\n')}\n`) as Family[];
    return (one?.metrics ?? []).filter((s) => matches(s, labels)).reduce((n, s) => n + Number(s.value), 0);
  };
  return {
    families,
    family,
    value: (name: string, labels: Record<string, string> = {}) =>
      samples(name, labels).reduce((n, s) => n + Number(s.value ?? 0), 0),
    /** A histogram's observation count and sum over its series carrying `labels`. */
    histogram: (name: string, labels: Record<string, string> = {}) => ({
      count: series(`${name}_count`, labels),
      sum: series(`${name}_sum`, labels),
    }),
  };
}

export type Scrape = ReturnType<typeof parseScrape>;
