// One HTTP request to a test server through node:http, so that Host and Origin can be set
// (fetch forbids both): the status, headers, text, and the JSON when the body parses.
import http from 'node:http';

export interface HttpAnswer { status: number; headers: http.IncomingHttpHeaders; text: string; json: any }

export function httpRequest(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json: any;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode!, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
