import { formatFiles, logger, type Tree } from '@nx/devkit';
import { scaffoldInit } from '../../core/scaffold/init';
import { registeredSpecsDir } from '../../core/scaffold/nx-json';
import { chooseSpecsDir } from '../../core/scaffold/specs-dir';
import { agentsGenerator } from '../agents/generator';
import { treeFiles } from '../tree-files';
import { checkedSpecsDir } from '../specs-dir';
import { refuse } from '../validate';
import type { InitGeneratorSchema } from './schema';

export async function initGenerator(tree: Tree, schema: InitGeneratorSchema): Promise<void> {
  const files = treeFiles(tree);
  const specsDir = resolveSpecsDir(registeredSpecsDir(files), schema.specsDir);
  const report = scaffoldInit(files, specsDir, { createNxJson: true });
  if (report.registration === 'registered') logger.info(`Registered @specthis/nx in nx.json (specsDir: ${specsDir}).`);
  else logger.info('@specthis/nx is already registered in nx.json; left it as it is.');
  for (const f of report.files) if (f.action === 'kept') logger.info(`Kept the existing ${f.path}.`);
  if (schema.agents) await agentsGenerator(tree, { skipFormat: true });
  if (!schema.skipFormat) await formatFiles(tree);
}

function resolveSpecsDir(registered: string | undefined, requested: string | undefined): string {
  const choice = chooseSpecsDir(registered, requested, checkedSpecsDir);
  if (choice.conflict) {
    const { registered: current, requested: asked } = choice.conflict;
    refuse(
      `@specthis/nx is already registered in nx.json with specsDir \`${current}\`; init does not register it a second time`,
      'specs-dir-conflict',
      `nx g @specthis/nx:init --specsDir=${current} (or edit the plugin's options in nx.json first)`,
      asked,
    );
  }
  return choice.specsDir;
}

export default initGenerator;
