// The dashboard's shell: hash routes, the header, the session token, and one live stream of
// events (/api/v1/events) that every page reads; polling when the stream is not available.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadSession, setToken, hasToken, subscribe } from './api.js';
import { html, ErrorBox } from './components.js';
import { Overview, loadTargets } from './pages/overview.js';
import { TargetPage } from './pages/target.js';
import { IncidentsPage } from './pages/incidents.js';
import { ReportPage } from './pages/report.js';
import { LogsPage } from './pages/logs.js';

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'target' && parts[1]) return { page: 'target', name: parts[1] };
  if (parts[0] === 'run' && parts[1]) return { page: 'run', id: parts[1] };
  if (parts[0] === 'incidents') return { page: 'incidents' };
  if (parts[0] === 'logs') return { page: 'logs' };
  return { page: 'overview' };
}

function useRoute() {
  const [route, setRoute] = useState(parseRoute());
  useEffect(() => {
    const on = () => { setRoute(parseRoute()); window.scrollTo(0, 0); };
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

const THEMES = ['system', 'light', 'dark'];
function ThemeToggle() {
  const [theme, setTheme] = useState(localStorage.getItem('mxdoctor.theme') || 'system');
  useEffect(() => {
    if (theme === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
    localStorage.setItem('mxdoctor.theme', theme);
  }, [theme]);
  const next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  return html`<button type="button" onClick=${() => setTheme(next)} aria-label=${`Theme: ${theme}. Switch to ${next}`}>Theme: ${theme}</button>`;
}

function TokenForm({ onSet }) {
  const [value, setValue] = useState('');
  return html`<form class="panel row" onSubmit=${(e) => { e.preventDefault(); setToken(value.trim()); onSet(); }}>
    <label>API token <input type="password" autocomplete="current-password" value=${value} onInput=${(e) => setValue(e.currentTarget.value)} /></label>
    <button class="primary" type="submit">Use token</button>
    <span class="small muted">This server needs its token (listen.token_env or token_file in its config). It is kept in this tab only.</span>
  </form>`;
}

function App() {
  const route = useRoute();
  const [session, setSession] = useState(null);
  const [targets, setTargets] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState('reconnecting');
  const [tick, setTick] = useState(0);
  const [jobEvent, setJobEvent] = useState(null);
  const [needToken, setNeedToken] = useState(false);

  const refreshTargets = () => loadTargets().then((t) => { setTargets(t); setError(null); }).catch((e) => {
    if (e.status === 401) setNeedToken(true);
    setError(e);
  });

  useEffect(() => {
    loadSession().then((s) => {
      setSession(s);
      if (s.tokenRequired && !hasToken()) setNeedToken(true);
      refreshTargets();
    }).catch(setError);
  }, []);

  useEffect(() => {
    if (!session) return undefined;
    const close = subscribe((kind, data) => {
      if (kind === 'target') setTargets((list) => (list ? upsert(list, data) : list));
      else if (kind === 'job') setJobEvent(data.job ?? data);
      else if (kind === 'run' || kind === 'incident' || kind === 'alert') setTick((n) => n + 1);
    }, setLive);
    return close;
  }, [session]);

  // Polling covers a stream that is not live (token-protected GET, proxy, reconnecting).
  useEffect(() => {
    const timer = setInterval(() => {
      if (live !== 'live') { refreshTargets(); setTick((n) => n + 1); }
    }, 30_000);
    return () => clearInterval(timer);
  }, [live]);

  const nav = [['#/', 'Overview', 'overview'], ['#/incidents', 'Incidents & SLA', 'incidents'], ['#/logs', 'Logs', 'logs']];
  return html`<div>
    <header class="top">
      <a class="brand" href="#/">mxdoctor</a>
      <nav aria-label="Pages">${nav.map(([href, label, page]) => html`<a href=${href} aria-current=${route.page === page ? 'page' : undefined}>${label}</a>`)}</nav>
      <span class="spacer"></span>
      ${session ? html`<span class="small muted">v${session.version}</span>` : null}
      <${ThemeToggle} />
    </header>
    ${needToken ? html`<main><${TokenForm} onSet=${() => { setNeedToken(false); refreshTargets(); }} /></main>` : null}
    ${!session && error ? html`<main><${ErrorBox} error=${error} /></main>` : null}
    ${route.page === 'overview' ? html`<${Overview} targets=${targets} error=${error} live=${live} />` : null}
    ${route.page === 'target' ? html`<${TargetPage} name=${route.name} refresh=${tick} jobEvent=${jobEvent} />` : null}
    ${route.page === 'incidents' ? html`<${IncidentsPage} refresh=${tick} />` : null}
    ${route.page === 'run' ? html`<${ReportPage} id=${route.id} />` : null}
    ${route.page === 'logs' ? html`<${LogsPage} refresh=${tick} />` : null}
  </div>`;
}

function upsert(list, t) {
  const i = list.findIndex((x) => x.name === t.name);
  if (i < 0) return [...list, t];
  const copy = list.slice();
  copy[i] = t;
  return copy;
}

render(html`<${App} />`, document.getElementById('app'));
