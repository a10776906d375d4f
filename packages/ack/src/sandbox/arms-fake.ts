import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SignatureVerdict, verifyAcs3Signature } from '@opsmcp/core/signing';

/**
 * An in-process Alibaba Cloud OpenAPI endpoint for ARMS (RPC, 2019-08-08), and any other
 * action given to it (STS GetCallerIdentity), on 127.0.0.1. It dispatches on
 * `x-acs-action`, checks the version the action belongs to and every request's
 * ACS3-HMAC-SHA256 signature against its keys, and answers in the real JSON shapes; errors are
 * `{Code, Message, RequestId}` with a 4xx/5xx status.
 */

export interface AcsFakeKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface AcsCall {
  query: URLSearchParams;
  path: string;
  method: string;
  accessKeyId: string;
}

export class AcsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AcsRoute {
  version: string;
  handle(call: AcsCall): unknown;
}

export interface AcsReceivedRequest {
  action: string | undefined;
  method: string;
  path: string;
  query: Record<string, string>;
  accessKeyId: string | undefined;
  signature: SignatureVerdict;
  status: number;
}

export interface AcsFake {
  url: string;
  /** `127.0.0.1:<port>`, as an endpoint setting takes it with http. */
  host: string;
  readonly requests: readonly AcsReceivedRequest[];
  addKey(key: AcsFakeKey): void;
  failNext(action: string, fault: AcsFault, times?: number): void;
  stop(): Promise<void>;
}

export interface AcsFakeOptions {
  keys: AcsFakeKey[];
  routes: Record<string, AcsRoute>;
}

export async function startAcsFake(options: AcsFakeOptions): Promise<AcsFake> {
  const keys = new Map(options.keys.map((k) => [k.accessKeyId, k]));
  const requests: AcsReceivedRequest[] = [];
  const failures = new Map<string, AcsFault[]>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = req.url ?? '/';
    const [rawPath = '/', rawQuery = ''] = url.split('?', 2);
    const method = (req.method ?? 'GET').toUpperCase();
    const action = typeof req.headers['x-acs-action'] === 'string' ? req.headers['x-acs-action'] : undefined;
    const requestId = randomUUID().toUpperCase();
    const record: AcsReceivedRequest = {
      action,
      method,
      path: decodeURIComponent(rawPath),
      query: Object.fromEntries(new URLSearchParams(rawQuery)),
      accessKeyId: undefined,
      signature: { ok: false, reason: 'not checked' },
      status: 0,
    };
    requests.push(record);
    if (requests.length > 200) requests.shift();
    const send = (status: number, body: unknown) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', 'x-acs-request-id': requestId });
      res.end(JSON.stringify(body));
    };
    const fail = (fault: AcsFault) =>
      send(fault.status, { Code: fault.code, Message: fault.message, RequestId: requestId });

    const credential = /Credential=([^,\s]+)/.exec(String(req.headers.authorization ?? ''))?.[1];
    const key = credential ? keys.get(credential) : undefined;
    record.accessKeyId = credential;
    if (!key) return fail(new AcsFault(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'));
    const route = action ? options.routes[action] : undefined;
    record.signature = verifyAcs3Signature(
      { method, url, headers: req.headers, rawBody: raw },
      {
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
        ...(key.securityToken ? { sessionToken: key.securityToken } : {}),
        ...(action ? { expectAction: action } : {}),
        ...(route ? { expectVersion: route.version } : {}),
      },
    );
    if (!record.signature.ok) {
      return fail(
        new AcsFault(400, 'IncompleteSignature', `The request signature does not conform: ${record.signature.reason}`),
      );
    }
    if (!route || !action)
      return fail(new AcsFault(404, 'InvalidAction.NotFound', `Specified api ${action} is not found.`));
    const queue = failures.get(action);
    const injected = queue?.shift();
    if (queue && queue.length === 0) failures.delete(action);
    if (injected) return fail(injected);
    try {
      const body = await route.handle({
        query: new URLSearchParams(rawQuery),
        path: record.path,
        method,
        accessKeyId: key.accessKeyId,
      });
      send(200, { ...(body as object), RequestId: requestId });
    } catch (error) {
      if (error instanceof AcsFault) return fail(error);
      throw error;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Code: 'InternalError', Message: 'the fake failed' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    addKey: (key) => keys.set(key.accessKeyId, key),
    failNext: (action, fault, times = 1) => {
      failures.set(action, [...(failures.get(action) ?? []), ...Array.from({ length: times }, () => fault)]);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Where a cluster's simulated Prometheus HTTP API is (public and VPC URL). */
export interface ArmsPrometheusInstance {
  clusterId: string;
  regionId: string;
  httpApiInterUrl: string;
  httpApiIntraUrl: string;
}

/** ARMS GetPrometheusInstance (RPC, 2019-08-08): an ACK cluster's instance id is the cluster id. */
export function armsRoutes(instances: () => readonly ArmsPrometheusInstance[]): Record<string, AcsRoute> {
  return {
    GetPrometheusInstance: {
      version: '2019-08-08',
      handle({ query, method }) {
        if (method !== 'POST') throw new AcsFault(400, 'InvalidParameter', 'RPC calls are POST /.');
        const clusterId = query.get('ClusterId');
        const regionId = query.get('RegionId');
        if (!clusterId) throw new AcsFault(400, 'MissingClusterId', 'ClusterId is mandatory for this action.');
        if (!regionId) throw new AcsFault(400, 'MissingRegionId', 'RegionId is mandatory for this action.');
        const instance = instances().find((i) => i.clusterId === clusterId && i.regionId === regionId);
        if (!instance) {
          return {
            Code: 404,
            Message: `Prometheus instance ${clusterId} does not exist in ${regionId}.`,
            Success: false,
          };
        }
        return {
          Code: 200,
          Message: 'success',
          Success: true,
          Data: {
            ClusterId: instance.clusterId,
            ClusterName: instance.clusterId,
            ClusterType: 'aliyun-cs',
            RegionId: instance.regionId,
            HttpApiInterUrl: instance.httpApiInterUrl,
            HttpApiIntraUrl: instance.httpApiIntraUrl,
            EnableAuthToken: 'false',
            StorageDuration: 15,
          },
        };
      },
    },
  };
}

/** STS GetCallerIdentity (RPC, 2015-04-01). */
export function stsRoutes(accountId: string): Record<string, AcsRoute> {
  return {
    GetCallerIdentity: {
      version: '2015-04-01',
      handle: ({ accessKeyId }) => ({
        AccountId: accountId,
        UserId: accountId,
        Arn: `acs:ram::${accountId}:root`,
        IdentityType: 'Account',
        PrincipalId: accessKeyId,
      }),
    },
  };
}
