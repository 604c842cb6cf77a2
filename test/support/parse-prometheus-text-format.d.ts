declare module 'parse-prometheus-text-format' {
  /** Prometheus' text format as families of samples (values as strings), as prom2json gives them. */
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
