export type ScaffoldKind = 'compute' | 'report' | 'figure' | 'definitions';

export interface SpecGeneratorSchema {
  /** Spec file stem, e.g. `compute-wages`. */
  name: string;
  kind?: ScaffoldKind;
  /** Sub-directory under specsDir, e.g. `wages`. */
  directory?: string;
  /** Default: the registered plugin's specsDir, else `specs`. */
  specsDir?: string;
  /** Number of entries. Default 1, or 0 for definitions. */
  entries?: number;
  /** Comma-separated entry names; overrides the generated ones. */
  entryNames?: string;
  /** Comma-separated spec paths relative to specsDir. */
  dependsOn?: string;
  /** Report only. Default `reports/paper.tex`. */
  hostDoc?: string;
  /** Report only. Default `sec:<name>`. */
  sectionLabel?: string;
  skipFormat?: boolean;
}
