import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../observability/log';
import { createMetrics } from '../observability/metrics';
import { createEngineHttp, type EngineApi } from './app';

const TOKEN = 'test-token-0123456789abcdefghij';

function app(overrides: Partial<EngineApi> = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    }
  });
  const api: EngineApi = {
    ready: () => ({ ready: true, reasons: [] }),
    listJobs: async () => [{ id: 'a05000000000001AAA', name: 'Nightly rebalance', type: 'Rebalance', running: false }],
    runJob: async () => ({ started: true }),
    ...overrides
  };
  return { lines, http: createEngineHttp({ token: TOKEN, logger: createLogger({ destination }), metrics: createMetrics(), api, rateLimitPerMinute: 5 }) };
}

describe('the engine HTTP API', () => {
  it('answers liveness and readiness without a token', async () => {
    const { http } = app({ ready: () => ({ ready: false, reasons: ['org not connected'] }) });
    await request(http).get('/healthz').expect(200, { status: 'ok' });
    await request(http).get('/readyz').expect(503, { ready: false, reasons: ['org not connected'] });
  });

  it('refuses everything else without the bearer token, and sets secure headers', async () => {
    const { http } = app();
    const response = await request(http).get('/jobs').expect(401);
    expect(response.body.message).toContain('Authorization: Bearer');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
    await request(http).get('/jobs').set('authorization', `Bearer ${TOKEN}x`).expect(401);
  });

  it('validates input and names the field', async () => {
    const { http } = app();
    const response = await request(http).post("/jobs/x' OR 1=1/run").set('authorization', `Bearer ${TOKEN}`).expect(400);
    expect(response.body).toMatchObject({ error: 'invalid_request', field: 'id' });
  });

  it('starts a job, and answers 409 when it is already running', async () => {
    const busy = app({ runJob: async () => ({ started: false, reason: 'Nightly rebalance is already running' }) });
    await request(busy.http).post('/jobs/a05000000000001AAA/run').set('authorization', `Bearer ${TOKEN}`).expect(409);
    const idle = app();
    await request(idle.http).post('/jobs/a05000000000001AAA/run').set('authorization', `Bearer ${TOKEN}`).expect(202, { started: true });
  });

  it('bounds the body size and the request rate', async () => {
    const { http } = app();
    await request(http)
      .post('/jobs/a05000000000001AAA/run')
      .set('authorization', `Bearer ${TOKEN}`)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(100_000) }))
      .expect(413);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await request(http).get('/jobs').set('authorization', `Bearer ${TOKEN}`)).status);
    expect(statuses).toContain(429);
  });

  it('serves Prometheus metrics to an authenticated scraper', async () => {
    const { http } = app();
    const response = await request(http).get('/metrics').set('authorization', `Bearer ${TOKEN}`).expect(200);
    expect(response.text).toContain('asl_assignments_total');
  });

  it('never logs a secret even when a whole object is logged', () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        }
      })
    });
    logger.info({ org: { auth: { password: 'hunter2', clientSecret: 's3cret' } }, accessToken: '00Dxx!secret' }, 'connected');
    expect(lines.join('')).not.toMatch(/hunter2|s3cret|00Dxx!secret/);
    expect(lines.join('')).toContain('[redacted]');
  });
});
