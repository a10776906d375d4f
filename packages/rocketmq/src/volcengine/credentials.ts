import { readFile } from 'node:fs/promises';
import { OpsError, type RequestCredentials } from '@opsmcp/core';

export interface VolcengineCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where the veFaaS runtime mounts the function's IAM-role STS credentials. */
export const VEFAAS_CREDENTIAL_FILE = '/var/run/secrets/iam/credential';

export const TOKEN_HEADER_HINT =
  'Authorization: Bearer base64({"AccessKeyId":"…","SecretAccessKey":"…","SessionToken":"…"})';

export interface CredentialSettings {
  credentialType: 'env' | 'token';
  accessKey?: string | undefined;
  secretKey?: string | undefined;
  sessionToken?: string | undefined;
  credentialFile: string;
}

/**
 * The keys one call signs with. Token mode uses only the request's own header credentials (never
 * the server's keys); env mode uses the configured keys, else the veFaaS credential file, read on
 * every call because the platform rotates it.
 */
export async function resolveCredentials(
  settings: CredentialSettings,
  requestCredentials: RequestCredentials | undefined,
): Promise<VolcengineCredentials> {
  if (settings.credentialType === 'token') {
    if (requestCredentials?.kind === 'volcengine') {
      return withToken(
        requestCredentials.accessKeyId,
        requestCredentials.secretAccessKey,
        requestCredentials.sessionToken,
      );
    }
    throw new OpsError('CREDENTIALS_MISSING', 'This server takes Volcengine credentials from each HTTP request.', {
      hint: `Send the header ${TOKEN_HEADER_HINT}.`,
    });
  }

  const accessKey = settings.accessKey?.trim();
  const secretKey = settings.secretKey?.trim();
  if (accessKey && secretKey) return withToken(accessKey, secretKey, settings.sessionToken);
  if (accessKey || secretKey) {
    const missing = accessKey ? 'VOLCENGINE_SECRET_KEY' : 'VOLCENGINE_ACCESS_KEY';
    throw new OpsError('CREDENTIALS_MISSING', `${missing} is not set (the other half of the key pair is).`, {
      hint: 'Set both VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY (and VOLCENGINE_ACCESS_SESSION_TOKEN for STS keys).',
    });
  }
  const fromFile = await readCredentialFile(settings.credentialFile);
  if (fromFile) return fromFile;
  throw new OpsError('CREDENTIALS_MISSING', 'No Volcengine credentials are configured.', {
    hint:
      'Set VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY (plus VOLCENGINE_ACCESS_SESSION_TOKEN for STS keys), ' +
      `run inside veFaaS with an IAM role (${settings.credentialFile}), or start with --sandbox to try simulated data.`,
  });
}

function withToken(
  accessKeyId: string,
  secretAccessKey: string,
  sessionToken: string | undefined,
): VolcengineCredentials {
  const token = sessionToken?.trim();
  return token ? { accessKeyId, secretAccessKey, sessionToken: token } : { accessKeyId, secretAccessKey };
}

/** Reads `{"access_key_id","secret_access_key","session_token"}` (PascalCase keys accepted too). */
async function readCredentialFile(path: string): Promise<VolcengineCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpsError('CREDENTIALS_MISSING', `The credential file ${path} cannot be read.`, { cause: error });
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new OpsError('CREDENTIALS_MISSING', `The credential file ${path} is not JSON.`);
  }
  const pick = (...names: string[]) =>
    names.map((n) => data[n]).find((v): v is string => typeof v === 'string' && v !== '');
  const accessKeyId = pick('access_key_id', 'AccessKeyId');
  const secretAccessKey = pick('secret_access_key', 'SecretAccessKey');
  if (!accessKeyId || !secretAccessKey) {
    throw new OpsError('CREDENTIALS_MISSING', `The credential file ${path} lacks access_key_id or secret_access_key.`);
  }
  return withToken(accessKeyId, secretAccessKey, pick('session_token', 'SessionToken'));
}
