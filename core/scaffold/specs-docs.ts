import { writeUnlessPresent, type FileReport, type ScaffoldFiles } from './files';
import { readTemplate } from '../package';

/** Written into specsDir; the plugin skips these names, so they are never read as specs. */
export const SPECS_DOCS = ['README.md', 'AGENTS.md'];

/** Writes `<specsDir>/README.md` and `AGENTS.md` from the templates, keeping any the user already has. */
export function writeSpecsDocs(files: ScaffoldFiles, specsDir: string): FileReport[] {
  return SPECS_DOCS.map((doc) => writeUnlessPresent(files, `${specsDir}/${doc}`, readTemplate(['specs', doc], { specsDir })));
}
