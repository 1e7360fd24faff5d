// The Ecograph server of the crash soak: the compiled server (dist/src/main.js) as a child
// process that is SIGKILLed and started again on the same port. Its output of every life goes to
// one log file. An exit the soak did not cause is counted: that is a finding of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sleep } from './processes';

const READY_TIMEOUT_MS = 90_000;

export class CrashServer {
  readonly url: string;
  private child: ChildProcess | undefined;
  private killing = false;
  private starting = false;
  private tail: string[] = [];
  /** Exits nobody asked for (a crash of the server itself), with their last lines. */
  readonly unexpectedExits: { at: Date; how: string; tail: string }[] = [];
  /** Starts that failed (the database not back yet, say) and were retried. */
  failedStarts = 0;

  constructor(
    private readonly opts: { root: string; port: number; env: NodeJS.ProcessEnv; logFile: string; log: (l: string) => void },
  ) {
    this.url = `http://127.0.0.1:${opts.port}`;
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    fs.writeFileSync(opts.logFile, '');
  }

  isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Started and answering /readyz 200; a life that dies during start-up is retried. */
  async start(): Promise<void> {
    this.starting = true;
    try {
      await this.startLoop();
    } finally {
      this.starting = false;
    }
  }

  private async startLoop(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const child = this.spawn();
      while (child.exitCode === null && child.signalCode === null) {
        const ok = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.status === 200, () => false);
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${this.tail.join('\n')}`);
        await sleep(100);
      }
      this.failedStarts++;
      if (Date.now() > deadline) throw new Error(`the server did not start within ${READY_TIMEOUT_MS / 1000} s:\n${this.tail.join('\n')}`);
      await sleep(500);
    }
  }

  /** Waits for /readyz 200 (the pool found the database again); false after `ms`. */
  async waitReady(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.status === 200, () => false)) return true;
      await sleep(50);
    }
    return false;
  }

  /** kill -9: no drain, no ledger flush, connections reset. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning()) return;
    this.killing = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.killing = false;
  }

  /** The graceful stop at the end (SIGTERM, then SIGKILL after 20 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning()) return;
    this.killing = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    if ((await Promise.race([exited.then(() => 'exited'), sleep(20_000).then(() => 'timeout')])) === 'timeout') child.kill('SIGKILL');
    await exited;
  }

  /** Last resort when the soak itself exits (synchronous). */
  killNow(): void {
    if (this.isRunning()) this.child!.kill('SIGKILL');
  }

  private spawn(): ChildProcess {
    const log = fs.createWriteStream(this.opts.logFile, { flags: 'a' });
    log.write(`--- start at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, [path.join(this.opts.root, 'dist', 'src', 'main.js')], {
      cwd: this.opts.root,
      env: this.opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.tail = [];
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.tail.push(line.slice(0, 400));
        if (this.tail.length > 15) this.tail.shift();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      log.end(`--- exit ${signal ?? code} at ${new Date().toISOString()}\n`);
      if (this.killing || this.starting || this.child !== child) return;
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      this.unexpectedExits.push({ at: new Date(), how, tail: this.tail.join('\n') });
      this.opts.log(`the server exited by itself (${how}); last lines:\n${this.tail.join('\n')}`);
    });
    return child;
  }
}
