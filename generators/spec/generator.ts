import { formatFiles, logger, type Tree } from '@nx/devkit';
import { planSpec } from './options';
import { renderSpec } from './render';
import type { SpecGeneratorSchema } from './schema';

export async function specGenerator(tree: Tree, schema: SpecGeneratorSchema): Promise<void> {
  const plan = planSpec(tree, schema);
  tree.write(plan.file, renderSpec(plan));
  if (plan.entries.length) {
    const family = plan.kind === 'compute' ? 'compute' : 'export';
    logger.info(`Targets: ${plan.entries.map((e) => `${family}--${e}`).join(', ')} (all \`script TBD\` until their scripts exist).`);
  }
  if (!schema.skipFormat) await formatFiles(tree);
}

export default specGenerator;
