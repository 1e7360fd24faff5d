// Child processes of the benchmark: started here, remembered, and always stopped (normal end,
// errors, Ctrl-C, the time limit). Also the RSS sampler and readiness waits.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

const children = new Set<ChildProcess>();
const cleanups: Array<() => Promise<void>> = [];

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Started {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** Last lines of its output, for error messages. */
  tail: () => string;
  exited: () => boolean;
}

/** Starts a long-running child; its output goes to logFile. */
export function startChild(name: string, command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Started {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = fs.createWriteStream(opts.logFile);
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const recent: string[] = [];
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 30) recent.shift();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let done = false;
  child.on('exit', () => {
    done = true;
    children.delete(child);
    log.end();
  });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  return { name, child, pid: child.pid, logFile: opts.logFile, tail: () => recent.slice(-12).join('\n'), exited: () => done };
}

/** Stops one child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 8000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = sleep(graceMs).then(() => 'timeout' as const);
  if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(2000)]);
  }
}

/** Registers work to run when the benchmark ends (after the children are stopped). */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

let cleaning: Promise<void> | undefined;

/** Stops every child, then runs the cleanups (the embedded PostgreSQL). Idempotent. */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stopChild(c).catch(() => undefined)));
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  })();
  return cleaning;
}

/** Last resort on a hard exit: SIGKILL what is still running (synchronous). */
export function killAllNow(): void {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Runs a command to completion; resolves with its stdout (stderr is forwarded with a prefix). */
export function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; prefix?: string; quiet?: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      err += text;
      if (!opts.quiet) {
        for (const line of text.split('\n')) {
          if (line.trim() && !/Unknown user config "nodedir"/.test(line)) process.stdout.write(`${opts.prefix ?? ''}${line}\n`);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${err.trim().split('\n').slice(-8).join('\n')}`));
    });
  });
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Waits until `probe` resolves true, the child exits, or the time is up. */
export async function waitReady(s: Started, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.exited()) throw new Error(`${s.name} exited during start-up:\n${s.tail()}\n(log: ${s.logFile})`);
    if (await probe().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${s.name} was not ready within ${timeoutMs / 1000} s:\n${s.tail()}\n(log: ${s.logFile})`);
}

/** Resident set size of a process in bytes (VmRSS), or undefined when it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; reports the peak. */
export function sampleRss(pid: number, everyMs = 200): { stop: () => { peak: number; samples: number } } {
  let peak = rssOf(pid) ?? 0;
  let samples = 1;
  const timer = setInterval(() => {
    const v = rssOf(pid);
    if (v !== undefined) {
      samples++;
      if (v > peak) peak = v;
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { peak, samples };
    },
  };
}
