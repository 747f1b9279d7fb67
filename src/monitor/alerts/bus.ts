// Alert state changes as they happen (fired, resolved, a status change), for the event
// stream: the dashboard shows them without polling /api/v1/alerts. Repeats are not events.
import type { Notification } from './channels.js';

/** What the channels get, sent as it is (repeat is always false here). */
export type AlertEvent = Notification;

export class AlertBus {
  private readonly listeners = new Set<(e: AlertEvent) => void>();

  on(l: (e: AlertEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit(e: AlertEvent): void {
    for (const l of this.listeners) {
      try { l(e); } catch { /* a closed stream must not stop the alerts */ }
    }
  }
}
