// Checks answers against docs/api/openapi.json: the response schema the
// document gives for an operation and status (ajv, JSON Schema 2020-12),
// and records which operation/status pairs a test file exercised.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ROOT } from './helpers.mjs';

export const SPEC = JSON.parse(readFileSync(path.join(ROOT, 'docs/api/openapi.json'), 'utf8'));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(SPEC, 'spec');
const ptr = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const called = new Set();

export function check(method, route, status, body) {
  const m = method.toLowerCase();
  called.add(`${m} ${route} ${status}`);
  const op = SPEC.paths[route]?.[m];
  assert.ok(op, `${method} ${route} is documented`);
  const declared = op.responses[String(status)];
  assert.ok(declared, `${method} ${route} documents ${status}`);
  const resp = declared.$ref ? declared.$ref.split('/').slice(1).reduce((o, k) => o[k], SPEC) : declared;
  if (!resp.content) return;
  const ref = declared.$ref
    ? `spec${declared.$ref}/content/application~1json/schema`
    : `spec#/paths/${ptr(route)}/${m}/responses/${status}/content/application~1json/schema`;
  const validate = ajv.compile({ $ref: ref });
  assert.ok(validate(body), `${method} ${route} ${status}: ${JSON.stringify(validate.errors)}`);
}

// Every documented operation/status pair selected by want(method, route)
// was exercised in this process.
export function assertAllCalled(want) {
  for (const [route, item] of Object.entries(SPEC.paths))
    for (const [m, op] of Object.entries(item))
      if (want(m, route))
        for (const status of Object.keys(op.responses))
          assert.ok(called.has(`${m} ${route} ${status}`), `${m.toUpperCase()} ${route} ${status} is exercised`);
}
