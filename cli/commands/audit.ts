import { auditCommand as runAuditCommand } from '../../core/audit';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import type { Command } from '../command';
import { EXIT, EXIT_CODES_HELP } from '../exit';
import { findWorkspaceRoot, workspaceOptions } from '../workspace';

const OPTIONS = { ...SPECS_DIR_OPTION, format: { type: 'string' }, scope: { type: 'string' }, 'no-write': { type: 'boolean' } } as const;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'check the specs against the working tree; one table, then a summary',
  help: `Usage: specthis audit [--format markdown|json] [--scope <dir>] [--no-write] [--specs-dir <dir>]

Checks every entry against the working tree (script, contract, output and
its keys, exports, report routing, certification, freshness) and the specs'
front matter, prints one Markdown table with a summary on stdout, and writes
<specsDir>/_index.json and <specsDir>/_routing.json (saying so on stderr).
The same audit runs inside Nx as \`nx run <specs-project>:audit\`.

Options:
  --format <f>       markdown (default) or json (stdout is then pure JSON)
  --scope <dir>      audit only the specs directly in this spec directory
                     (e.g. specs/models); writes nothing
  --no-write         do not write _index.json and _routing.json (read-only)
  --specs-dir <dir>  specs directory (default: from nx.json, else specs)
  -h, --help         this help

${EXIT_CODES_HELP}
audit exits 1 when there are violations.`,

  run(args, io) {
    const { values } = parseCommand('audit', args, OPTIONS, 0);
    const root = findWorkspaceRoot(io.cwd);
    const options = workspaceOptions(root, values['specs-dir']);
    const request = { format: values.format, scope: values.scope, write: values['no-write'] !== true };
    const result = runAuditCommand(root, options, request, { out: io.stdout, err: io.stderr });
    return result.usage ? EXIT.usage : result.exitCode;
  },
};
