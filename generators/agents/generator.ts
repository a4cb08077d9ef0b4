import { formatFiles, logger, type Tree } from '@nx/devkit';
import { AGENTS_DIR, selectAgents, writeAgents } from '../../core/scaffold/agents';
import { projectNameFor } from '../../core/naming';
import { generatorSpecsDir } from '../specs-dir';
import { treeFiles } from '../tree-files';
import { refuse, splitList } from '../validate';
import type { AgentsGeneratorSchema } from './schema';

/** `nx g @specthis/nx:agents`: the Claude Code subagents, written through the Tree. */
export async function agentsGenerator(tree: Tree, schema: AgentsGeneratorSchema): Promise<void> {
  const agents = choose(schema.agent);
  // The plugin's own normalization, so the project named in the agents is the one Nx shows.
  const specsDir = generatorSpecsDir(tree, undefined);
  const reports = writeAgents(treeFiles(tree), agents, { specsDir, specsProject: projectNameFor(specsDir) }, schema.force === true);
  for (const r of reports) {
    if (r.action === 'kept') logger.info(`Kept the existing ${r.path} (--force replaces it).`);
  }
  if (!schema.skipFormat) await formatFiles(tree);
}

function choose(agent: AgentsGeneratorSchema['agent']): ReturnType<typeof selectAgents> {
  try {
    return selectAgents(splitList(agent));
  } catch (e) {
    return refuse(
      `${(e as Error).message}; nothing written to ${AGENTS_DIR}/`,
      'agent-name',
      '--agent=spec-auditor,experiment-runner',
      String(agent),
    );
  }
}

export default agentsGenerator;
