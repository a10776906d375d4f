import { describe, expect, it } from 'vitest';
import {
  createLogger,
  OpsError,
  parseAlibabaHeaders,
  parseTenantId,
  parseVolcengineAuthorization,
  REDACTED,
  redact,
} from '../src/index.js';

const bearer = (o: unknown) => `Bearer ${Buffer.from(JSON.stringify(o)).toString('base64')}`;

describe('Volcengine header credentials', () => {
  it('parses Authorization: Bearer base64(JSON)', () => {
    expect(
      parseVolcengineAuthorization(bearer({ AccessKeyId: 'AK1', SecretAccessKey: 'SK1', SessionToken: 'ST1' })),
    ).toEqual({
      accessKeyId: 'AK1',
      secretAccessKey: 'SK1',
      sessionToken: 'ST1',
    });
    expect(parseVolcengineAuthorization(bearer({ AccessKeyId: 'AK1', SecretAccessKey: 'SK1' }))).toEqual({
      accessKeyId: 'AK1',
      secretAccessKey: 'SK1',
    });
  });

  it('is undefined without the header and INVALID_CREDENTIALS when malformed', () => {
    expect(parseVolcengineAuthorization(undefined)).toBeUndefined();
    expect(parseVolcengineAuthorization('Basic abc')).toBeUndefined();
    const bad = (() => {
      try {
        parseVolcengineAuthorization('Bearer %%%notbase64');
      } catch (e) {
        return e;
      }
    })();
    expect(bad).toBeInstanceOf(OpsError);
    expect((bad as OpsError).code).toBe('INVALID_CREDENTIALS');
    expect(() => parseVolcengineAuthorization(bearer({ AccessKeyId: 'AK1' }))).toThrow(
      /lack AccessKeyId or SecretAccessKey/,
    );
  });
});

describe('Alibaba header credentials and tenant', () => {
  it('parses the X-Aliyun headers', () => {
    expect(
      parseAlibabaHeaders({
        'x-aliyun-access-key-id': 'LTAI1',
        'x-aliyun-access-key-secret': 'sec',
        'x-aliyun-security-token': 'sts',
        'x-aliyun-region': 'cn-hangzhou',
      }),
    ).toEqual({
      kind: 'access_key',
      accessKeyId: 'LTAI1',
      accessKeySecret: 'sec',
      securityToken: 'sts',
      region: 'cn-hangzhou',
    });
    expect(parseAlibabaHeaders({})).toBeUndefined();
    expect(() => parseAlibabaHeaders({ 'x-aliyun-access-key-id': 'LTAI1' })).toThrow(/Both X-Aliyun-Access-Key-Id/);
  });

  it('refuses values that cannot go into a signed header as INVALID_CREDENTIALS, not INTERNAL', () => {
    for (const accessKeyId of ['LTAI1\r\nX-Evil: 1', 'LTAIé', 'LTAI 1']) {
      const error = (() => {
        try {
          parseAlibabaHeaders({ 'x-aliyun-access-key-id': accessKeyId, 'x-aliyun-access-key-secret': 'sec' });
        } catch (e) {
          return e as OpsError;
        }
      })();
      expect(error?.code).toBe('INVALID_CREDENTIALS');
    }
    const volc = Buffer.from(JSON.stringify({ AccessKeyId: 'AK\n1', SecretAccessKey: 'SK' })).toString('base64');
    expect(() => parseVolcengineAuthorization(`Bearer ${volc}`)).toThrow(/AccessKeyId has invalid characters/);
    expect(() => parseAlibabaHeaders({ 'x-aliyun-security-token': 'sts-only' })).toThrow(
      /needs X-Aliyun-Access-Key-Id/,
    );
  });

  it('validates X-Tenant-ID', () => {
    expect(parseTenantId({ 'x-tenant-id': 'team-a' })).toBe('team-a');
    expect(parseTenantId({})).toBeUndefined();
    expect(() => parseTenantId({ 'x-tenant-id': 'a b<script>' })).toThrow(/X-Tenant-ID/);
  });
});

describe('logging', () => {
  it('redacts secret-looking keys and registered secret values', () => {
    expect(
      redact({
        password: 'p',
        nested: { accessKeySecret: 's', ok: 'visible' },
        headers: { authorization: 'Bearer x' },
      }),
    ).toEqual({
      password: REDACTED,
      nested: { accessKeySecret: REDACTED, ok: 'visible' },
      headers: { authorization: REDACTED },
    });
    expect(redact('connecting with key-12345 now', new Set(['key-12345']))).toBe(`connecting with ${REDACTED} now`);
  });

  it('writes JSON lines at or above the level, scrubbing secrets', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', json: true, secrets: ['sk-abcdef'], write: (l) => lines.push(l) });
    log.debug('hidden');
    log.info('using sk-abcdef', { token: 'tok', n: 1 });
    log.child({ tool: 't' }).warn('careful');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0] as string);
    expect(first).toMatchObject({ level: 'info', msg: `using ${REDACTED}`, token: REDACTED, n: 1 });
    expect(JSON.parse(lines[1] as string)).toMatchObject({ level: 'warn', tool: 't' });
  });

  it('writes short human lines on a terminal', () => {
    const lines: string[] = [];
    createLogger({ json: false, write: (l) => lines.push(l) }).error('boom', { code: 'X' });
    expect(lines[0]).toBe('ERROR boom code=X');
  });
});
