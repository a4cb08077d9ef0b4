export interface InitGeneratorSchema {
  /** Workspace-relative directory of the specs. Default: the registered one, else `specs`. */
  specsDir?: string;
  /** Skip formatting the files written. */
  skipFormat?: boolean;
  /** Also install the Claude Code subagents, as `nx g @specthis/nx:agents` does (existing files are kept). */
  agents?: boolean;
}
