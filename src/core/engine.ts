// The run engine: one engine, two front ends (Ink TUI and headless). Every operator action goes
// through here: gates are checked, the event is appended durably by the Persistence, and only
// then does the view update. The engine does no I/O itself.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Checklist, Item } from './model.js';
import { enterOf, isAutomated, isCheck } from './kinds.js';
import type { EventBody, ItemResult, OverrideKind, RunEvent } from './events.js';
import type { RunState } from './state.js';
import type { Executor, ItemHandle, RunHooks } from './executor.js';
import { findItem, gatesForManual, gatesForRun, gatesForSignoff, itemState, type Gate } from './policy.js';
import { Tail } from './tail.js';
import { safeLine } from './safe-text.js';
import { UserError } from './errors.js';
import { validateRecord } from './record.js';
import { applicability, appliesNow } from './state.js';
import { describeKept, keptRunning, type KeptInfo } from './kept.js';
import { fillItem } from './interpolate.js';
import { isSecretName } from './redact.js';
import { allItems } from './model.js';

export interface Persistence {
  readonly state: RunState;
  readonly readOnly: boolean;
  append(body: EventBody): Promise<RunEvent>;
  /** Where a log named in a result lives (shown to the operator). */
  logPath?(name: string): string;
  /**
   * Team stores (several operators, one run): takes an item for this session just before it
   * starts, held (a renewed lease) until release after it ends. Refused: another session runs it.
   */
  claim?(item: string): Promise<{ ok: true } | { ok: false; holder: ClaimHolder }>;
  release?(item: string): Promise<void>;
}

/** Who holds an item's claim: the operator, and where their session runs. */
export interface ClaimHolder {
  name: string;
  user: string;
  host: string;
  pid?: number;
}

export interface LiveOutput {
  tail: Tail;
  startedAt: number;
  progress?: string;
}

/**
 * The run's fold as a front end sees it. The store folds events into one RunState in place, so
 * this wrapper is what changes identity: a new one on every durable change, for selectors.
 */
export interface RunFold {
  readonly state: RunState;
  readonly lastEvent?: RunEvent;
}

export interface EngineView {
  /** Replaced on every durable state change (and when a secret var is given). */
  fold: RunFold;
  /** Live output by item: an item's entry is replaced (throttled) when its output or progress changes. */
  live: Readonly<Record<string, LiveOutput>>;
  lastEvent?: RunEvent;
  error?: string;
}

export class GateError extends UserError {
  constructor(readonly gate: Gate) {
    super(gate.message);
  }
}

// Screen updates for streaming output at most this often: a flood must not starve key handling.
const LIVE_THROTTLE_MS = 100;

export class RunEngine {
  readonly view: StoreApi<EngineView>;
  readonly live = new Map<string, LiveOutput>();
  private readonly handles = new Map<string, ItemHandle>();
  /** Asked to run, process not started yet (reserved, or gates and item.started being written). */
  private readonly starting = new Set<string>();
  /** Of those, reserved by the operator and still answering questions: runItem not called yet. */
  private readonly reserved = new Set<string>();
  /** Stopped (Ctrl-C) while starting: never started if still reserved, else stopped the moment the process exists. */
  private readonly stopAsked = new Set<string>();
  /** Items being interrupted, and whether their process is left running or stopped. */
  private readonly interrupting = new Map<string, 'running' | 'stopped'>();
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Items whose live output changed since the view last showed it. */
  private readonly liveDirty = new Set<string>();
  /** Woken whenever an item's handle ends or its run or interruption settles (see until()). */
  private readonly settleWaiters = new Set<() => void>();
  /** runItem calls under way: from the start being written to the result being recorded. */
  private inFlight = 0;
  private interruptReason = '';
  private interruption: Promise<void> | null = null;
  /** Recorded interrupted by interrupt() after its deadline, before the item itself ended. */
  private readonly overdue = new Set<string>();
  askNumber?: RunHooks['askNumber'];
  /** Secret vars' values given during this process: never written anywhere, so asked again after a resume. */
  private readonly secretVars = new Map<string, string>();
  /** Told each secret value given during the run, so every front end masks it from then on. */
  onSecretValue?: (value: string) => void;
  /**
   * A team run (several sessions on one run): a sign-off can only be given in the signer's own
   * session, so it is signed with this session's operator name and no other.
   */
  signsAs?: string;
  /** Items this session claimed from a team store (Persistence.claim), released when they end. */
  private readonly claimed = new Set<string>();

  constructor(
    readonly checklist: Checklist,
    private readonly store: Persistence,
    private readonly executor: Executor,
  ) {
    this.view = createStore<EngineView>(() => ({ fold: { state: store.state }, live: {} }));
  }

  get state(): RunState {
    return this.store.state;
  }
  get readOnly(): boolean {
    return this.store.readOnly;
  }

  running(): string[] {
    return [...this.handles.keys()];
  }

  /** Items asked to run whose process has not started yet. */
  pending(): string[] {
    return [...this.starting];
  }

  /**
   * The operator asked to run `id` (Enter) and is answering its questions: from now on it counts
   * as starting, so a second Enter is refused and Ctrl-C means it never starts. false: it is
   * already running or starting. Ends with runItem(id) or release(id).
   */
  reserve(id: string): boolean {
    this.locate(id);
    if (this.handles.has(id) || this.starting.has(id)) return false;
    this.starting.add(id);
    this.reserved.add(id);
    return true;
  }

  /** A reservation that did not become a run (cancelled, stopped, refused) ends here. */
  release(id: string): void {
    if (!this.reserved.delete(id)) return;
    this.starting.delete(id);
    this.stopAsked.delete(id);
  }

  /** Ctrl-C reached a reserved item before it was run: it must not start at all. */
  stopRequested(id: string): boolean {
    return this.reserved.has(id) && this.stopAsked.has(id);
  }

  private locate(id: string) {
    const f = findItem(this.checklist, id);
    if (!f) throw new UserError(`unknown item "${id}"`);
    return f;
  }

  /** A read-only view: events another process appended are in the store's state; redraw. */
  showAppended(events: readonly RunEvent[]): void {
    if (!events.length) return;
    const lastEvent = events[events.length - 1];
    this.view.setState({ fold: { state: this.state, lastEvent }, lastEvent });
  }

  /** Appends durably, then tells the view. The only path by which state changes. */
  async emit(body: EventBody): Promise<RunEvent> {
    try {
      const e = await this.store.append(body);
      this.view.setState((v) => ({ fold: { state: this.state, lastEvent: e }, lastEvent: e, error: undefined, ...this.liveChanges(v) }));
      return e;
    } catch (err) {
      this.view.setState({ error: (err as Error).message });
      throw err;
    }
  }

  /**
   * An item gated by `when: {answer}` acts only when its choice was answered so: n/a items never
   * run, and before the choice is answered acting is refused (not asked as an out-of-order
   * reason): running the docker-compose rollback because the operator typed a reason at 2 a.m.,
   * before saying which rollback applies, is exactly the mistake the choice exists to prevent.
   */
  assertApplies(item: Item): void {
    const a = applicability(item, this.state);
    if ('waiting' in a)
      throw new UserError(`answer "${a.waiting}" first: "${item.title}" applies only if it is ${item.when!.answer!.is.join(' or ')}`);
    if (!a.applies) throw new UserError(`"${item.title}" does not apply (n/a): ${a.reason}`);
  }

  gates(id: string): Gate[] {
    const { item, phase } = this.locate(id);
    this.assertApplies(item);
    return isAutomated(item) ? gatesForRun(this.checklist, phase, item, this.state) : gatesForManual(this.checklist, phase, this.state);
  }

  signoffGates(phaseId: string): Gate[] {
    const phase = this.phase(phaseId);
    return gatesForSignoff(phase, this.state);
  }

  private phase(phaseId: string) {
    const phase = [...this.checklist.phases, ...(this.checklist.rollback ? [this.checklist.rollback] : [])].find((p) => p.id === phaseId);
    if (!phase) throw new UserError(`unknown phase "${phaseId}"`);
    return phase;
  }

  /** Records the reason-gates' overrides; throws GateError for a gate that lacks an answer. */
  private async passGates(gates: Gate[], answers: { reason?: string; confirmed?: boolean }, ctx: { item?: string; phase?: string }) {
    for (const g of gates) {
      if (g.kind === 'confirm' && !answers.confirmed) throw new GateError(g);
      if (g.kind === 'resolve') throw new GateError(g);
      if (g.kind === 'reason') {
        if (!answers.reason?.trim()) throw new GateError(g);
        await this.emit({ type: 'override', kind: g.override, reason: answers.reason.trim(), ...ctx });
      }
    }
  }

  /** Values given during the run for vars declared without one: recorded (var.set), and this process's secrets. */
  runtimeVars(): Record<string, string> {
    return { ...(this.state.vars ?? {}), ...Object.fromEntries(this.secretVars) };
  }

  /** The vars `id` uses that have no value yet: asked (TUI) or taken from --answers (headless) before it runs. */
  missingVars(id: string): string[] {
    const values = this.runtimeVars();
    return (this.locate(id).item.needs ?? []).filter((n) => values[n] === undefined);
  }

  isSecretVar(name: string): boolean {
    return isSecretName(name, this.checklist.secrets);
  }

  /**
   * A value for a var declared without one. Durable before anything uses it (var.set); a secret's
   * value is never written to the log at all — kept in memory, masked from now on, asked again
   * after a resume.
   */
  async setVar(name: string, value: string): Promise<void> {
    if (!allItems(this.checklist).some((it) => it.needs?.includes(name)))
      throw new UserError(`\${${name}} is not a variable this run asks for`);
    if (this.isSecretVar(name)) {
      this.onSecretValue?.(value);
      this.secretVars.set(name, value);
      this.view.setState((v) => ({ fold: { ...v.fold } }));
      return;
    }
    await this.emit({ type: 'var.set', name, value });
  }

  /** The item as it will run: vars given during the run filled in (the confirm prompt shows this). */
  filled(id: string): Item {
    return fillItem(this.locate(id).item, this.runtimeVars(), (n) => this.isSecretVar(n));
  }

  /** Runs an automated item. Resolves with its result (never rejects for command failures). */
  async runItem(id: string, answers: { reason?: string; confirmed?: boolean } = {}): Promise<ItemResult> {
    const { item, phase } = this.locate(id);
    // Run by the one who reserved it, or by nobody else.
    if (this.handles.has(id) || (this.starting.has(id) && !this.reserved.has(id)))
      throw new UserError(`"${item.title}" is already running`);
    if (!isAutomated(item)) throw new UserError(`"${item.title}" is not something runsheet runs: tick or record it`);
    this.refuseWhileKept(id);
    this.reserved.delete(id);
    this.starting.add(id);
    this.inFlight++;
    try {
      return await this.startAndWait(id, item, phase.id, answers);
    } finally {
      if (this.claimed.delete(id)) await this.store.release?.(id).catch(() => {});
      this.inFlight--;
      this.starting.delete(id);
      this.stopAsked.delete(id);
      // An interruption that caught the item before its process existed is settled either way.
      this.interrupting.delete(id);
      this.settled();
    }
  }

  private async startAndWait(
    id: string,
    declared: Item,
    phaseId: string,
    answers: { reason?: string; confirmed?: boolean },
  ): Promise<ItemResult> {
    // Never `git checkout ` with the hash left out: a var without a value stops the item here.
    const missing = this.missingVars(id);
    if (missing.length)
      throw new UserError(
        `"${declared.title}" needs a value for ${missing.map((n) => `\${${n}}`).join(', ')}: pass ${missing.map((n) => `--set ${n}=…`).join(' ')}, or give it when asked`,
      );
    await this.passGates(this.gates(id), answers, { phase: phaseId, item: id });
    // The choice may have been re-recorded while the gates' overrides were being written.
    this.assertApplies(declared);
    const item = this.filled(id);
    // After an interruption nothing new starts: a parallel-checks worker would otherwise start
    // the next check while runsheet is recording the interruption and exiting.
    if (this.interruptReason) throw new UserError(`runsheet is stopping (${this.interruptReason}): "${item.title}" was not started`);
    // Taken before anything shows it starting (a refused claim leaves no live output behind).
    await this.claimItem(id, item.title);
    const attempt = itemState(this.state, id).attempts + 1;
    const live: LiveOutput = { tail: new Tail(64 * 1024), startedAt: Date.now() };
    this.live.set(id, live);
    // Shown with item.started: not the previous attempt's output.
    this.liveDirty.add(id);
    const describe =
      item.action.kind === 'run'
        ? { command: item.action.command }
        : item.action.kind === 'http'
          ? { request: `${item.action.http.method} ${item.action.http.url}` }
          : {};
    await this.emit({ type: 'item.started', item: id, attempt, ...describe });
    if (this.interruptReason) {
      // The stop came while the start was being written: the command never starts, and the
      // log says so (otherwise it would show a start with no end, and the process would be
      // spawned by a runsheet that is already exiting).
      const notStarted: ItemResult = { ok: false, summary: `not started: runsheet stopped (${this.interruptReason})`, durationMs: 0 };
      await this.emit({ type: 'item.interrupted', item: id, result: notStarted, left: 'stopped' });
      return notStarted;
    }
    const handle = this.executor.start(item, attempt, {
      onOutput: (t) => {
        live.tail.push(t);
        this.scheduleLive(id);
      },
      onProgress: (p) => {
        live.progress = p;
        this.scheduleLive(id);
      },
      askNumber: this.askNumber,
      emit: (body) => this.emit(body),
      snapshotFile: (label) => this.state.snapshots[label]?.file,
    });
    this.handles.set(id, handle);
    this.starting.delete(id);
    if (this.stopAsked.delete(id)) handle.stop();
    const result = await handle.done;
    this.handles.delete(id);
    this.settled();
    // Already recorded as interrupted when it would not stop in time: nothing more to say.
    if (this.overdue.delete(id)) return { ...result, ok: false };
    const left = this.interrupting.get(id);
    if (left) {
      // The command's own summary ("stopped by the operator", "killed by a signal") would misstate why.
      const summary =
        left === 'running'
          ? `left running when runsheet stopped (${this.interruptReason}); its output goes on into the log`
          : `stopped when runsheet stopped (${this.interruptReason})`;
      const interrupted = { ...result, ok: false, summary };
      await this.emit({ type: 'item.interrupted', item: id, result: interrupted, left });
      // Only now: interrupt() waits on this entry, and run.interrupted must come after this event.
      this.interrupting.delete(id);
      this.settled();
      return interrupted;
    }
    const type = result.ok ? 'item.passed' : result.verdict === 'warn' ? 'item.warned' : 'item.failed';
    await this.emit({ type, item: id, result });
    return result;
  }

  /** Another operator's session runs it (a team store): refused here, naming who and where. */
  private async claimItem(id: string, title: string): Promise<void> {
    if (!this.store.claim) return;
    const c = await this.store.claim(id);
    if (!c.ok) {
      // Names and hosts come from another operator's session: shown, so never with a control sequence.
      const h = { name: safeLine(c.holder.name), user: safeLine(c.holder.user), host: safeLine(c.holder.host), pid: c.holder.pid };
      throw new UserError(
        `"${title}" is taken by ${h.name} (${h.user}@${h.host}${h.pid ? `, pid ${h.pid}` : ''}): it runs in their session, not here`,
      );
    }
    this.claimed.add(id);
  }

  /** Runs read-only checks in parallel, at most `jobs` at a time. Actions are refused. */
  async runChecks(ids: string[], jobs: number, answers: { reason?: string } = {}): Promise<Map<string, ItemResult>> {
    const busy = (id: string) => this.handles.has(id) || this.starting.has(id) || keptRunning(this.keptProcess(id));
    // Bulk runs leave out what does not apply (n/a, or waiting on a choice): never an error.
    // …and checks that still need a var's value: each is asked for when it is run on its own.
    const checks = ids
      .map((id) => this.locate(id).item)
      .filter((it) => isCheck(it) && !busy(it.id) && appliesNow(it, this.state) && !this.missingVars(it.id).length);
    const results = new Map<string, ItemResult>();
    let next = 0;
    const worker = async () => {
      while (next < checks.length) {
        const it = checks[next++];
        // Started meanwhile (the operator pressed Enter on it): that run is theirs, not the bulk's.
        if (busy(it.id)) continue;
        results.set(it.id, await this.runItem(it.id, { ...answers, confirmed: true }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, checks.length) }, worker));
    return results;
  }

  /** Ctrl-C on a running item: stop its process group. */
  stop(id: string): void {
    const h = this.handles.get(id);
    if (h) h.stop();
    else if (this.starting.has(id)) this.stopAsked.add(id);
  }

  async tick(id: string, answers: { reason?: string } = {}): Promise<void> {
    const { item, phase } = this.locate(id);
    const enter = enterOf(item);
    if (enter !== 'tick') throw new UserError(`"${item.title}" is not a manual item: ${enter === 'record' ? 'record a value' : 'run it'}`);
    await this.passGates(this.gates(id), answers, { phase: phase.id, item: id });
    await this.emit({ type: 'item.ticked', item: id });
  }

  async untick(id: string): Promise<void> {
    const { item } = this.locate(id);
    if (itemState(this.state, id).status !== 'ticked') throw new UserError(`"${item.title}" is not ticked`);
    await this.emit({ type: 'item.unticked', item: id });
  }

  async skip(id: string, reason: string): Promise<void> {
    const { item } = this.locate(id);
    if (!reason.trim()) throw new UserError(`skipping "${item.title}" needs a reason`);
    // Waiting on its choice may be skipped (the operator knows it is moot); n/a is already done.
    const a = applicability(item, this.state);
    if ('applies' in a && !a.applies) throw new UserError(`"${item.title}" does not apply (n/a): ${a.reason}`);
    if (this.handles.has(id)) throw new UserError(`"${item.title}" is running: stop it first`);
    await this.emit({ type: 'item.skipped', item: id, reason: reason.trim() });
  }

  async record(id: string, raw: string, answers: { reason?: string } = {}): Promise<void> {
    const { item, phase } = this.locate(id);
    if (item.action.kind !== 'record') throw new UserError(`"${item.title}" does not take a recorded value`);
    const value = validateRecord(item.action, raw);
    if ('error' in value) throw new UserError(value.error);
    await this.passGates(this.gates(id), answers, { phase: phase.id, item: id });
    await this.emit({ type: 'item.recorded', item: id, value: value.value, unit: item.action.unit });
  }

  async note(text: string, id?: string): Promise<void> {
    if (!text.trim()) return;
    if (id) this.locate(id);
    await this.emit({ type: 'note', item: id, text: text.trim() });
  }

  /** Accept a failed item or acknowledge a warn, with a reason. */
  async accept(id: string, reason: string): Promise<void> {
    const st = itemState(this.state, id).status;
    const kind: OverrideKind = st === 'warn' ? 'warn-acknowledged' : 'failed-accepted';
    if (st !== 'failed' && st !== 'warn') throw new UserError('only a failed or warning item can be accepted');
    if (!reason.trim()) throw new UserError('accepting needs a reason');
    await this.emit({ type: 'override', kind, item: id, phase: this.locate(id).phase.id, reason: reason.trim() });
  }

  /**
   * An interrupted item whose command was left running: is it still running, and if not, how
   * did it end? null when nothing was left running (or the executor cannot tell).
   */
  keptProcess(id: string): KeptInfo | null {
    const st = itemState(this.state, id);
    const kept = st.status === 'interrupted' ? st.result?.kept : undefined;
    if (!kept || !this.executor.keptStatus) return null;
    const log = st.result?.stdout?.log;
    return {
      kept,
      status: this.executor.keptStatus(this.item(id), st.attempts, kept),
      since: st.startedAt,
      ...(log ? { log: this.store.logPath?.(log) ?? log } : {}),
    };
  }

  /** Running an item again beside the copy of it left running (on_disconnect: keep) is refused. */
  private refuseWhileKept(id: string): void {
    const kept = this.keptProcess(id);
    if (kept && keptRunning(kept))
      throw new UserError(
        `"${this.item(id).title}" cannot run again: the copy left running when runsheet stopped is ${describeKept(kept, new Date())}`,
      );
  }

  /** The operator's answer for an interrupted action: never re-run automatically. */
  async resolve(id: string, outcome: 'passed' | 'failed' | 'rerun', reason: string): Promise<void> {
    if (itemState(this.state, id).status !== 'interrupted') throw new UserError('only an interrupted item needs resolving');
    // A second copy alongside the one still running is never what the operator wants.
    if (outcome === 'rerun') this.refuseWhileKept(id);
    await this.emit({ type: 'item.resolved', item: id, outcome, reason: reason.trim() || 'operator answer' });
  }

  async signoff(phaseId: string, name: string, role: string, answers: { reason?: string } = {}): Promise<void> {
    const phase = this.phase(phaseId);
    if (!name.trim()) throw new UserError('a sign-off needs a name');
    if (this.signsAs !== undefined && name.trim() !== this.signsAs)
      throw new UserError(
        `in a team run a sign-off is given from the signer's own session: ${name.trim()} signs with \`runsheet join ${this.state.runId} --operator "${name.trim()}"\` and g`,
      );
    if (!phase.signoff.includes(role))
      throw new UserError(`"${role}" is not a sign-off role of "${phase.title}" (roles: ${phase.signoff.join(', ') || 'none'})`);
    if ((this.state.signoffs[phaseId] ?? []).some((s) => s.role === role))
      throw new UserError(`"${phase.title}" is already signed off as ${role}`);
    await this.passGates(this.signoffGates(phaseId), answers, { phase: phaseId });
    await this.emit({ type: 'signoff', phase: phaseId, name: name.trim(), role });
  }

  /** An override recorded on its own (moving on to a later phase past failed critical items). */
  async override(kind: OverrideKind, reason: string, where: { item?: string; phase?: string }): Promise<void> {
    if (!reason.trim()) throw new UserError('an override needs a reason');
    await this.emit({ type: 'override', kind, reason: reason.trim(), ...where });
  }

  async startRollback(reason: string): Promise<void> {
    if (!this.checklist.rollback) throw new UserError('this checklist has no rollback track');
    if (!reason.trim()) throw new UserError('switching to rollback needs a reason');
    await this.emit({ type: 'rollback.started', reason: reason.trim() });
  }

  async finish(status: 'passed' | 'failed' | 'incomplete'): Promise<void> {
    await this.emit({ type: 'run.finished', status });
  }

  /**
   * Terminal lost (SIGHUP) or SIGTERM: stop or abandon running items per on_disconnect, record
   * their partial results, then record the interruption. `leaveRunning`: the operator quit and
   * chose to leave running commands running (their outcome is asked on resume).
   */
  interrupt(reason: string, graceMs = 5000, leaveRunning = false): Promise<void> {
    // One interruption per engine: a lost terminal during the operator's "quit, leave it
    // running" (or a second signal) waits for the one under way instead of recording another.
    this.interruption ??= this.interruptOnce(reason, graceMs, leaveRunning);
    return this.interruption;
  }

  private async interruptOnce(reason: string, graceMs: number, leaveRunning: boolean): Promise<void> {
    this.interruptReason = reason;
    const running = this.running();
    for (const id of running) {
      const { item } = this.locate(id);
      const h = this.handles.get(id)!;
      const keep = leaveRunning || item.on_disconnect === 'keep';
      this.interrupting.set(id, keep ? 'running' : 'stopped');
      if (keep) h.abandon();
      else h.stop();
    }
    // Items whose start is being written have no process yet: they see interruptReason and end
    // as "not started" (or stop before their gates); wait for those too. Reserved ones are still
    // at a question: runItem will refuse them now, so there is nothing to wait for.
    const starting = [...this.starting].filter((id) => !this.reserved.has(id));
    for (const id of starting) this.interrupting.set(id, 'stopped');
    const ended = (id: string) => !this.handles.has(id) && !this.interrupting.has(id);
    await this.until(() => [...running, ...starting].every(ended), graceMs + 3000);
    // An item whose process would not end in time still gets its one item.interrupted (the
    // process is about to lose its parent anyway); its own ending, should it come, is dropped.
    for (const [id, left] of [...this.interrupting]) {
      // (Only started ones: one still at its start has recorded nothing that needs an ending.)
      if (!running.includes(id)) continue;
      this.interrupting.delete(id);
      this.overdue.add(id);
      const result: ItemResult = {
        ok: false,
        summary: `${left === 'running' ? 'left running' : 'did not stop in time'} when runsheet stopped (${reason}): its outcome is unknown`,
        durationMs: 0,
      };
      await this.emit({ type: 'item.interrupted', item: id, result, left });
    }
    await this.emit({ type: 'run.interrupted', reason, running });
  }

  /**
   * Resolves true once nothing runs: no item's process, and every item run has its ending
   * recorded (one whose questions are still being answered does not count); false after
   * `timeoutMs`. Woken by items ending, not by polling.
   */
  whenIdle(timeoutMs: number): Promise<boolean> {
    return this.until(() => this.inFlight === 0, timeoutMs);
  }

  /** Resolves true when `done()` holds, checked now and each time an item settles; false after `timeoutMs`. */
  private until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        this.settleWaiters.delete(check);
        clearTimeout(timer);
        resolve(ok);
      };
      const check = () => done() && finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.settleWaiters.add(check);
    });
  }

  private settled(): void {
    for (const check of [...this.settleWaiters]) check();
  }

  private scheduleLive(id: string): void {
    this.liveDirty.add(id);
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = null;
      if (this.liveDirty.size) this.view.setState((v) => this.liveChanges(v));
    }, LIVE_THROTTLE_MS);
  }

  /** The live output changed since the view last had it: a new entry per changed item, so a screen showing another item is not redrawn. */
  private liveChanges(v: EngineView): Partial<EngineView> {
    if (!this.liveDirty.size) return {};
    const live = { ...v.live };
    for (const k of this.liveDirty) {
      const l = this.live.get(k);
      if (l) live[k] = { ...l };
    }
    this.liveDirty.clear();
    return { live };
  }

  item(id: string): Item {
    return this.locate(id).item;
  }
}
