import type { EntryFacts } from '../audit/facts';
import type { JsonTop } from '../state/output-json';
import type { AuditRow } from '../audit/types';
import type { LockRecord } from '../lock/types';
import type { Receipt } from '../receipts/receipt';
import type { EntryData } from './page-model';
import { certAxis, needsMachine, needsPerson, realAxis, worst } from './states';

/** Lock digests are shown shortened: enough to tell two apart at a glance, not to verify. */
const SHORT_SHA = 12;

/** One entry of the page, with its lock record, receipt and read-edges (entry indices, page-data.ts). */
export function entryData(
  f: EntryFacts,
  row: AuditRow | undefined,
  spec: number,
  record: LockRecord | undefined,
  receipt: Receipt | undefined,
  requireCertified: boolean,
  reads: number[],
  readBy: number[],
): EntryData {
  const { entry } = f;
  const cert = certAxis(f);
  const real = realAxis(f);
  return {
    name: entry.name,
    spec,
    line: entry.line,
    family: entry.family,
    status: entry.status ?? null,
    statusNote: entry.statusNote ?? null,
    cert,
    certReason: f.certificationReason,
    real,
    realReason: f.realizationReason,
    state: worst([cert, real]),
    person: needsPerson(cert, real),
    machine: needsMachine(cert, real, requireCertified),
    notes: row?.notes ?? [],
    script: entry.script ? { path: entry.script, exists: f.scriptExists } : null,
    run: entry.run ?? null,
    outputs: f.outputs,
    keys: entry.keys,
    outputKeys: f.json?.kind === 'object' ? f.json.keys : null,
    outputNote: f.json ? jsonNote(f.json) : null,
    workflows: f.workflows,
    reads,
    readBy,
    lock: record
      ? {
          author: record.author,
          ts: record.ts,
          components: record.components.map((c) => ({ role: c.role, path: c.path, sha: c.sha256.slice(0, SHORT_SHA) })),
        }
      : null,
    receipt: receipt
      ? {
          end: receipt.end,
          durationMs: receipt.durationMs,
          host: receipt.host,
          command: receipt.command,
          exitCode: receipt.exitCode,
          ...(receipt.source ? { source: { ...receipt.source } } : {}),
        }
      : null,
  };
}

function jsonNote(top: JsonTop): string | null {
  switch (top.kind) {
    case 'object':
      return null;
    case 'absent':
      return 'the output does not exist';
    case 'not-file':
      return 'the output is not a regular file';
    case 'too-large':
      return `the output is ${top.bytes} bytes; its keys were not read`;
    case 'invalid':
      return `the output is not valid JSON: ${top.message}`;
    case 'not-object':
      return `the output's top level is ${top.got}, not an object`;
  }
}
