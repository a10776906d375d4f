import { readFile } from 'node:fs/promises';
import { OpsError } from '../errors.js';
import { parse, setting } from '../settings.js';
import { type CredentialProvider, isHeaderSafe } from './provider.js';

export interface VolcengineCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where the veFaaS runtime mounts a function's IAM-role STS credentials. */
export const VEFAAS_CREDENTIAL_FILE = '/var/run/secrets/iam/credential';

export const VOLCENGINE_HEADER_HINT =
  'Authorization: Bearer base64({"AccessKeyId":"…","SecretAccessKey":"…","SessionToken":"…"})';

const invalid = (message: string) =>
  new OpsError('INVALID_CREDENTIALS', message, { hint: `Send ${VOLCENGINE_HEADER_HINT}.` });

/**
 * Volcengine per-request credentials: `Authorization: Bearer base64({"AccessKeyId",
 * "SecretAccessKey","SessionToken"})`, the format veFaaS-hosted MCP gateways send.
 * Undefined when the header is absent or not a Bearer; INVALID_CREDENTIALS when malformed.
 */
export function parseVolcengineAuthorization(header: string | undefined): VolcengineCredentials | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!m) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(m[1] as string, 'base64').toString('utf8'));
  } catch {
    throw invalid('The Authorization header is not base64-encoded JSON credentials.');
  }
  const o = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const accessKeyId = text(o.AccessKeyId);
  const secretAccessKey = text(o.SecretAccessKey);
  const sessionToken = text(o.SessionToken);
  if (!accessKeyId || !secretAccessKey) {
    throw invalid('The Authorization credentials lack AccessKeyId or SecretAccessKey.');
  }
  // These go into signed headers: a CR/LF or non-ASCII byte would break (or forge) the request.
  for (const [name, value] of [
    ['AccessKeyId', accessKeyId],
    ['SecretAccessKey', secretAccessKey],
    ['SessionToken', sessionToken],
  ] as const) {
    if (value && !isHeaderSafe(value)) throw invalid(`The Authorization credentials' ${name} has invalid characters.`);
  }
  return withToken(accessKeyId, secretAccessKey, sessionToken);
}

function withToken(accessKeyId: string, secretAccessKey: string, sessionToken?: string): VolcengineCredentials {
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

export const volcengineSettings = {
  accessKey: setting({
    schema: parse.string(),
    flag: 'access-key',
    env: ['VOLCENGINE_ACCESS_KEY'],
    description: 'Volcengine access key ID',
  }),
  secretKey: setting({
    schema: parse.string(),
    flag: 'secret-key',
    env: ['VOLCENGINE_SECRET_KEY'],
    secret: true,
    description: 'Volcengine secret access key',
  }),
  sessionToken: setting({
    schema: parse.string(),
    flag: 'session-token',
    env: ['VOLCENGINE_ACCESS_SESSION_TOKEN', 'VOLCENGINE_SESSION_TOKEN'],
    secret: true,
    description: 'STS session token that goes with temporary keys',
  }),
  credentialFile: setting({
    schema: parse.string(),
    flag: 'credential-file',
    env: ['VOLCENGINE_CREDENTIAL_FILE'],
    default: VEFAAS_CREDENTIAL_FILE,
    description: 'veFaaS IAM-role credential file, read on each call when no keys are set',
  }),
};

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * Volcengine: the configured keys, else the veFaaS credential file (read on every call, since
 * the platform rotates it); per request, the Authorization header above.
 */
export const volcengineProvider: CredentialProvider<VolcengineCredentials> = {
  id: 'volcengine',
  title: 'Volcengine',
  settings: volcengineSettings,
  async fromEnv(settings) {
    const accessKey = str(settings.accessKey);
    const secretKey = str(settings.secretKey);
    if (accessKey && secretKey) return withToken(accessKey, secretKey, str(settings.sessionToken));
    if (accessKey || secretKey) {
      const missing = accessKey ? 'VOLCENGINE_SECRET_KEY' : 'VOLCENGINE_ACCESS_KEY';
      throw new OpsError('CREDENTIALS_MISSING', `${missing} is not set (the other half of the key pair is).`, {
        hint: 'Set both VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY (and VOLCENGINE_ACCESS_SESSION_TOKEN for STS keys).',
      });
    }
    const file = str(settings.credentialFile) ?? VEFAAS_CREDENTIAL_FILE;
    const fromFile = await readCredentialFile(file);
    if (fromFile) return fromFile;
    throw new OpsError('CREDENTIALS_MISSING', 'No Volcengine credentials are configured.', {
      hint:
        'Set VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY (plus VOLCENGINE_ACCESS_SESSION_TOKEN for STS keys), ' +
        `run inside veFaaS with an IAM role (${file}), or start with --sandbox to try simulated data.`,
    });
  },
  configured: (settings) => Boolean(str(settings.accessKey) && str(settings.secretKey)),
  parseHeaders: (headers) => parseVolcengineAuthorization(headers.authorization),
  headerHint: VOLCENGINE_HEADER_HINT,
  usesAuthorizationHeader: true,
  secrets: (c) => [c.secretAccessKey, ...(c.sessionToken ? [c.sessionToken] : [])],
  identity: (c) => `${c.accessKeyId}\n${c.secretAccessKey}\n${c.sessionToken ?? ''}`,
};
