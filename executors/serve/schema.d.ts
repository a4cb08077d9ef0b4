/** Options of the `serve` executor. */
export interface ServeExecutorSchema {
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 8765. */
  port?: number;
  /** Quiet time after the last change before a re-render. Default 75 ms. */
  debounceMs?: number;
}
