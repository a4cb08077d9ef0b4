import { LockFileError } from '../../core/lock/errors';
import { auditWorkspace } from '../../core/audit';
import { parseCommand, SPECS_DIR_OPTION } from '../args';
import { lines, type Command } from '../command';
import { EXIT_CODES_HELP, usageError, workspaceError } from '../exit';
import { findWorkspaceRoot, workspaceOptions } from '../workspace';

const OPTIONS = { ...SPECS_DIR_OPTION, format: { type: 'string' }, 'no-write': { type: 'boolean' } } as const;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'check the specs against the working tree; one table, then a summary',
  help: `Usage: specthis audit [--format markdown|json] [--no-write] [--specs-dir <dir>]

Checks every entry against the working tree (script, contract, output and
its keys, exports, report routing, certification, freshness) and the specs'
front matter, prints one Markdown table with a summary, and writes
<specsDir>/_index.json and <specsDir>/_routing.json. The same audit runs
inside Nx as \`nx run <specs-project>:audit\`.

Options:
  --format <f>       markdown (default) or json
  --no-write         do not write _index.json and _routing.json (read-only)
  --specs-dir <dir>  specs directory (default: from nx.json, else specs)
  -h, --help         this help

${EXIT_CODES_HELP}
audit exits 1 when there are violations.`,

  run(args, io) {
    const { values } = parseCommand('audit', args, OPTIONS, 0);
    const format = values.format ?? 'markdown';
    if (format !== 'markdown' && format !== 'json')
      throw usageError(`specthis audit: --format is markdown or json, got ${JSON.stringify(format)}`);
    const root = findWorkspaceRoot(io.cwd);
    const options = workspaceOptions(root, values['specs-dir']);
    let result;
    try {
      result = auditWorkspace(root, options, { format, write: values['no-write'] !== true });
    } catch (error) {
      if (error instanceof LockFileError) throw workspaceError(`specthis audit: the lock file does not parse:\n${error.message}`);
      throw error;
    }
    io.stdout(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
    if (result.written.length && format === 'markdown') lines(io.stdout)(`wrote ${result.written.join(', ')}`);
    return result.exitCode;
  },
};
