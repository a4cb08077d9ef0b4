/** Options of the `audit` executor. */
export interface AuditExecutorSchema {
  /** `markdown` (a table and a summary) or `json` (rows, findings, summary). Default `markdown`. */
  format?: 'markdown' | 'json';
  /** A spec directory, e.g. `specs/models`: audit the specs directly in it. Empty: the whole workspace (and write `_index.json`, `_routing.json`). */
  scope?: string;
}
