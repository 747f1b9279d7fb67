// A load test's sessions keep no transcript: thousands of sessions would hold every line
// (memory growing with the message count) and the redaction work would cost throughput.
import { Transcript } from '../probes/transcript.js';

class QuietTranscript extends Transcript {
  override sent(): void {}
  override received(): void {}
  override event(): void {}
  override redactNext(): void {}
}

export const QUIET_TRANSCRIPT: Transcript = new QuietTranscript();
