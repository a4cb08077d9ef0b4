import type { ExecutorContext } from '@nx/devkit';
import { formatDiagnostic } from '../core/diagnostics/diagnostic';
import { registeredOptions } from '../core/workspace/registration';
import type { SpecthisOptions } from '../core/workspace/types';

/**
 * The plugin's options as registered in nx.json (core/workspace/registration.ts,
 * the one reader), read here rather than from target options, because target
 * options are hashed into every task of the project. Undefined, with every
 * problem printed, when an option has the wrong form.
 */
export function workspaceOptions(
  context: Pick<ExecutorContext, 'nxJsonConfiguration'>,
  error: (line: string) => void,
): SpecthisOptions | undefined {
  const { options, problems } = registeredOptions(context.nxJsonConfiguration);
  for (const p of problems) error(formatDiagnostic(p, { specsDir: options.specsDir }));
  return problems.length ? undefined : options;
}
