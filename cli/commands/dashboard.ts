import { buildDashboard, writeDashboard } from '../../core/dashboard';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import { lines, type Command } from '../command';
import { EXIT, EXIT_CODES_HELP, workspaceError } from '../exit';
import { findWorkspaceRoot, workspaceOptions } from '../workspace';

export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'write <specsDir>/specs.html: every spec, entry, state, output and paper section in one page',
  help: `Usage: specthis dashboard [--specs-dir <dir>]

Audits the whole workspace and writes <specsDir>/specs.html, one
self-contained page (no network; open it from disk) with every spec and
entry, certification and realization with the reasons, entry cards, the
pipeline DAG and the paper's routing, plus <specsDir>/_index.json and
<specsDir>/_routing.json. The same page is written inside Nx by
\`nx run <specs-project>:dashboard\`.

Options:
  --specs-dir <dir>  specs directory (default: from nx.json, else specs)
  -h, --help         this help

${EXIT_CODES_HELP}
dashboard exits 0 whenever the page is written, whatever the audit found:
the page shows it (\`specthis audit\` is the check that fails).`,

  run(args, io) {
    const { values } = parseCommand('dashboard', args, SPECS_DIR_OPTION, 0);
    const root = findWorkspaceRoot(io.cwd);
    const options = workspaceOptions(root, values['specs-dir']);
    let written: string[];
    try {
      written = writeDashboard(root, buildDashboard(root, options));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'string') throw workspaceError(`specthis dashboard: ${(error as Error).message}`);
      throw error;
    }
    const page = written.find((p) => p.endsWith('specs.html'));
    lines(io.stdout)(`wrote ${written.join(', ')}`, `open ${page} in a browser`);
    return EXIT.ok;
  },
};
