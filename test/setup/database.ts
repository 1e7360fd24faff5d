// Every test file gets its own copy of the seeded template database, dropped at the end.
import crypto from 'node:crypto';
import { afterAll, inject } from 'vitest';
import pg from 'pg';

function urlFor(db: string): string {
  const u = new URL(inject('serverUrl'));
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('serverUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh copy of the seeded database for this file; returns its URL. */
export async function useTestDatabase(): Promise<string> {
  const templ = inject('templateDb');
  const pid = templ.replace('ecograph_tpl_', '');
  const name = `ecograph_t_${pid}_${crypto.randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name} template ${templ}`));
  afterAll(async () => {
    await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  });
  return urlFor(name);
}

/** An empty database (no migrations) for this file; returns its URL. */
export async function useEmptyDatabase(): Promise<string> {
  const pid = inject('templateDb').replace('ecograph_tpl_', '');
  const name = `ecograph_t_${pid}_${crypto.randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  afterAll(async () => {
    await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  });
  return urlFor(name);
}
