import type { CertAxis, PageState, RealAxis } from './states';

/**
 * What the page embeds as JSON (`<script type="application/json"
 * id="specthis-data">`) and renders in the browser. Specs, entries and
 * paper inputs refer to each other by index into `specs` and `entries`, so
 * 5,000 entries with their read-edges stay a few megabytes. Built in sorted
 * order with no clock: the same tree gives the same bytes.
 */
export interface PageData {
  version: 1;
  specsDir: string;
  requireCertified: boolean;
  legend: { person: string; machine: string };
  /** Whole-workspace problems that belong to no spec (the lock does not parse). */
  problems: PageFinding[];
  summary: { specs: number; entries: number; person: number; machine: number; errors: number; warnings: number };
  specs: SpecData[];
  entries: EntryData[];
  paper: PaperDocument[];
}

/** A diagnostic as the page shows it (core/diagnostics/diagnostic.ts): absent fields are null, the documentation link resolved. */
export interface PageFinding {
  file: string;
  line: number;
  severity: 'error' | 'warning';
  rule: string;
  reason: string;
  expected: string | null;
  received: string | null;
  note: string | null;
  docs: string;
  entry: string | null;
}

export interface SpecData {
  file: string;
  /** Path relative to specsDir (the sidebar tree, `depends_on`). */
  path: string;
  stem: string;
  title: string | null;
  name: string | null;
  kind: string | null;
  dependsOn: { path: string; spec: number | null }[];
  /** Specs whose `depends_on` names this one. */
  dependents: number[];
  hostDoc: string | null;
  sectionLabel: string | null;
  /** The spec has error diagnostics: its entries are blocked. */
  broken: boolean;
  /** Audit findings about this spec (parse diagnostics included), sorted by line. */
  findings: PageFinding[];
  entries: number[];
  counts: { entries: number; person: number; machine: number };
  state: PageState;
  /** The body's Markdown (front matter stripped), rendered and sanitized in the page when opened; null when the spec could not be read. */
  markdown: string | null;
}

export interface PathCheck {
  path: string;
  exists: boolean;
}

export interface EntryData {
  name: string;
  spec: number;
  line: number;
  family: 'compute' | 'export';
  status: string | null;
  statusNote: string | null;
  cert: CertAxis;
  certReason: string;
  real: RealAxis;
  realReason: string;
  state: PageState;
  person: boolean;
  machine: boolean;
  /** The audit row's notes: checks that failed, contract problems, routing. */
  notes: string[];
  script: PathCheck | null;
  run: string | null;
  outputs: PathCheck[];
  /** `Keys:` the output must have. */
  keys: string[];
  /** Top-level keys of the output JSON as it is now, or null with `outputNote` saying why. */
  outputKeys: string[] | null;
  outputNote: string | null;
  workflows: PathCheck[];
  /** Compute entries this entry reads, and entries that read it (indices into `entries`). */
  reads: number[];
  readBy: number[];
  lock: { author: string; ts: string; components: { role: string; path: string; sha: string }[] } | null;
  receipt: {
    end: string;
    durationMs: number;
    host: string;
    command: string;
    exitCode: number;
    /** Set when the results cache brought the outputs (the receipt's source). */
    source?: { cache: string; archivedBy: string; archivedAt: string };
  } | null;
}

export interface PaperDocument {
  file: string;
  labels: PaperLabel[];
}

export interface PaperLabel {
  name: string;
  line: number;
  section: { command: string; title: string; line: number } | null;
  sectionVersionNear: boolean;
  /** Report specs bound to this label (`host_doc` + `section_label`). */
  reportSpecs: number[];
  inputs: PaperInput[];
}

export interface PaperInput {
  command: string;
  /** As written in the document. */
  path: string;
  line: number;
  /** The workspace file it resolves to, or null (outside the workspace). */
  file: string | null;
  exists: boolean;
  /** Entries whose outputs include `file`. */
  exportedBy: number[];
}
