// What a copied command *does*, read from its words: whether it destroys data (→ critical and
// confirm), never ends by itself (→ not run), hides its own failure (`|| true`), or holds
// `<placeholders>` the author meant to be filled in (→ runsheet vars). Each answer carries a short
// reason, because the import summary has to say why it decided.

/** Destructive patterns: [regex over one logical command, reason shown to the operator]. */
const DESTRUCTIVE: [RegExp, string][] = [
  [/\brm\s+(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)\b/, 'rm -r deletes files recursively'],
  [/\b(?:DROP\s+(?:TABLE|DATABASE|SCHEMA|INDEX|COLUMN|VIEW|USER|ROLE)|ALTER\s+TABLE\s+\S+\s+DROP)\b/i, 'SQL DROP'],
  [/\bTRUNCATE\b/i, 'truncate'],
  [/\bDELETE\s+FROM\b/i, 'SQL DELETE'],
  [/\bdropdb\b/, 'dropdb'],
  [/\bFLUSH(?:DB|ALL)\b/i, 'flushes a cache/database'],
  [/\b(?:pg_restore|mongorestore)\b/, 'restore overwrites data'],
  // `psql db < dump.sql` (not the SQL `<>` / `<=` inside a -c query)
  [/\b(?:psql|mysql|mariadb|sqlite3)\b[^|;&]*\s<(?![>=<])\s*[\w./~$"'-]/, 'restore from a dump overwrites data'],
  [/\brestore\b/i, 'restore overwrites data'],
  [/\bgit\s+push\b[^|;&]*(?:\s--force(?:-with-lease)?\b|\s-f\b|\s\+\S)/, 'force-push rewrites remote history'],
  [/\bgit\s+reset\s+--hard\b/, 'git reset --hard discards changes'],
  [/\bgit\s+clean\s+-[a-zA-Z]*f/, 'git clean deletes files'],
  [/\bkubectl\s+(?:\S+\s+)*delete\b/, 'kubectl delete'],
  [/\bhelm\s+(?:uninstall|delete)\b/, 'helm uninstall'],
  [/\bterraform\s+(?:destroy\b|apply\b[^|;&]*-destroy\b)/, 'terraform destroy'],
  [/\bdocker(?:-compose|\s+compose)?\s+(?:\S+\s+)*down\b[^|;&]*(?:\s-v\b|\s--volumes\b)/, 'docker … down -v deletes volumes'],
  [/\bdocker\s+(?:volume\s+(?:rm|prune)|system\s+prune|image\s+prune)\b/, 'docker prune/rm deletes data'],
  [/\baws\s+s3\s+(?:rb\b|rm\b[^|;&]*--recursive)/, 'aws s3 delete'],
  [/\bgsutil\s+(?:-m\s+)?rm\b/, 'gsutil rm'],
  [/\b(?:alembic|flyway|liquibase)\s+(?:\S+\s+)*(?:downgrade|undo|rollback|clean)\b/, 'schema downgrade can drop data'],
  [/\bmanage\.py\s+(?:migrate\s+\S+\s+(?:zero|\d+\S*|previous\S*)|flush)\b/, 'schema downgrade can drop data'],
  [/\b(?:rails|rake)\s+db:(?:drop|reset|rollback)\b/, 'schema drop/rollback'],
  [/\bprisma\s+migrate\s+reset\b/, 'prisma migrate reset drops the database'],
  [/\bmkfs\b|\bdd\s+[^|;&]*\bof=/, 'overwrites a disk'],
  [/\bcurl\b[^|;&]*(?:-X\s*|--request\s+)DELETE\b/, 'HTTP DELETE'],
];

export function destructiveReason(script: string): string | undefined {
  const code = withoutComments(script);
  for (const [re, why] of DESTRUCTIVE) if (re.test(code)) return why;
  return undefined;
}

/** Commands that do not end by themselves: following logs, watching, serving. */
const NEVER_ENDING: [RegExp, string][] = [
  [/\b(?:logs|journalctl)\b[^|;&]*(?:\s-[a-zA-Z]*f[a-zA-Z]*\b|\s--follow\b)/, 'follows logs'],
  [/\btail\b[^|;&]*(?:\s-[a-zA-Z]*[fF][a-zA-Z]*\b|\s--follow\b)/, 'tail -f follows a file'],
  [/(?:^|[;&|]\s*|\bsudo\s+)(?:watch|top|htop|btop|iotop|iftop|nload|k9s|stern)\b/m, 'interactive/repeating monitor'],
  [/\bkubectl\b[^|;&]*(?:\s-w\b|\s--watch\b|\sport-forward\b|\sproxy\b)/, 'kubectl watch/port-forward'],
  [
    /\bdocker(?:-compose|\s+compose)?\s+(?:\S+\s+)*up\b(?![^|;&]*(?:\s-d\b|\s--detach\b|\s--wait\b))/,
    'docker … up without -d stays in the foreground',
  ],
  [
    /\b(?:uvicorn|gunicorn|hypercorn|daphne|nodemon)\b|\bflask\s+run\b|\brails\s+s(?:erver)?\b|\bhttp\.server\b/,
    'starts a server in the foreground',
  ],
  [/\bcelery\b[^|;&]*\s(?:worker|beat|flower)\b/, 'starts a worker in the foreground'],
  [/\b(?:npm|yarn|pnpm)\s+(?:run\s+)?(?:dev|start|serve|watch)\b/, 'starts a dev server'],
  [/(?:^|[;&|]\s*|\bsudo\s+)ping\b(?![^|;&\n]*\s-c\s*\d)/m, 'ping without -c never stops'],
  [/\bsleep\s+infinity\b/, 'sleeps forever'],
  [/\blocust\b(?![^|;&\n]*(?:--headless|\s-t\s*\d|--run-time))/, 'locust serves its web UI until stopped'],
  [/\bredis-cli\b[^|;&\n]*\s(?:MONITOR|P?SUBSCRIBE)\b/i, 'redis-cli MONITOR/SUBSCRIBE streams forever'],
];

export function neverEndingReason(script: string): string | undefined {
  const code = withoutComments(script);
  for (const [re, why] of NEVER_ENDING) if (re.test(code)) return why;
  return undefined;
}

/** `|| echo …`, `|| true`, `|| :`, `; true`: the command passes even when it fails. */
export function swallowedFailure(script: string): string | undefined {
  const code = withoutComments(script);
  const m = /\|\|\s*(?:echo\b[^\n;&|]*|true\b|:(?=\s|$))|;\s*true\b/.exec(code);
  return m ? m[0].trim().replace(/\s+/g, ' ') : undefined;
}

function withoutComments(script: string): string {
  // Only whole-line and ' #' comments: enough to stop "# delete old pods" counting as a delete.
  return script
    .split('\n')
    .map((l) => (/^\s*#/.test(l) ? '' : l.replace(/\s#\s.*$/, '')))
    .join('\n');
}

// `<previous-commit-hash>`, `<YOUR_REGISTRY>`, `dealix_<timestamp>.dump`: a word in angle brackets
// with no space. Redirections (`< file`, `2>&1`, `<<EOF`) never match: they have a space, an `&`
// or a second `<`.
const PLACEHOLDER = /(?<!<)<([A-Za-z][A-Za-z0-9_.:-]*(?: [A-Za-z0-9_.:-]+){0,3})>(?!>)/g;

export function placeholderName(inner: string): string {
  const n = inner
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Z_]/.test(n) ? n : `V_${n}`;
}

/** `<previous-commit-hash>` → `${PREVIOUS_COMMIT_HASH}`; the names found, in order. */
export function replacePlaceholders(script: string): { script: string; names: { name: string; raw: string }[] } {
  const names: { name: string; raw: string }[] = [];
  const out = script.replace(PLACEHOLDER, (whole, inner: string, at: number) => {
    if (script[at - 1] === '$') return whole;
    const name = placeholderName(inner);
    if (!names.some((n) => n.name === name)) names.push({ name, raw: whole });
    return `\${${name}}`;
  });
  return { script: out, names };
}

/** A placeholder name that would hold a credential: declared in `secrets` too. */
export function isSecretName(name: string): boolean {
  return /(?:TOKEN|PASSWORD|PASSWD|SECRET|API_KEY|PRIVATE_KEY|CREDENTIAL)/.test(name) || /(?:^|_)KEY$/.test(name);
}

const KNOWN_COMMAND =
  /^(?:sudo\s+|time\s+)?(?:cd|git|docker|docker-compose|kubectl|helm|curl|wget|npm|npx|yarn|pnpm|node|python3?|pip3?|pytest|alembic|psql|pg_dump|pg_restore|pg_dumpall|mysql|mysqldump|redis-cli|mongosh|systemctl|journalctl|service|ssh|scp|rsync|terraform|ansible-playbook|make|bash|sh|echo|aws|gcloud|az|heroku|celery|uvicorn|gunicorn|tail|grep|cat|ls|rm|mv|cp|mkdir|chmod|chown|nginx|certbot|openssl|dig|nslookup|host|pm2|flyctl|fly|railway|vercel|prisma|rails|rake|bundle|go|cargo|mvn|gradle|dotnet|php|composer|locust|k6|ab|jq|sed|awk|find|df|du|free|uptime|ps|kill|pkill|crontab|ansible|vault|consul|nomad|argocd|flux|kustomize|skaffold|tilt|istioctl|linkerd|eksctl|doctl|oc|podman|buildah|velero|etcdctl|dropdb|createdb|manage\.py|watch|top|htop|ping|traceroute|nc|telnet|sleep|crane|skopeo|cosign|patronictl|rabbitmqctl|rabbitmq-upgrade|mongo|mongodump|etcd|consul|certbot|ansible-playbook|argocd|\.\/\S+|bin\/\S+|scripts\/\S+)(?:\s|$)/;

/**
 * Inline code that is a shell command (`alembic upgrade head`), not a name (`DATABASE_URL`), a
 * setting (`DEBUG=False`), a path (`/api/v1/health`), a URL or a file name.
 */
export function isShellCommand(code: string): boolean {
  const t = code.trim();
  if (!t || /^[A-Za-z_][A-Za-z0-9_]*=/.test(t) || /^(?:https?:)?\/\//.test(t)) return false;
  if (KNOWN_COMMAND.test(t)) return true;
  // An unknown tool used like one: a lowercase word, then flags (`mytool sync --dry-run`).
  return /^[a-z][\w.-]*(?:\s+[a-z][\w.:-]*)*\s+--?[a-z]/.test(t) && !/[.]md$/.test(t);
}
