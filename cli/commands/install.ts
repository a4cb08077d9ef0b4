import { AGENTS_DIR, selectAgents, writeAgents } from '../../core/scaffold/agents';
import { diskFiles } from '../../core/scaffold/disk';
import { projectNameFor } from '../../core/naming';
import { splitList } from '../../core/scaffold/split-list';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import { fileLine, lines, type Command } from '../command';
import { EXIT, EXIT_CODES_HELP, usageError } from '../exit';
import { findWorkspaceRoot, workspaceOptions } from '../workspace';

const OPTIONS = { ...SPECS_DIR_OPTION, force: { type: 'boolean' }, agent: { type: 'string' } } as const;

export const installCommand: Command = {
  name: 'install',
  summary: `write the Claude Code subagents to ${AGENTS_DIR}/`,
  help: `Usage: specthis install [--agent <names>] [--force] [--specs-dir <dir>]

Writes the Claude Code subagents, as \`nx g @specthis/nx:agents\` does:
  ${AGENTS_DIR}/spec-auditor.md       read-only: runs the audit, reports one table
  ${AGENTS_DIR}/spec-implementer.md   authors the script of one \`script TBD\` entry
  ${AGENTS_DIR}/experiment-runner.md  runs a long entry in the background, reports milestones
An agent file that already exists is kept (and reported) unless --force.

Options:
  --agent <names>    comma-separated subset: spec-auditor,spec-implementer,experiment-runner
  --force            replace agent files that already exist
  --specs-dir <dir>  specs directory the agents name (default: from nx.json, else specs)
  -h, --help         this help

${EXIT_CODES_HELP}`,

  run(args, io) {
    const { values } = parseCommand('install', args, OPTIONS, 0);
    let agents;
    try {
      agents = selectAgents(splitList(values.agent));
    } catch (error) {
      throw usageError(`specthis install: ${(error as Error).message}`);
    }
    const root = findWorkspaceRoot(io.cwd);
    const { specsDir } = workspaceOptions(root, values['specs-dir']);
    const reports = writeAgents(diskFiles(root), agents, { specsDir, specsProject: projectNameFor(specsDir) }, values.force === true);
    const out = lines(io.stdout);
    for (const r of reports) out(fileLine(r.action, r.path, r.action === 'kept' ? 'already there; --force replaces it' : undefined));
    return EXIT.ok;
  },
};
