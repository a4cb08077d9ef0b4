import { diskFiles } from '../../core/scaffold/disk';
import { scaffoldInit } from '../../core/scaffold/init';
import { chooseSpecsDir } from '../../core/scaffold/specs-dir';
import { registeredSpecsDir } from '../../core/scaffold/nx-json';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import { fileLine, lines, type Command } from '../command';
import { EXIT, EXIT_CODES_HELP, usageError } from '../exit';
import { findWorkspaceRoot, readNxJsonAt, specsDirArgument } from '../workspace';

export const initCommand: Command = {
  name: 'init',
  summary: 'write <specsDir>/README.md and AGENTS.md, ignore .specthis/, register the plugin in nx.json',
  help: `Usage: specthis init [--specs-dir <dir>]

Sets a repository up for specthis, as \`nx g @specthis/nx:init\` does, without Nx:
writes <specsDir>/README.md (the spec format) and <specsDir>/AGENTS.md (how
agents work with the specs), adds .specthis/ to .gitignore, and registers
@specthis/nx in nx.json when the repository has one. Existing docs are kept.
Safe to run again.

Options:
  --specs-dir <dir>  workspace-relative specs directory (default: the one
                     registered in nx.json, else specs)
  -h, --help         this help

${EXIT_CODES_HELP}`,

  run(args, io) {
    const { values } = parseCommand('init', args, SPECS_DIR_OPTION, 0);
    const out = lines(io.stdout);
    const root = findWorkspaceRoot(io.cwd);
    const files = diskFiles(root);
    readNxJsonAt(root); // an unparsable nx.json is a workspace error before anything is written
    const choice = chooseSpecsDir(registeredSpecsDir(files), values['specs-dir'], specsDirArgument);
    if (choice.conflict) {
      const { registered } = choice.conflict;
      throw usageError(
        `specthis init: @specthis/nx is registered in nx.json with specsDir \`${registered}\`; init does not register it a second time. Run \`specthis init --specs-dir ${registered}\`, or change the plugin's options in nx.json first.`,
      );
    }
    const report = scaffoldInit(files, choice.specsDir, { createNxJson: false });
    for (const f of report.files) out(fileLine(f.action, f.path, f.action === 'kept' ? 'already there' : undefined));
    if (report.registration === 'registered') out(fileLine('updated', 'nx.json', `registered @specthis/nx, specsDir ${choice.specsDir}`));
    else if (report.registration === 'already-registered') out(fileLine('kept', 'nx.json', '@specthis/nx is already registered'));
    else out('no nx.json here: the plugin is not registered; in an Nx workspace run `nx g @specthis/nx:init`');
    return EXIT.ok;
  },
};
