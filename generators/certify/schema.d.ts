export interface CertifyGeneratorSchema {
  /** Comma-separated entry names. */
  entries?: string;
  /** Every `script ready` entry whose script exists. */
  allReady?: boolean;
  /** Remove records instead of writing them. */
  clear?: boolean;
  /** With `clear`: every record. */
  all?: boolean;
  /** Default: `git config user.name`, else the OS login name. */
  author?: string;
  /** Default: the registered plugin's specsDir, else `specs`. */
  specsDir?: string;
}
