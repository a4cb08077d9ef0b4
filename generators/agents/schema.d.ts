export interface AgentsGeneratorSchema {
  /** Replace agent files that already exist. */
  force?: boolean;
  /** Comma-separated subset of spec-auditor, spec-implementer, experiment-runner. Default: all three. */
  agent?: string | string[];
  /** Skip formatting the files written. */
  skipFormat?: boolean;
}
