// Silence a target's alerts for a while (they still fire and resolve in /alerts, they are only
// not delivered), and end an active silence. Needs the token like every state change.
import { useEffect, useState } from 'preact/hooks';
import { get, post, del } from '../api.js';
import { html, ErrorBox } from '../components.js';
import { when } from '../format.js';

const DURATIONS = [['1h', '1 hour'], ['4h', '4 hours'], ['1d', '1 day'], ['7d', '7 days']];

export function Silence({ name }) {
  const [silences, setSilences] = useState([]);
  const [duration, setDuration] = useState('1h');
  const [error, setError] = useState(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    get('/api/v1/silences')
      .then((d) => setSilences((d.silences || []).filter((s) => s.active && s.target === name)))
      .catch(setError);
  }, [name, version]);
  const add = async () => {
    setError(null);
    try {
      await post('/api/v1/silences', { target: name, rule: null, duration, comment: 'silenced from the dashboard' });
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };
  const end = async (id) => {
    setError(null);
    try {
      await del(`/api/v1/silences/${id}`);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };
  return html`<div class="row no-print" data-silences=${silences.length}>
    <label>Silence alerts for <select value=${duration} onChange=${(e) => setDuration(e.currentTarget.value)}>
      ${DURATIONS.map(([v, w]) => html`<option value=${v}>${w}</option>`)}</select></label>
    <button type="button" onClick=${add}>Silence</button>
    ${silences.map((s) => html`<span class="small" data-silence=${s.id}>silenced until ${when(s.endsAt)} <button type="button" onClick=${() => end(s.id)}>End silence</button></span>`)}
    <${ErrorBox} error=${error} />
  </div>`;
}
