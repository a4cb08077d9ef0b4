import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * A real S3 API for tests: Python's moto server (`python3 -m moto.server`) on a
 * free loopback port. It keeps objects in memory and checks no signatures, so
 * any fake credentials do. Always stopped by PID: by `stop()` (call it in
 * afterAll) and, should the test process die first, by a process 'exit' hook.
 */
export interface Moto {
  endpoint: string;
  port: number;
  pid: number;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** The credentials and region the SDK reads from the environment; moto accepts any. */
export const FAKE_AWS_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  // Never ask an instance-metadata endpoint for credentials: it would cost seconds on a machine without one.
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** Sets FAKE_AWS_ENV (and clears profile and endpoint variables that would steer the SDK elsewhere); returns the undo. */
export function useFakeAwsEnv(): () => void {
  const names = [...Object.keys(FAKE_AWS_ENV), 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3'];
  const before = new Map(names.map((n) => [n, process.env[n]]));
  for (const n of names) delete process.env[n];
  Object.assign(process.env, FAKE_AWS_ENV);
  return () => {
    for (const [n, v] of before) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  };
}

export function motoInstalled(): boolean {
  return spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0;
}

/** A loopback port nothing listens on right now (the OS picks it; it is released before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startMoto(buckets: readonly string[] = []): Promise<Moto> {
  let lastError: unknown;
  // The port is free when picked but could be taken before moto binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const pid = child.pid;
    if (pid === undefined) throw new Error('moto: could not start python3 -m moto.server; is moto installed (python3 -c "import moto")?');
    const killOnExit = () => kill(pid, 'SIGKILL');
    process.on('exit', killOnExit);
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitUntilAnswering(endpoint, child, 30_000);
    } catch (error) {
      lastError = new Error(
        `moto on port ${port} did not come up: ${error instanceof Error ? error.message : error}; stderr: ${stderr.trim().slice(-500)}`,
      );
      await stop(child, pid);
      process.off('exit', killOnExit);
      continue;
    }
    const moto: Moto = {
      endpoint,
      port,
      pid,
      createBucket: async (name) => {
        // The variable silences the SDK's Node-version notice, as core/cache/s3-store.ts does for its own clients.
        process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
        const client = new S3Client({
          region: 'us-east-1',
          endpoint,
          forcePathStyle: true,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        });
        try {
          await client.send(new CreateBucketCommand({ Bucket: name }));
        } finally {
          client.destroy();
        }
      },
      stop: async () => {
        await stop(child, pid);
        process.off('exit', killOnExit);
      },
    };
    for (const b of buckets) await moto.createBucket(b);
    return moto;
  }
  throw lastError;
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function stop(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  kill(pid, 'SIGTERM');
  const timer = setTimeout(() => kill(pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode}`);
    if (await answers(endpoint)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer within ${timeoutMs / 1000} s`);
}

function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${endpoint}/`, { method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
