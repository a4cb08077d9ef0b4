import type { FileReport, ScaffoldFiles } from './files';
import { ignoreLocalState, nxIgnoreGenerated } from './gitignore';
import { registerPlugin, type Registration } from './nx-json';
import { writeSpecsDocs } from './specs-docs';

export interface InitReport {
  registration: Registration;
  files: FileReport[];
}

/**
 * What `init` does, for the generator and the CLI alike: register the plugin
 * in nx.json, write the specs docs, ignore `.specthis/` and the lock's
 * temporaries in git, and the generated files in Nx. `specsDir` is already
 * chosen (see chooseSpecsDir). Safe to run again: nothing is duplicated and no
 * existing doc is replaced.
 */
export function scaffoldInit(files: ScaffoldFiles, specsDir: string, options: { createNxJson: boolean }): InitReport {
  const registration = registerPlugin(files, specsDir, options.createNxJson);
  const written = writeSpecsDocs(files, specsDir);
  const ignored = [ignoreLocalState(files, specsDir), nxIgnoreGenerated(files, specsDir)].filter((r): r is FileReport => !!r);
  return { registration, files: [...written, ...ignored] };
}
