// Writes the DATA payload in chunks, honouring back-pressure, with a deadline on each
// chunk: a server that stops reading (or drops the connection mid-DATA) ends as a typed
// failure, never a hang or a 25 MB buffer held in Node's socket queue.
import type net from 'node:net';

const CHUNK = 64 * 1024;

export type WriteResult = { ok: true; ms: number } | { ok: false; kind: 'timeout' | 'closed'; error: string; written: number; ms: number };

export async function writeData(socket: net.Socket, data: Buffer, stallTimeoutMs: number): Promise<WriteResult> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  for (let off = 0; off < data.length; off += CHUNK) {
    if (socket.destroyed || !socket.writable) return { ok: false, kind: 'closed', error: 'the server closed the connection during DATA', written: off, ms: ms() };
    const more = socket.write(data.subarray(off, off + CHUNK));
    if (more) continue;
    const drained = await new Promise<'drain' | 'closed' | 'timeout'>((resolve) => {
      const finish = (how: 'drain' | 'closed' | 'timeout') => {
        clearTimeout(timer);
        socket.off('drain', onDrain);
        socket.off('close', onClose);
        resolve(how);
      };
      const onDrain = () => finish('drain');
      const onClose = () => finish('closed');
      const timer = setTimeout(() => finish('timeout'), stallTimeoutMs);
      socket.on('drain', onDrain);
      socket.on('close', onClose);
    });
    if (drained === 'closed') return { ok: false, kind: 'closed', error: 'the server closed the connection during DATA', written: off, ms: ms() };
    if (drained === 'timeout') {
      return { ok: false, kind: 'timeout', error: `the server stopped reading the message (nothing drained for ${stallTimeoutMs} ms after ${off} bytes)`, written: off, ms: ms() };
    }
  }
  return { ok: true, ms: ms() };
}
