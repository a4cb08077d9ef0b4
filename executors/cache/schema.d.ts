/** Options of the `cache` executor (schema.json). */
export interface CacheExecutorSchema {
  action?: 'status' | 'push' | 'fetch' | 'has' | 'list' | 'prune';
  entries?: string[];
  olderThan?: number;
  json?: boolean;
}
