// facts.load → `load.*` findings: the verdict against the thresholds (average reply under
// 500 ms, errors under 0.1% by default), throttling (temporary refusals, rising with the
// concurrency under --ramp), greeting delays, the ramp's knee, and the 2 × cores rule of thumb.
import { finding } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import type { LoadFacts, LoadStepFacts } from './facts.js';
import { LOAD } from './findings.js';
import { REPLY_PHASES } from './types.js';

/** A greeting slower than this (90th percentile) is a delay, not network latency. */
const GREETING_SLOW_MS = 1000;
/** With --ramp, a greeting median that grew this many times (and past 200 ms) is a delay too. */
const GREETING_GROWTH = 5;
/** Failed share from which load.errors is critical. */
const ERRORS_CRITICAL = 0.1;
/** A ramp step within this share of the best rate counts as having reached it. */
const KNEE_SHARE = 0.9;

const pct = (r: number) => `${(r * 100).toFixed(r && r < 0.001 ? 3 : 2)}%`;
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : Math.round(v)} ms`;

export function judgeLoad(f: LoadFacts): Finding[] {
  const out: Finding[] = [];
  const done = f.accepted + f.failed;
  const subject = `${f.target}:${f.port}`;
  if (f.stop === 'unreachable' && !f.accepted) {
    const first = f.errors[0];
    out.push(finding(LOAD.unreachable, { subject, detail: first ? `At ${first.step}: ${first.sample}` : undefined, evidence: { errors: f.errors.slice(0, 5) } }));
    return out;
  }
  if (f.stop === 'aborted') {
    out.push(finding(LOAD.interrupted, { subject, severity: done ? 'warning' : 'unknown', detail: `Stopped after ${done} messages in ${(f.durationMs / 1000).toFixed(1)} s.` }));
  }
  if (!done) return out;
  out.push(finding(LOAD.result, {
    subject,
    detail: `${f.accepted} of ${done} messages accepted in ${(f.durationMs / 1000).toFixed(1)} s: ${f.ratePerSecond} messages/s at concurrency ${f.concurrency}${f.steps ? ' (ramp, all steps)' : ''}, ${f.connections} connections, average reply ${ms(f.averageReplyMs)}${f.pipelining ? ', PIPELINING used' : f.pipelining === false ? ', no PIPELINING offered' : ''}.`,
    evidence: { ratePerSecond: f.ratePerSecond, accepted: f.accepted, failed: f.failed, averageReplyMs: f.averageReplyMs },
  }));
  // With --ramp the verdict is the knee's: the highest steps are expected to be past it.
  const judged = f.steps ? kneeOf(f) ?? f.steps[0]! : f;
  const slow = judged.averageReplyMs > f.thresholds.averageReplyMs;
  const failing = judged.errorRate > f.thresholds.errorRate;
  if (slow) {
    const worst = REPLY_PHASES.filter((p) => judged.phases[p]).sort((a, b) => judged.phases[b]!.mean - judged.phases[a]!.mean)[0];
    out.push(finding(LOAD.slowReplies, {
      subject, detail: `Average reply ${ms(judged.averageReplyMs)} (threshold ${f.thresholds.averageReplyMs} ms) at concurrency ${judged.concurrency}${worst ? `; slowest phase ${worst}: mean ${ms(judged.phases[worst]!.mean)}, p99 ${ms(judged.phases[worst]!.p99)}` : ''}.`,
      evidence: { averageReplyMs: judged.averageReplyMs, thresholdMs: f.thresholds.averageReplyMs },
    }));
  }
  if (failing) {
    const top = f.errors.slice(0, 3).map((e) => `${e.count} × ${e.step} ${e.code ?? e.kind ?? ''}${e.enhanced ? ` ${e.enhanced}` : ''} (${e.meaning.split('. ')[0]})`).join('; ');
    out.push(finding(LOAD.errors, {
      subject, severity: judged.errorRate >= ERRORS_CRITICAL ? 'critical' : 'warning',
      detail: `${pct(judged.errorRate)} of messages failed (threshold ${pct(f.thresholds.errorRate)}) at concurrency ${judged.concurrency}: ${top}.`,
      evidence: { errorRate: judged.errorRate, errors: f.errors.slice(0, 10) },
    }));
  }
  if (!slow && !failing) {
    out.push(finding(LOAD.withinThresholds, { subject, detail: `Average reply ${ms(judged.averageReplyMs)} < ${f.thresholds.averageReplyMs} ms and ${pct(judged.errorRate)} failed < ${pct(f.thresholds.errorRate)} at concurrency ${judged.concurrency}.` }));
  }
  const throttle = throttling(f);
  if (throttle) out.push(finding(LOAD.throttled, { subject, detail: throttle.detail, evidence: throttle.evidence }));
  const greeting = greetingDelay(f);
  if (greeting) out.push(finding(LOAD.greetingDelay, { subject, detail: greeting }));
  if (f.steps) {
    const knee = kneeOf(f);
    if (knee) out.push(finding(LOAD.knee, { subject, detail: `Concurrency ${knee.concurrency}: ${knee.ratePerSecond} messages/s, average reply ${ms(knee.averageReplyMs)}, ${pct(knee.errorRate)} failed. Steps: ${f.steps.map((s) => `${s.concurrency} → ${s.ratePerSecond}/s`).join(', ')}.`, evidence: { knee: knee.concurrency, steps: f.steps.map((s) => ({ concurrency: s.concurrency, ratePerSecond: s.ratePerSecond, averageReplyMs: s.averageReplyMs, errorRate: s.errorRate })) } }));
    else out.push(finding(LOAD.noKnee, { subject, detail: `At concurrency ${f.steps[0]!.concurrency} already: average reply ${ms(f.steps[0]!.averageReplyMs)}, ${pct(f.steps[0]!.errorRate)} failed.` }));
    if (f.rampCutShort) out.push(finding(LOAD.rampCutShort, { subject, detail: `Stopped after concurrency ${f.rampCutShort.atConcurrency}.` }));
  }
  out.push(finding(LOAD.guidance, { subject, detail: guidance(f) }));
  return out;
}

/** The lowest acceptable step that reached 90% of the best acceptable rate. */
export function kneeOf(f: LoadFacts): LoadStepFacts | undefined {
  const ok = (f.steps ?? []).filter((s) => s.averageReplyMs <= f.thresholds.averageReplyMs && s.errorRate <= f.thresholds.errorRate && s.accepted > 0);
  const best = Math.max(0, ...ok.map((s) => s.ratePerSecond));
  return ok.find((s) => s.ratePerSecond >= best * KNEE_SHARE);
}

function throttling(f: LoadFacts): { detail: string; evidence: Record<string, unknown> } | undefined {
  const temp = f.errors.filter((e) => e.code !== undefined && e.code >= 400 && e.code < 500);
  const closes = temp.filter((e) => e.code === 421).reduce((n, e) => n + e.count, 0);
  const deferred = temp.reduce((n, e) => n + e.count, 0);
  const codes = temp.slice(0, 4).map((e) => `${e.count} × ${e.code}${e.enhanced ? ` ${e.enhanced}` : ''} at ${e.step}`).join(', ');
  const steps = f.steps ?? [];
  const rising = steps.length >= 2 && steps[steps.length - 1]!.tempFailRate > Math.max(0.005, 2 * steps[0]!.tempFailRate);
  if (rising) {
    return {
      detail: `Temporary refusals rose with the concurrency: ${steps.map((s) => `${pct(s.tempFailRate)} at ${s.concurrency}`).join(', ')} (${codes}).`,
      evidence: { steps: steps.map((s) => ({ concurrency: s.concurrency, tempFailRate: s.tempFailRate })), replies: temp },
    };
  }
  const done = f.accepted + f.failed;
  if (!closes && (!done || f.tempFailed / done <= f.thresholds.errorRate)) return undefined;
  return {
    detail: `${deferred} temporary refusals${closes ? `, ${closes} of them 421 (the server closing the connection)` : ''}: ${codes}.`,
    evidence: { tempFailRate: f.tempFailRate, replies: temp },
  };
}

function greetingDelay(f: LoadFacts): string | undefined {
  const g = f.phases.greeting;
  if (g && g.p90 > GREETING_SLOW_MS) return `Greeting p50 ${ms(g.p50)}, p90 ${ms(g.p90)}, max ${ms(g.max)} (connect p90 ${ms(f.phases.connect?.p90 ?? 0)}).`;
  const steps = f.steps ?? [];
  const first = steps[0]?.phases.greeting;
  const last = steps[steps.length - 1]?.phases.greeting;
  if (first && last && steps.length >= 2 && last.p50 > 200 && last.p50 > GREETING_GROWTH * first.p50) {
    return `Greeting median ${ms(first.p50)} at concurrency ${steps[0]!.concurrency}, ${ms(last.p50)} at ${steps[steps.length - 1]!.concurrency}.`;
  }
  return undefined;
}

function guidance(f: LoadFacts): string {
  const rule = 'Rule of thumb: about 2 concurrent SMTP sessions per server CPU core';
  const knee = f.steps ? kneeOf(f) : undefined;
  const measured = knee ? ` Measured here: the rate stopped growing at concurrency ${knee.concurrency}.` : '';
  if (!f.serverCores) return `${rule} (the server's cores are not known from here: give --server-cores). Tested at ${f.concurrency}.${measured}`;
  const c = 2 * f.serverCores;
  return `${rule}: ${f.serverCores} cores → about ${c}. Tested at ${f.concurrency}${f.concurrency > c ? ', above it' : ''}.${measured}`;
}
