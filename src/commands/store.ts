// `runsheet store init --store URL`: creates the database store's schema, or migrates it to this
// runsheet's version; idempotent, and refuses a schema newer than this runsheet understands.
import { UserError } from '../core/errors.js';
import { storeSpec } from '../adapters/store.js';
import type { CliIo } from './io.js';

export async function storeInitCommand(opts: { store?: string }, io: CliIo): Promise<number> {
  const spec = storeSpec(opts.store, io.env);
  if (!spec) throw new UserError('store init needs a database: --store postgres://USER@HOST/DATABASE (or RUNSHEET_STORE)');
  const { PgDb } = await import('../adapters/pg-db.js');
  const { migrate } = await import('../adapters/pg-schema.js');
  const db = await PgDb.connect(spec, io.env, { checkSchema: false });
  try {
    const client = await db.client();
    let r: { from: number; to: number };
    try {
      r = await migrate(client, db.shown);
    } catch (e) {
      throw db.explain(e, 'cannot create the runsheet schema');
    } finally {
      client.release();
    }
    const what = r.from === r.to ? 'already current' : r.from === 0 ? 'created' : `migrated from version ${r.from}`;
    io.stdout(`runsheet schema version ${r.to} in ${db.shown}: ${what}\n`);
    return 0;
  } finally {
    await db.end();
  }
}
