import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CredentialSettings, resolveCredentials } from '../src/volcengine/credentials.js';

const dir = mkdtempSync(join(tmpdir(), 'opsmcp-rocketmq-'));
const base: CredentialSettings = { credentialType: 'env', credentialFile: join(dir, 'absent') };

describe('resolveCredentials', () => {
  it('uses the env keys and the session token', async () => {
    expect(
      await resolveCredentials({ ...base, accessKey: 'AK', secretKey: 'SK', sessionToken: 'T' }, undefined),
    ).toEqual({
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      sessionToken: 'T',
    });
  });

  it('names the missing half of a key pair', async () => {
    await expect(resolveCredentials({ ...base, accessKey: 'AK' }, undefined)).rejects.toMatchObject({
      code: 'CREDENTIALS_MISSING',
      message: expect.stringContaining('VOLCENGINE_SECRET_KEY'),
    });
  });

  it('names the variables when nothing is configured', async () => {
    const error = await resolveCredentials(base, undefined).catch((e) => e);
    expect(error.code).toBe('CREDENTIALS_MISSING');
    expect(error.hint).toContain('VOLCENGINE_ACCESS_KEY');
    expect(error.hint).toContain('VOLCENGINE_SECRET_KEY');
  });

  it('reads the veFaaS credential file only when env keys are absent, on every call', async () => {
    const file = join(dir, 'credential');
    writeFileSync(file, JSON.stringify({ access_key_id: 'AKF', secret_access_key: 'SKF', session_token: 'TF' }));
    const settings = { ...base, credentialFile: file };
    expect(await resolveCredentials(settings, undefined)).toEqual({
      accessKeyId: 'AKF',
      secretAccessKey: 'SKF',
      sessionToken: 'TF',
    });
    writeFileSync(file, JSON.stringify({ AccessKeyId: 'AKG', SecretAccessKey: 'SKG' }));
    expect(await resolveCredentials(settings, undefined)).toEqual({ accessKeyId: 'AKG', secretAccessKey: 'SKG' });
    expect((await resolveCredentials({ ...settings, accessKey: 'AK', secretKey: 'SK' }, undefined)).accessKeyId).toBe(
      'AK',
    );
    writeFileSync(file, 'not json');
    await expect(resolveCredentials(settings, undefined)).rejects.toMatchObject({ code: 'CREDENTIALS_MISSING' });
  });

  it('token mode takes only the request credentials, never the server keys', async () => {
    const token = { ...base, credentialType: 'token' as const, accessKey: 'SERVER', secretKey: 'SERVER' };
    expect(
      await resolveCredentials(token, {
        kind: 'volcengine',
        accessKeyId: 'REQ',
        secretAccessKey: 'REQSK',
        sessionToken: 'RT',
      }),
    ).toEqual({ accessKeyId: 'REQ', secretAccessKey: 'REQSK', sessionToken: 'RT' });
    await expect(resolveCredentials(token, undefined)).rejects.toMatchObject({ code: 'CREDENTIALS_MISSING' });
  });
});
