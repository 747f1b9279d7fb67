// GET /api/v1/events: server-sent events (run, target, job, incident, alert) so a page updates itself;
// a comment every 15 s keeps proxies from closing the stream. No replay: refetch on reconnect.
import type { Monitor } from '../monitor.js';
import { targetOverview } from '../overview.js';
import { STREAMED } from './router.js';
import type { Ctx } from './router.js';

export function openEvents(c: Ctx, m: Monitor): typeof STREAMED {
  const { res, req } = c;
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Content-Type-Options': 'nosniff' });
  res.write(': mxdoctor events\n\n');
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const offJobs = m.scheduler.jobs.subscribe((j) => send('job', j));
  const offRuns = m.onRun((e) => {
    send('run', { id: e.stored.id, target: e.target.name, startedAt: e.report.startedAt, durationMs: e.report.durationMs, status: e.report.status, exitCode: e.report.exitCode, trigger: e.trigger });
    if (e.stored.incidentOpened || e.stored.incidentClosed) send('incident', { target: e.target.name, open: e.stored.incidentOpened, runId: e.stored.id });
    // The overview entry after the run, so a page need not refetch the whole list.
    void targetOverview(m, e.target, Date.now()).then((o) => send('target', o), () => undefined);
  });
  // An alert fired, resolved, or a status change rule matched (repeats are not sent).
  const offAlerts = m.alertEvents.on((a) => send('alert', a));
  const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000).unref();
  const close = () => {
    clearInterval(beat);
    offJobs();
    offRuns();
    offAlerts();
  };
  req.on('close', close);
  res.on('error', close);
  return STREAMED;
}
