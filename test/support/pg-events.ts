// A run's events as the database holds them, read with a client of its own (what another
// operator's runsheet, or an auditor, would read).
import pg from 'pg';
import type { RunEvent } from '../../src/core/events.js';

export async function dbEvents(url: string, runId: string): Promise<RunEvent[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ event: string }>('SELECT event FROM runsheet.events WHERE run_id = $1 ORDER BY seq', [runId])).rows.map(
      (r) => JSON.parse(r.event) as RunEvent,
    );
  } finally {
    await c.end();
  }
}
