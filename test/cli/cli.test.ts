// The CLI as a user runs it (the compiled entry point), against this file's database.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { hashKey } from '../../src/auth/keys';
import { PROJECT_ROOT } from '../../src/config';
import { useTestDatabase } from '../setup/database';

const run = promisify(execFile);
const CLI = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
let url: string;

async function cli(...args: string[]) {
  try {
    const r = await run(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  url = await useTestDatabase();
});

describe('cli', () => {
  it('migrate reports an up-to-date database', async () => {
    const r = await cli('migrate');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('up to date');
  });

  it('keys create prints the key alone on the last line, stores only its hash', async () => {
    const [{ slug }] = await query<{ slug: string }>('select slug from partner order by id limit 1');
    const r = await cli('keys', 'create', '--role', 'partner', '--partner', slug, '--expires', '2099-01-01');
    expect(r.code, r.stderr).toBe(0);
    const key = r.stdout.trimEnd().split('\n').at(-1)!;
    expect(key).toMatch(/^eco_[\w-]{43}$/);
    const rows = await query<{ role: string; expires_at: Date }>('select role, expires_at from api_key where hash = $1', [hashKey(key)]);
    expect(rows).toHaveLength(1);
    expect(rows[0].role).toBe('PARTNER');
  });

  it('keys list and revoke', async () => {
    const created = await cli('keys', 'create', '--role', 'analyst', '--label', 'cli test');
    const id = Number(/#(\d+)/.exec(created.stdout)![1]);
    const list = await cli('keys', 'list');
    expect(list.stdout).toMatch(new RegExp(`\\b${id}\\b.*ANALYST.*active.*cli test`));
    expect((await cli('keys', 'revoke', String(id))).stdout).toContain(`revoked key #${id}`);
    expect((await cli('keys', 'list')).stdout).toMatch(new RegExp(`\\b${id}\\b.*revoked`));
    expect((await cli('keys', 'revoke', String(id))).code).toBe(1);
  });

  it('explains bad input with a non-zero exit', async () => {
    expect((await cli('keys', 'create', '--role', 'wizard')).code).toBe(2);
    const r = await cli('keys', 'create', '--role', 'partner', '--partner', 'no-such-partner');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('UNKNOWN_PARTNER');
    expect((await cli('keys', 'create', '--role', 'partner')).stderr).toContain('PARTNER_REQUIRED');
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('prints each role its own schema', async () => {
    const admin = await cli('schema');
    const partner = await cli('schema', '--role', 'partner-public');
    expect(admin.stdout).toContain('nationalId');
    expect(partner.stdout).not.toContain('nationalId');
    expect(partner.stdout).not.toContain('type Customer');
  });
});
