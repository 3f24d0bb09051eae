// pgpass (a dependency of pg) ships no types: the one call pg-connect.ts makes.
declare module 'pgpass' {
  function pgpass(conn: { host?: string; port?: number; database?: string; user?: string }, cb: (pass: string | undefined) => void): void;
  export default pgpass;
}
