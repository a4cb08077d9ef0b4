/**
 * Every rule a diagnostic can name: its id, its severity, one line saying what
 * it checks, and the anchor of its entry in the spec format's documentation
 * (templates/specs/README.md, "Problems and their rules"; `init` writes it to
 * <specsDir>/README.md). core/diagnostics/rules.spec.ts fails when a rule is
 * emitted that is not here, or is here and not documented there
 * (`node scripts/rules-table.js` rewrites that table after `npm run build`).
 *
 * `audit` is the severity the audit reports a rule at when it differs: the
 * parser only warns about a name that is not the file's stem (the targets are
 * still right), while the audit, the conformance check, calls it an error.
 */
export interface Rule {
  severity: 'error' | 'warning';
  summary: string;
  audit?: 'error' | 'warning';
}

export const RULES = {
  // Reading a spec file (core/spec/decode.ts, core/workspace/load.ts)
  'spec-empty': { severity: 'error', summary: 'the spec file is empty' },
  'spec-encoding': { severity: 'error', summary: 'the spec is not UTF-8' },
  'spec-too-large': { severity: 'error', summary: 'the spec is larger than 1 MiB and is not read' },
  'spec-outside-workspace': { severity: 'error', summary: 'the spec is a link that resolves outside the workspace; it is not read' },
  'spec-unreadable': { severity: 'error', summary: 'the spec file cannot be read' },
  // Front matter (core/spec/front-matter.ts, core/spec/parse.ts)
  'front-matter-missing': { severity: 'error', summary: 'the spec does not start with YAML front matter' },
  'front-matter-language': { severity: 'error', summary: 'the front matter fence names a language other than YAML (nothing is executed)' },
  'front-matter-unclosed': { severity: 'error', summary: 'the front matter is never closed by a `---` line' },
  'front-matter-yaml': { severity: 'error', summary: 'the front matter is not plain YAML data (syntax, tags, anchors)' },
  'front-matter-shape': { severity: 'error', summary: 'the front matter is not a mapping of keys to values' },
  'front-matter-unknown-key': { severity: 'error', summary: 'a front matter key the format does not define' },
  'front-matter-type': { severity: 'error', summary: 'a front matter value of the wrong type' },
  'front-matter-kind': { severity: 'error', summary: '`kind` is missing or not one of the six kinds' },
  'front-matter-name': { severity: 'warning', audit: 'error', summary: '`name` does not match the file name' },
  // The body and its entries (core/spec/parse.ts, core/spec/entries.ts, core/spec/fields.ts)
  'spec-entries-kind': { severity: 'error', summary: 'a spec of a kind without entries has an entries section' },
  'spec-no-entries': { severity: 'error', summary: 'a compute, report or figure spec declares no entry' },
  'entry-name': { severity: 'error', summary: 'an entry heading is not a valid entry name' },
  'entry-unknown-field': { severity: 'warning', summary: 'a field label the format does not define (a typo?)' },
  'entry-duplicate-field': { severity: 'error', summary: 'an entry gives the same field twice' },
  'entry-missing-field': { severity: 'error', summary: 'an entry lacks a field its kind requires' },
  'entry-foreign-field': { severity: 'error', summary: 'a field that belongs to the other family of entries' },
  'entry-field-arity': { severity: 'error', summary: 'a single-path field names more than one path' },
  'entry-field-value': { severity: 'error', summary: 'a field value with text outside its code span, or a command in more than one span' },
  'entry-runner': { severity: 'error', summary: '`Runner:` is neither `local` nor `slurm`' },
  'entry-resources': { severity: 'error', summary: '`Resources:` holds an unknown key or a malformed value' },
  'entry-status': { severity: 'error', summary: '`Status:` is neither `script TBD` nor `script ready`' },
  'entry-path': { severity: 'error', summary: 'a path that leaves the workspace' },
  // The workspace as a whole (core/workspace/analyze.ts)
  'entry-duplicate': { severity: 'error', summary: 'two entries share a name' },
  'depends-on-missing': { severity: 'error', summary: '`depends_on` names a file that is not a spec' },
  'depends-on-cycle': { severity: 'error', summary: '`depends_on` forms a cycle' },
  'path-outside-workspace': {
    severity: 'error',
    summary: 'a script, workflow file or output that is a link resolving outside the workspace; it is never read',
  },
  'reads-unknown-entry': { severity: 'error', summary: '`Reads:` names an entry that is not a compute entry of a spec in `depends_on`' },
  // The lock (core/lock/parse.ts)
  'lock-json': { severity: 'error', summary: 'the lock is not valid JSON' },
  'lock-merge-conflict': { severity: 'error', summary: 'the lock holds merge conflict markers' },
  'lock-shape': { severity: 'error', summary: 'the lock is not a JSON object keyed by entry name' },
  'lock-duplicate-entry': { severity: 'error', summary: 'an entry has two records in the lock' },
  'lock-entry-name': { severity: 'error', summary: 'a top-level key of the lock that is not an entry name' },
  'lock-unreadable': { severity: 'error', summary: 'the lock cannot be read: a directory, no permission, or not UTF-8' },
  'lock-record': { severity: 'error', summary: 'a lock record of the wrong shape' },
  // The audit (core/audit/)
  'depends-on-unmentioned': { severity: 'error', summary: '`depends_on` names a spec the body never mentions' },
  'report-host-doc': { severity: 'error', summary: 'a report spec without a valid `host_doc` under `reports/`' },
  'report-section-label': { severity: 'error', summary: 'a report spec without `section_label`' },
  'script-missing': { severity: 'error', summary: 'a `script ready` compute entry whose script does not exist' },
  'export-script-missing': { severity: 'error', summary: 'a `script ready` export entry whose exporter does not exist' },
  'output-missing': { severity: 'warning', summary: 'a `script ready` compute entry has not produced its output' },
  'export-output-missing': { severity: 'warning', summary: 'a `script ready` export entry has not produced its export files' },
  'output-json': { severity: 'error', summary: 'a compute output that is not one JSON object' },
  'output-keys': { severity: 'error', summary: 'a compute output lacks a key its `Keys:` requires' },
  'scope-creep': { severity: 'warning', summary: 'a compute spec describes figures' },
  'routing-leak': {
    severity: 'error',
    summary:
      'an output outside its place: a compute output is one JSON in a directory of its own under `results/`, exports are files under `reports/`',
  },
  'entry-output-overlap': {
    severity: 'error',
    summary: "an entry's outputs contain, or sit inside, another entry's outputs or a file the specs name as an input",
  },
  'routing-host-doc-missing': { severity: 'error', summary: "a report's host document does not exist or cannot be read" },
  'routing-label-missing': { severity: 'error', summary: "a report's section label is not in its host document" },
  'orphaned-export': { severity: 'error', summary: "an export the report's section never inputs" },
  'stale-routing': { severity: 'error', summary: 'the section inputs a file no entry of the report exports' },
  'spec-audit-needed': { severity: 'warning', summary: 'an entry was certified, and its inputs moved since' },
  // Runs (core/run/)
  'run-unknown-entry': { severity: 'error', summary: 'the run names an entry the specs do not declare' },
  'run-blocked-spec': { severity: 'error', summary: 'the entry, or an entry it reads, is declared in a spec with errors' },
  'run-lock-unreadable': { severity: 'error', summary: 'the lock does not parse, so drift cannot be told' },
  'run-spec-audit-needed': { severity: 'error', summary: 'the entry was certified, and its inputs moved since' },
  'run-script-tbd': { severity: 'error', summary: 'the spec says the script is not ready' },
  'run-unbound': { severity: 'warning', summary: 'the entry was never certified (an error under `requireCertified`)' },
  'run-script-missing': { severity: 'error', summary: 'the script the entry is contracted to run does not exist' },
  'run-failed': { severity: 'error', summary: 'the command could not start, failed, was killed or was interrupted' },
  'run-outputs': { severity: 'error', summary: 'the command exited 0 but its outputs do not meet the spec' },
  // Plugin options in nx.json (core/workspace/options.ts)
  'options-invalid': { severity: 'error', summary: 'a plugin option in nx.json of the wrong form' },
  // Options given to a generator or a `specthis` command (generators/, cli/)
  'option-path': { severity: 'error', summary: 'a path option that is not a relative POSIX path inside the workspace' },
  'spec-name': { severity: 'error', summary: 'a spec name that is not a valid file stem, or is reserved' },
  'spec-kind': { severity: 'error', summary: 'a kind the spec generator does not scaffold' },
  'spec-exists': { severity: 'error', summary: 'the spec to scaffold already exists (the generator never overwrites one)' },
  'report-only': { severity: 'error', summary: '`host_doc` or `section_label` given for a spec that is not a report' },
  'host-doc': { severity: 'error', summary: 'a host document that is not a `.tex` file under `reports/`' },
  'section-label': { severity: 'error', summary: 'a section label that is not the text of a `\\label{}`' },
  'depends-on-self': { severity: 'error', summary: 'a spec that would depend on itself' },
  'entry-count': { severity: 'error', summary: 'a number of entries the kind does not allow' },
  'entry-name-unique': { severity: 'error', summary: 'an entry name given twice, or already declared in the workspace' },
  'agent-name': { severity: 'error', summary: 'an agent name that is not one of the three agents' },
  'specs-dir-conflict': { severity: 'error', summary: 'the plugin is registered already, with another specsDir' },
  'certify-options': { severity: 'error', summary: 'certify options that do not go together' },
  'certify-unknown-entry': { severity: 'error', summary: 'no entry and no lock record by that name' },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}

/** The anchor of a rule in the spec format's documentation: the id itself. */
export function ruleAnchor(id: RuleId): string {
  return id;
}
