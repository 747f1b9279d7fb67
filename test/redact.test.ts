// The Redactor: every form of a secret, any case, before a cut, deep in structures.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Redactor, REDACTED } from '../src/core/redact.js';
import { secretLeaks } from './helpers/secret-leaks.js';

const PW = 'Pässwörd-Sehr-Geheim!';
const USER = 'lab@example.test';
const r = new Redactor([{ value: PW, user: USER }]);
const b64 = (s: string | Buffer) => Buffer.from(s as string).toString('base64');

describe('Redactor: each form of a secret', () => {
  const forms: Record<string, string> = {
    raw: PW,
    upper: PW.toUpperCase(),
    lower: PW.toLowerCase(),
    'utf8 bytes read as latin1': Buffer.from(PW, 'utf8').toString('latin1'),
    'latin1 bytes read as latin1 (the password sent as latin1)': Buffer.from(PW, 'latin1').toString('latin1'),
    'upper-cased latin1 view': Buffer.from(PW, 'utf8').toString('latin1').toUpperCase(),
    'base64 (AUTH LOGIN)': b64(PW),
    'base64 at offset 1': b64(`x${PW}`).slice(2),
    'base64 at offset 2': b64(`xy${PW}`).slice(3),
    'base64 of latin1 bytes': Buffer.from(PW, 'latin1').toString('base64'),
    'AUTH PLAIN': b64(`\0${USER}\0${PW}`),
    'AUTH PLAIN with authzid': b64(`${USER}\0${USER}\0${PW}`),
    'IMAP quoted': JSON.stringify(PW).slice(1, -1),
    'JSON escaped': JSON.stringify(`${PW}"`).slice(1, -1),
  };
  for (const [name, form] of Object.entries(forms)) {
    test(name, () => {
      const out = r.redact(`NO Invalid password "${form}" for you`);
      assert.match(out, new RegExp(REDACTED));
      assert.deepEqual(secretLeaks(out, PW, USER), [], out);
    });
  }

  test('a base64 blob that merely contains the password somewhere inside', () => {
    const blob = b64(`some prefix text ${PW} and more after it`);
    assert.deepEqual(secretLeaks(r.redact(blob), PW, USER), []);
  });

  test('redacted before the cut: no part of a long secret survives clip()', () => {
    const long = 'A'.repeat(290) + PW + 'B'.repeat(50);
    const out = r.clip(long, 300);
    assert.deepEqual(secretLeaks(out, PW, USER), [], out);
    assert.ok(out.length <= 300 + 40);
  });

  test('redactDeep: every string of a structure, the original untouched', () => {
    const src = { a: [PW, { b: `x${b64(PW)}y` }], n: 3, ok: true, buf: Buffer.from('x') };
    const out = r.redactDeep(src);
    assert.equal(src.a[0], PW);
    assert.deepEqual(secretLeaks(JSON.stringify(out), PW, USER), []);
    assert.equal(out.n, 3);
  });

  test('no secrets: text unchanged; a short secret only as a whole word', () => {
    assert.equal(Redactor.none.redact(PW), PW);
    assert.equal(Redactor.of(undefined, '').active, false);
    const short = new Redactor(['ab']);
    assert.equal(short.redact('abc ab cab'), `abc ${REDACTED} cab`);
  });

  test('regex metacharacters in a secret are literal', () => {
    const m = new Redactor(['a.b*c(d)[e]{f}|g\\h/i^$']);
    assert.equal(m.redact('x a.b*c(d)[e]{f}|g\\h/i^$ y'), `x ${REDACTED} y`);
    assert.equal(m.redact('axbbbcd'), 'axbbbcd');
  });
});
