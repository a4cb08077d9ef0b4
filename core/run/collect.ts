import { Writable } from 'node:stream';
import type { RunLogger } from './logger';

/**
 * One entry's output, kept until it ends: its log lines and its command's
 * output, in order. Entries that run side by side in one process (an Nx
 * batch, `specthis run --parallel`) print whole instead of interleaved; the
 * entry's log file has the command's output while it runs.
 */
export function collectedOutput(): { log: RunLogger; stdout: Writable; stderr: Writable; text(): string } {
  const chunks: string[] = [];
  const line = (message: string) => chunks.push(message.endsWith('\n') ? message : `${message}\n`);
  const sink = () =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
  return { log: { info: line, warn: line, error: line }, stdout: sink(), stderr: sink(), text: () => chunks.join('') };
}
