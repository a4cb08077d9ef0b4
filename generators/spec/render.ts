import { stringify } from 'yaml';
import type { SpecPlan } from './options';

/**
 * The spec's Markdown, in the format of DESIGN §2. Placeholders are prose the
 * author replaces; every entry starts as `script TBD` because no script has
 * been checked against it yet.
 */
export function renderSpec(plan: SpecPlan): string {
  const parts = [frontMatter(plan), `# ${plan.name}`, ...intro(plan), ...sections(plan)];
  return `${parts.join('\n\n')}\n`;
}

function frontMatter(plan: SpecPlan): string {
  const data: Record<string, unknown> = { name: plan.name, kind: plan.kind, depends_on: plan.dependsOn };
  if (plan.kind === 'report') Object.assign(data, { host_doc: plan.hostDoc, section_label: plan.sectionLabel });
  // yaml quotes whatever needs it (`sec:x: y`, `yes`, leading `@`), so values read back as written.
  return `---\n${stringify(data, { lineWidth: 0 })}---`;
}

/** Each depends_on path is named in the body too: the audit flags one that never is. */
function intro(plan: SpecPlan): string[] {
  const deps = plan.dependsOn.map((d) => `\`${d}\``).join(', ');
  if (plan.kind === 'report') {
    const from = deps ? `, from the results of ${deps}` : '';
    return [`Exports for section \`${plan.sectionLabel}\` of \`${plan.hostDoc}\`${from}.`];
  }
  if (!deps) return [];
  return [plan.kind === 'definitions' ? `Builds on ${deps}.` : `Uses the results of ${deps}.`];
}

function sections(plan: SpecPlan): string[] {
  switch (plan.kind) {
    case 'compute':
      return [
        '## Script',
        'TODO: how the code is laid out: what it reads, the method, and the JSON result each entry writes under `results/`. ' +
          'This applies to every entry below. Describe data and method only; presentation belongs in a report spec, and results stay in the outputs.',
        ...entries(plan, (entry) => [`- Script: \`scripts/${plan.name}.py\``, `- Output: \`results/${plan.name}-${entry}/result.json\``]),
      ];
    case 'report':
    case 'figure': {
      const out = plan.kind === 'report' ? (e: string) => `reports/tables/${e}.tex` : (e: string) => `reports/figures/${e}.pdf`;
      return [
        '## Artefact design',
        'TODO: layout, palette, captions, and which compute results each export reads. Exporters read compute outputs and write only their `Export outputs:`.',
        ...entries(plan, (entry) => [`- Export script: \`scripts/${plan.name}.py\``, `- Export outputs: \`${out(entry)}\``]),
      ];
    }
    case 'definitions':
      return ['## Definitions', 'TODO: the variables, samples and notation other specs refer to.'];
  }
}

function entries(plan: SpecPlan, fields: (entry: string) => string[]): string[] {
  const heading = plan.entries.length === 1 ? '## Entry' : '## Entries';
  return [heading, ...plan.entries.map((entry) => [`### ${entry}`, '', ...fields(entry), '- Status: script TBD'].join('\n'))];
}
