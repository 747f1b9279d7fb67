// `facts.send` of the report: the structured result of one send, for --json, the round
// trip (its `send` part) and later the monitor. Never holds a secret: no password, and the
// transcript was redacted as it was recorded.
import type { ComposedMessage, SubmitRequest, SubmitResult } from './types.js';

export function sendFacts(req: SubmitRequest, r: SubmitResult, message: Pick<ComposedMessage, 'messageId' | 'token'>, withTranscript = false): Record<string, unknown> {
  return {
    server: req.host, port: req.port, security: req.security, from: req.from, to: req.to,
    ...(req.auth ? { authUser: req.auth.user } : {}),
    accepted: r.accepted, queueId: r.queueId ?? null, finalReply: r.finalReply ?? null, steps: r.steps, tls: r.tls ?? null,
    acceptedRecipients: r.acceptedRecipients, rejectedRecipients: r.rejectedRecipients,
    messageId: message.messageId, token: message.token, size: r.size, address: r.address ?? null, ehlo: r.ehlo ?? null,
    startedAt: r.startedAt, totalMs: r.totalMs,
    ...(r.quitAfter ? { quitAfter: r.quitAfter } : {}),
    ...(r.failure ? { failure: r.failure } : {}),
    ...(withTranscript ? { transcript: r.transcript } : {}),
  };
}
