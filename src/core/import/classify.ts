// What a heading *is*, decided from its words (never from one runbook's exact headings): reference
// to read rather than steps to do, an environment's alternative, a condition ("if applicable",
// "special scenarios"), one of several alternatives (Kubernetes or docker-compose), an approval
// gate. Each answer carries the reason the import summary prints.
import { cleanTitle } from './text.js';

/** Imperative first words: "Notify contacts" is a step, "Contacts" is reference. */
const VERBS = new Set(
  'add announce apply bump cordon uncordon purge invalidate reindex rebuild redeploy rerun retry roll drop restart resize rollout decrease increase lower raise approve archive back backup build call cancel check clean clear close collect commit compare configure confirm copy create cut delete deploy disable document drain email enable ensure escalate export fix flip flush freeze get install kick label lock log merge migrate monitor move notify obtain open page pause pin post prepare promote publish pull push put record reduce release reload remove rename restart restore resume review revert rotate run save scale schedule send set ship smoke snapshot start stop switch tag take tell test tick trigger unfreeze unlock update upgrade upload validate verify wait warm watch write'.split(
    ' ',
  ),
);

export function startsWithVerb(text: string): boolean {
  const w = cleanTitle(text)
    .replace(/^[*_`~\s]+/, '')
    .split(/[^A-Za-z-]/)[0]
    ?.toLowerCase();
  return !!w && VERBS.has(w);
}

const REFERENCE_RULES: [RegExp, string][] = [
  [/\b(?:quick\s+)?reference\b|\bcheat[- ]?sheets?\b|\bappendix\b|\bglossary\b|\bterminology\b|\bdefinitions\b/i, 'reference'],
  [
    /\b(?:useful|handy|common|critical|helpful|quick|other|debug(?:ging)?|diagnostic|admin|emergency|ops|operational|maintenance|key)\s+commands\b|\bcommands?\s+(?:reference|list|appendix|cheat)/i,
    'a command reference',
  ],
  [
    /\bcontacts?\b|\bescalation\b|\bwho to (?:call|contact)\b|\bon-?call (?:list|rota|roster)\b|\bpoints? of contact\b/i,
    'contacts/escalation',
  ],
  [/\btroubleshoot|\bcommon (?:issues|problems|errors|failures|pitfalls)\b|\bfaqs?\b|\bknown issues\b|\bdebugging\b/i, 'troubleshooting'],
  [/\btemplates?\b|\bprint\s*(?:&|and)\s*fill\b|\bfill[- ]in\b/i, 'a fill-in template'],
  [/\bexamples?\b/i, 'examples'],
  [
    /\bsee also\b|\brelated (?:docs|documentation|links|pages|runbooks|reading)\b|\b(?:useful|important|helpful|quick|dashboard|monitoring) (?:links|urls)\b|^(?:links|urls|resources|references)$/i,
    'links',
  ],
  [/\bvs\.?(?:\s|$)|\bversus\b|\bdifferences\b|\bcomparison\b|\bmatrix\b/i, 'a comparison'],
  [/^(?:notes?|deployment notes|additional notes|scratch ?pad)$/i, 'a notes area'],
];

/** Why a heading is reference (for reading, not doing), or undefined. */
export function referenceReason(title: string): string | undefined {
  const t = cleanTitle(title);
  if (!t || startsWithVerb(t)) return undefined;
  for (const [re, why] of REFERENCE_RULES) if (re.test(t)) return `title says ${why}`;
  return undefined;
}

// ---- environments -----------------------------------------------------------------------------

const ENV_WORDS: Record<string, string> = {
  local: 'local',
  localhost: 'local',
  dev: 'development',
  development: 'development',
  qa: 'qa',
  uat: 'uat',
  staging: 'staging',
  stage: 'staging',
  preprod: 'preprod',
  'pre-prod': 'preprod',
  'pre-production': 'preprod',
  preproduction: 'preprod',
  production: 'production',
  prod: 'production',
  live: 'production',
  sandbox: 'sandbox',
};
// Words that say nothing about *which* environment ("Staging Deployment", "Production checklist").
const ENV_FILLER = new Set(
  'environment environments env envs deployment deployments checklist checklists setup specific only for the server servers instance cluster and or steps config configuration'.split(
    ' ',
  ),
);

/** The environments a heading is named for ("Staging", "Production Deployment", "Local Development"), or undefined. */
export function envsOf(title: string): string[] | undefined {
  const words = cleanTitle(title.replace(/\([^)]*\)/g, ' '))
    .toLowerCase()
    .split(/[\s/,&:+]+|\s-\s/)
    .filter(Boolean);
  if (!words.length) return undefined;
  const envs: string[] = [];
  for (const w of words) {
    if (ENV_WORDS[w]) {
      if (!envs.includes(ENV_WORDS[w])) envs.push(ENV_WORDS[w]);
    } else if (!ENV_FILLER.has(w)) return undefined;
  }
  // "Local Development" is the local environment, not two.
  if (envs.includes('local') && envs.includes('development')) envs.splice(envs.indexOf('development'), 1);
  return envs.length ? envs : undefined;
}

// ---- conditions and alternatives ----------------------------------------------------------------

/** A section that applies only sometimes: "If using Redis", "Kubernetes (if applicable)", "Optional: CDN". */
export function conditionReason(title: string): string | undefined {
  const t = cleanTitle(title);
  if (/^if\b/i.test(t)) return 'title starts with "if"';
  if (/^(?:optional|only)\b/i.test(t) || /\((?:optional|only[^)]*)\)/i.test(t)) return 'title says optional';
  const m =
    /\((?:if|when)\b[^)]*\)|\bif (?:applicable|needed|required|necessary|any|using|enabled|relevant)\b|\bwhen (?:applicable|needed|using)\b/i.exec(
      t,
    );
  return m ? `title says "${m[0].replace(/[()]/g, '')}"` : undefined;
}

/** A heading whose sub-sections are situations that may or may not apply ("Special Deployment Scenarios"). */
export function scenarioReason(title: string): string | undefined {
  const m =
    /\b(?:special|other|additional|specific|optional)\s+(?:deployment\s+|release\s+)?(?:scenarios?|cases?|situations?|circumstances)\b|\bscenarios?\b|\bedge cases\b|\bconditional\b|\bdepending on\b/i.exec(
      cleanTitle(title),
    );
  return m ? `title says "${m[0]}"` : undefined;
}

const PLATFORM =
  /^(kubernetes|k8s|helm|docker[- ]compose|docker|ecs|fargate|nomad|systemd|vms?|bare[- ]metal|heroku|railway|fly(?:\.io)?|lambda|serverless|ansible|terraform|aws|gcp|azure|cloud run|app engine|openshift|swarm|pm2|supervisor)\b/i;
const OPTION = /^(?:option|approach|method|alternative|variant|path|plan)\s*[A-Z0-9]\b|^(?:using|with|via|on)\s+\S/i;

/**
 * Sibling titles that are alternatives of one another ("Option A …"/"Option B …", "Using Helm"/
 * "Using kubectl", "Kubernetes rollback"/"Docker Compose rollback"): the indexes of the
 * alternatives and the reason, or undefined when fewer than two siblings are alternatives.
 */
export function alternativesOf(titles: string[]): { indexes: number[]; reason: string } | undefined {
  const opt = titles.map((t, i) => (OPTION.test(cleanTitle(t)) ? i : -1)).filter((i) => i >= 0);
  if (opt.length >= 2) return { indexes: opt, reason: 'titles name options ("Option A", "Using …")' };
  // "<Platform> <same rest>": Kubernetes rollback / Docker Compose rollback
  const byRest = new Map<string, number[]>();
  titles.forEach((t, i) => {
    const c = cleanTitle(t.replace(/\([^)]*\)/g, ' ')).trim();
    const m = PLATFORM.exec(c);
    if (!m) return;
    const rest = c.slice(m[0].length).trim().toLowerCase();
    byRest.set(rest, [...(byRest.get(rest) ?? []), i]);
  });
  for (const [, idx] of byRest) if (idx.length >= 2) return { indexes: idx, reason: 'titles name different platforms for the same step' };
  return undefined;
}

// ---- gates --------------------------------------------------------------------------------------

const APPROVAL = /\b(?:approvals?|approved?|sign[- ]?offs?|signoffs?|authori[sz]ation|authori[sz]ed|go\s*\/\s*no[- ]?go|go[- ]no[- ]go)\b/i;
const BEFORE =
  /\bbefore\s+(?:(?:the|any|you|we|it|this|each)\s+){0,2}(?:deploy|releas|go(?:ing)?[- ]live|start|begin|proceed|roll(?:ing)?[- ]?out|change|cut(?:ting)?[- ]?over|execut|implement|upgrad|migrat|work|maintenance|run)\w*|\bprior to\b|^pre[- ]|^before\b/i;

/** An approval that must happen before deploying: its roles sign off the phase ahead of the deploy. */
export function gateReason(title: string, text: string): string | undefined {
  const t = cleanTitle(title);
  if (!APPROVAL.test(t)) return undefined;
  if (BEFORE.test(t)) return `title "${t}" says approval before the work`;
  const m = BEFORE.exec(text);
  return m ? `approval section says "${m[0]}"` : undefined;
}

/** A phase that does the change itself (not its preparation or its follow-up). */
export function isDeployPhaseTitle(title: string): boolean {
  const t = cleanTitle(title);
  if (
    /^(?:pre|post)[- ]|\b(?:before|after|planning|preparation|prep|readiness|verification|monitoring|validation|sign[- ]?off|cleanup)\b/i.test(
      t,
    )
  )
    return false;
  return /\b(?:deploy(?:ment|ing)?|release|rollout|roll-out|cut-?over|go-?live|launch|execution|execute|migration|change window|implementation|switch-?over|upgrade)\b/i.test(
    t,
  );
}
