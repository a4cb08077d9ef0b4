import { writeUnlessPresent, type FileReport, type ScaffoldFiles } from './files';
import { readTemplate } from '../package';

/** The Claude Code subagents we ship, each `templates/agents/<name>.md` -> `.claude/agents/<name>.md`. */
export const AGENT_NAMES = ['spec-auditor', 'spec-implementer', 'experiment-runner'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];
export const AGENTS_DIR = '.claude/agents';

export interface AgentValues {
  /** Workspace-relative specs directory, e.g. `specs`. */
  specsDir: string;
  /** The Nx project of specsDir itself, which hosts the workspace-wide targets (`audit`). */
  specsProject: string;
}

/**
 * `"a, b"` -> the named agents, in the shipped order; nothing given -> all.
 * Throws naming the known agents when a name is not one of them.
 */
export function selectAgents(requested: readonly string[]): AgentName[] {
  const unknown = requested.filter((name) => !(AGENT_NAMES as readonly string[]).includes(name));
  if (unknown.length) {
    throw new Error(
      `unknown agent ${unknown.map((u) => JSON.stringify(u)).join(', ')}; the agents are ${AGENT_NAMES.join(', ')} (e.g. --agent=spec-auditor,experiment-runner)`,
    );
  }
  return requested.length ? AGENT_NAMES.filter((name) => requested.includes(name)) : [...AGENT_NAMES];
}

export function renderAgent(name: AgentName, values: AgentValues): string {
  return readTemplate(['agents', `${name}.md`], { specsDir: values.specsDir, specsProject: values.specsProject });
}

/** Writes the chosen agents; an existing file is kept unless `force`, so local edits survive a re-install. */
export function writeAgents(files: ScaffoldFiles, agents: readonly AgentName[], values: AgentValues, force: boolean): FileReport[] {
  return agents.map((name) => writeUnlessPresent(files, `${AGENTS_DIR}/${name}.md`, renderAgent(name, values), force));
}
