/**
 * Options of the `cache-server` executor. The inferred target passes none (Nx hashes every target's options
 * into every task of the project, plugin/cache-server-target.ts); give them on the command line.
 */
export interface CacheServerExecutorSchema {
  /** The store (s3://bucket/prefix, file:///abs/path or a path relative to the workspace root). Default SPECTHIS_CACHE_URL. */
  store?: string;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 8766. */
  port?: number;
  /** Largest upload stored, in bytes. Default 1 GiB. */
  maxSize?: number;
  /** Serve without tokens (loopback only). */
  noAuth?: boolean;
  /** S3 region; default AWS_REGION. */
  region?: string;
  /** S3-compatible endpoint; default AWS_ENDPOINT_URL_S3. */
  endpoint?: string;
}
