import { computeInputs, MISSING, type Component } from '../hash/inputs';
import { sha256 } from '../hash/sha256';
import { outputsDigest } from '../receipts/outputs';
import { readReceipt, type UpstreamDigest } from '../receipts/receipt';
import { entryCommand } from '../spec/command';
import type { Entry } from '../spec/types';
import type { WorkspaceModel } from '../workspace/types';

/**
 * The run signature: "these outputs would come from exactly these inputs".
 * Framed text, lines joined with "\n", no trailing newline:
 *
 *     specthis-run/1
 *     inputs <inputs_certified, computed live>
 *     command <the command as a JSON string>
 *     upstream <entry> <digest of its receipt's outputs, or missing>   (sorted by entry)
 *
 * Upstream digests come from receipts, not from the files, so an upstream
 * re-run that reproduces the same bytes leaves this entry fresh.
 */
export const SIGNATURE_VERSION = 'specthis-run/1';

export interface LiveSignature {
  signature: string;
  command: string;
  inputs: { digest: string; components: Component[] };
  upstream: UpstreamDigest[];
}

export function frameSignature(inputsDigest: string, command: string, upstream: readonly UpstreamDigest[]): string {
  const sorted = [...upstream].sort((a, b) => (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0));
  return sha256(
    [
      SIGNATURE_VERSION,
      `inputs ${inputsDigest}`,
      `command ${JSON.stringify(command)}`,
      ...sorted.map((u) => `upstream ${u.entry} ${u.digest}`),
    ].join('\n'),
  );
}

/** Digest of an upstream entry's realized outputs, from its receipt; `missing` without one. */
export function upstreamDigest(root: string, entry: string): string {
  const receipt = readReceipt(root, entry);
  return receipt ? outputsDigest(receipt.outputs) : MISSING;
}

const byFile = new WeakMap<WorkspaceModel, Map<string, WorkspaceModel['specs'][number]>>();
function specsByFile(model: WorkspaceModel) {
  let map = byFile.get(model);
  if (!map) byFile.set(model, (map = new Map(model.specs.map((s) => [s.file, s]))));
  return map;
}

/** The signature an entry would run under now. */
export function liveSignature(root: string, model: WorkspaceModel, entry: Entry): LiveSignature {
  const spec = specsByFile(model).get(entry.specFile);
  if (!spec) throw new Error(`entry "${entry.name}" names spec ${entry.specFile}, which the workspace model does not hold`);
  const inputs = computeInputs(root, spec, entry);
  const command = entryCommand(entry) ?? '';
  const upstream = (model.upstream.get(entry.name)?.entries ?? []).map((name) => ({ entry: name, digest: upstreamDigest(root, name) }));
  return { signature: frameSignature(inputs.digest, command, upstream), command, inputs, upstream };
}
