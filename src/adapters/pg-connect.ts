// Connecting to the team's PostgreSQL the way its other tools do: the URL given with --store (or
// RUNSHEET_STORE), then a service from pg_service.conf (?service=NAME or PGSERVICE), then the
// standard PG* variables (node-postgres reads PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD,
// PGSSLMODE… itself), and the password from ~/.pgpass (PGPASSFILE) when none was given. The URL is
// only ever shown with its password masked; the password never reaches an event, a log or output.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PoolConfig } from 'pg';
import { UserError } from '../core/errors.js';

/** The URL as it may be shown: password (in the authority or a query parameter) masked. */
export function maskUrl(spec: string): string {
  try {
    const u = new URL(spec);
    if (u.password) u.password = '***';
    for (const k of ['password', 'sslpassword']) if (u.searchParams.has(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return spec.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@').replace(/(password=)[^&]*/gi, '$1***');
  }
}

/** libpq's service file format: `[name]` sections of `key=value` lines, `#` comments. */
export function parseServiceFile(text: string, name: string): Record<string, string> | undefined {
  let current: string | null = null;
  let found: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = section[1].trim();
      if (current === name) found ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (current === name && found && eq > 0) found[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return found;
}

/** A service's settings: the user's file (PGSERVICEFILE or ~/.pg_service.conf) first, then the system's. */
export function readService(name: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const files = [
    env.PGSERVICEFILE ?? join(env.HOME ?? homedir(), '.pg_service.conf'),
    join(env.PGSYSCONFDIR ?? '/etc/postgresql-common', 'pg_service.conf'),
  ];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    const s = parseServiceFile(text, name);
    if (s) return s;
  }
  throw new UserError(`PostgreSQL service "${name}" is not defined in ${files.join(' or ')}`);
}

function sslFrom(mode: string | undefined): PoolConfig['ssl'] {
  switch (mode) {
    case undefined:
      return undefined;
    case 'disable':
      return false;
    case 'allow':
    case 'prefer':
    case 'require':
      // libpq's require encrypts without checking the certificate; so does this.
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      throw new UserError(`sslmode "${mode}": use disable, require, verify-ca or verify-full`);
  }
}

export interface PgTarget {
  config: PoolConfig;
  /** The URL for messages (password masked). */
  shown: string;
  /** Credential values to mask out of any message (a driver error could quote one). */
  hide: string[];
}

/** Pool settings for a postgres:// URL; what the URL leaves out comes from the service, then PG*. */
export function pgTarget(spec: string, env: NodeJS.ProcessEnv): PgTarget {
  const shown = maskUrl(spec);
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    throw new UserError(`the store URL ${shown} is not a valid URL: postgres://USER@HOST:PORT/DATABASE`);
  }
  const q = (k: string) => u.searchParams.get(k) ?? undefined;
  const serviceName = q('service') ?? env.PGSERVICE;
  const svc = serviceName ? readService(serviceName, env) : {};
  const pick = (...vals: (string | undefined)[]) => vals.find((v) => v !== undefined && v !== '');
  const password = pick(u.password ? decodeURIComponent(u.password) : undefined, q('password'), svc.password);
  const port = pick(u.port, q('port'), svc.port);
  const given: PoolConfig = {
    host: pick(u.hostname ? decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1') : undefined, q('host'), svc.host),
    port: port ? Number(port) : undefined,
    user: pick(u.username ? decodeURIComponent(u.username) : undefined, q('user'), svc.user),
    database: pick(u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : undefined, q('dbname'), svc.dbname),
    ssl: sslFrom(pick(q('sslmode'), svc.sslmode)),
    application_name: pick(q('application_name'), svc.application_name) ?? 'runsheet',
    connectionTimeoutMillis: Number(pick(q('connect_timeout'), svc.connect_timeout) ?? 10) * 1000,
  };
  // Left out, not undefined: node-postgres falls back to PG* only for settings absent or empty.
  const config = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as PoolConfig;
  // No password given: PGPASSWORD (read by node-postgres), else ~/.pgpass through the pgpass module
  // (node-postgres's own fallback prints a deprecation warning, so it is asked here instead).
  if (password !== undefined) config.password = password;
  else if (env.PGPASSWORD === undefined) config.password = pgpassLookup as () => Promise<string>;
  return { config, shown, hide: [password, env.PGPASSWORD].filter((x): x is string => !!x && x.length >= 1) };
}

/** ~/.pgpass (or PGPASSFILE) for the parameters the connection resolved to; undefined when none. */
async function pgpassLookup(params?: { host?: string; port?: number; database?: string; user?: string }): Promise<string | undefined> {
  // CommonJS: its function is the default export (or the namespace itself, by bundler).
  const mod = (await import('pgpass')) as unknown as PgPass | { default: PgPass };
  const lookup: PgPass = typeof mod === 'function' ? mod : mod.default;
  return new Promise((resolve) =>
    lookup({ host: params?.host, port: params?.port, database: params?.database, user: params?.user }, resolve),
  );
}

type PgPass = (conn: { host?: string; port?: number; database?: string; user?: string }, cb: (pass: string | undefined) => void) => void;
