import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { volcengineProvider } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'opsmcp-volcengine-'));
const base = { credentialFile: join(dir, 'absent') };
const fromEnv = (settings: Record<string, unknown>) => volcengineProvider.fromEnv(settings);

describe('the Volcengine credential provider', () => {
  it('uses the env keys and the session token', async () => {
    expect(await fromEnv({ ...base, accessKey: 'AK', secretKey: 'SK', sessionToken: 'T' })).toEqual({
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      sessionToken: 'T',
    });
  });

  it('names the missing half of a key pair', async () => {
    await expect(fromEnv({ ...base, accessKey: 'AK' })).rejects.toMatchObject({
      code: 'CREDENTIALS_MISSING',
      message: expect.stringContaining('VOLCENGINE_SECRET_KEY'),
    });
  });

  it('names the variables when nothing is configured', async () => {
    const error = await fromEnv(base).catch((e) => e);
    expect(error.code).toBe('CREDENTIALS_MISSING');
    expect(error.hint).toContain('VOLCENGINE_ACCESS_KEY');
    expect(error.hint).toContain('VOLCENGINE_SECRET_KEY');
  });

  it('reads the veFaaS credential file only when env keys are absent, on every call', async () => {
    const file = join(dir, 'credential');
    writeFileSync(file, JSON.stringify({ access_key_id: 'AKF', secret_access_key: 'SKF', session_token: 'TF' }));
    const settings = { ...base, credentialFile: file };
    expect(await fromEnv(settings)).toEqual({
      accessKeyId: 'AKF',
      secretAccessKey: 'SKF',
      sessionToken: 'TF',
    });
    writeFileSync(file, JSON.stringify({ AccessKeyId: 'AKG', SecretAccessKey: 'SKG' }));
    expect(await fromEnv(settings)).toEqual({ accessKeyId: 'AKG', secretAccessKey: 'SKG' });
    expect((await fromEnv({ ...settings, accessKey: 'AK', secretKey: 'SK' })).accessKeyId).toBe('AK');
    writeFileSync(file, 'not json');
    await expect(fromEnv(settings)).rejects.toMatchObject({ code: 'CREDENTIALS_MISSING' });
  });

  it('parses per-request credentials from the Authorization header', () => {
    const header = `Bearer ${Buffer.from(JSON.stringify({ AccessKeyId: 'REQ', SecretAccessKey: 'REQSK', SessionToken: 'RT' })).toString('base64')}`;
    expect(volcengineProvider.parseHeaders({ authorization: header })).toEqual({
      accessKeyId: 'REQ',
      secretAccessKey: 'REQSK',
      sessionToken: 'RT',
    });
    expect(volcengineProvider.parseHeaders({})).toBeUndefined();
  });
});
