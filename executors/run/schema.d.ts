/** Options of the `run` executor: exactly one of `entry` or `spec`. */
export interface RunExecutorSchema {
  /** Entry to run, by name. */
  entry?: string;
  /** Workspace-relative spec file whose diagnostics to print (the target of a spec that does not parse). */
  spec?: string;
}
