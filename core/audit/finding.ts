import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic';
import { RULES } from '../diagnostics/rules';
import type { Finding } from './types';

/**
 * A spec's parse (or workspace) diagnostic as an audit finding: the same
 * diagnostic, tied to its spec, at the severity the audit gives its rule
 * (core/diagnostics/rules.ts, `audit`).
 */
export function fromDiagnostic(spec: string, d: Diagnostic): Finding {
  const rule = RULES[d.rule] as { audit?: Finding['severity'] };
  return { ...d, severity: rule.audit ?? d.severity, spec };
}

export const compareFindings = compareDiagnostics;
