import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyAcs3Signature } from '@opsmcp/core/signing';
import { ECS_INSTANCES } from './data/alibaba.js';

/**
 * An in-process ECS (RPC style, API version 2014-05-26) on 127.0.0.1, for the sandbox and the
 * tests. It checks each request's ACS3-HMAC-SHA256 signature against the keys it was given,
 * dispatches on `x-acs-action` (the action travels only in that header), reads the parameters
 * from the query string (JSON-array filters arrive as strings), pages with NextToken, and
 * changes the simulated power state on Start/Stop/RebootInstance.
 */

// biome-ignore lint/suspicious/noExplicitAny: wire-shaped data
type Json = any;

export interface FakeAlibabaKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface FakeAlibabaRequest {
  action: string;
  params: Record<string, string>;
  status: number;
  requestId: string;
}

export interface FakeAlibabaFailure {
  action: string;
  status: number;
  code: string;
  message?: string;
  times?: number;
}

export interface FakeAlibabaOptions {
  keys: FakeAlibabaKey[];
  /** The largest page served, to exercise NextToken with few instances (default: as asked). */
  pageSizeCap?: number;
  /** How long Starting/Stopping last before the final state (default 2000 ms; 0: at once). */
  transitionMs?: number;
}

export interface FakeAlibaba {
  url: string;
  requests: FakeAlibabaRequest[];
  /** The simulated instances (PascalCase, as ECS answers). */
  instances: Json[];
  failNext(failure: FakeAlibabaFailure): void;
  stop(): Promise<void>;
}

export const MAX_LOGGED_REQUESTS = 500;
const VERSION = '2014-05-26';

class EcsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function jsonArray(params: Record<string, string>, name: string): string[] | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new EcsFault(400, `InvalidParameter.${name}`, `The specified parameter ${name} is not a JSON array.`);
  }
  if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'string') || parsed.length > 100) {
    throw new EcsFault(400, `InvalidParameter.${name}`, `The specified parameter ${name} is not valid.`);
  }
  return parsed as string[];
}

/** Deterministic monitor values: a smooth wave per instance, never random. */
function wave(instanceId: string, salt: number, epochSeconds: number): number {
  let hash = salt;
  for (const ch of instanceId) hash = (hash * 31 + ch.charCodeAt(0)) % 997;
  return (Math.sin(epochSeconds / 1800 + hash) + 1) / 2;
}

const parseApiTime = (value: string | undefined, name: string) => {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(value)) {
    throw new EcsFault(400, `InvalidParameter.${name}`, `The specified ${name} is not valid (yyyy-MM-ddTHH:mm:ssZ).`);
  }
  return Date.parse(value);
};

export async function startFakeAlibaba(options: FakeAlibabaOptions): Promise<FakeAlibaba> {
  const instances: Json[] = structuredClone(ECS_INSTANCES);
  const requests: FakeAlibabaRequest[] = [];
  const failures: Array<FakeAlibabaFailure & { left: number }> = [];
  const transitionMs = options.transitionMs ?? 2000;
  const timers = new Set<NodeJS.Timeout>();

  const find = (id: string | undefined) => {
    const instance = instances.find((i) => i.InstanceId === id);
    if (!instance) throw new EcsFault(404, 'InvalidInstanceId.NotFound', `The specified InstanceId does not exist.`);
    return instance;
  };
  /** Moves an instance through a transitional state to its final one. */
  const transition = (instance: Json, through: string, to: string) => {
    if (transitionMs === 0) {
      instance.Status = to;
      return;
    }
    instance.Status = through;
    const timer = setTimeout(() => {
      timers.delete(timer);
      instance.Status = to;
    }, transitionMs);
    timers.add(timer);
  };
  const requireStatus = (instance: Json, status: string) => {
    if (instance.Status !== status) {
      throw new EcsFault(
        403,
        'IncorrectInstanceStatus',
        'The current status of the resource does not support this operation.',
      );
    }
  };

  function describeInstances(params: Record<string, string>): Json {
    const region = params.RegionId;
    if (!region)
      throw new EcsFault(
        400,
        'MissingParameter',
        'The input parameter "RegionId" that is mandatory for processing this request is not supplied.',
      );
    const ids = jsonArray(params, 'InstanceIds');
    const publicIps = jsonArray(params, 'PublicIpAddresses');
    const eips = jsonArray(params, 'EipAddresses');
    const maxResults = params.MaxResults !== undefined ? Number(params.MaxResults) : 10;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
      throw new EcsFault(400, 'InvalidParameter.MaxResults', 'The specified parameter MaxResults is not valid.');
    }
    const matching = instances.filter(
      (i) =>
        i.RegionId === region &&
        (!ids || ids.includes(i.InstanceId)) &&
        (!publicIps || (i.PublicIpAddress?.IpAddress ?? []).some((ip: string) => publicIps.includes(ip))) &&
        (!eips || (i.EipAddress?.IpAddress && eips.includes(i.EipAddress.IpAddress))),
    );
    let offset = 0;
    if (params.NextToken) {
      offset = Number(
        Buffer.from(params.NextToken, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
      if (!Number.isInteger(offset) || offset < 0)
        throw new EcsFault(400, 'InvalidParameter.NextToken', 'The specified NextToken is not valid.');
    }
    const size = Math.min(maxResults, options.pageSizeCap ?? 100);
    const slice = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? Buffer.from(`offset:${offset + size}`).toString('base64url') : '';
    return {
      TotalCount: matching.length,
      PageNumber: 1,
      PageSize: size,
      NextToken: next,
      Instances: { Instance: slice },
    };
  }

  function describeMonitorData(params: Record<string, string>): Json {
    const instance = find(params.InstanceId);
    const period = Number(params.Period ?? 60);
    if (![60, 600, 3600].includes(period))
      throw new EcsFault(400, 'InvalidParameter.Period', 'The specified Period is not valid.');
    const start = parseApiTime(params.StartTime, 'StartTime');
    const end = parseApiTime(params.EndTime, 'EndTime');
    if (start >= end) throw new EcsFault(400, 'InvalidParameter.Time', 'StartTime must be earlier than EndTime.');
    if ((end - start) / 1000 / period > 400) {
      throw new EcsFault(400, 'InvalidParameter.TooManyDataQueried', 'Too many data points queried; at most 400.');
    }
    const points: Json[] = [];
    if (instance.Status === 'Running') {
      for (let t = Math.ceil(start / 1000 / period) * period; t * 1000 <= end; t += period) {
        const id = instance.InstanceId as string;
        points.push({
          InstanceId: id,
          TimeStamp: new Date(t * 1000).toISOString().replace('.000Z', 'Z'),
          CPU: Math.round(5 + 60 * wave(id, 1, t)),
          InternetRX: Math.round(500 + 3000 * wave(id, 2, t)),
          InternetTX: Math.round(800 + 5000 * wave(id, 3, t)),
          InternetBandwidth: Math.round(20 + 150 * wave(id, 4, t)),
          IntranetRX: Math.round(100 + 400 * wave(id, 5, t)),
          IntranetTX: Math.round(100 + 300 * wave(id, 6, t)),
          IntranetBandwidth: Math.round(2 + 10 * wave(id, 7, t)),
          IOPSRead: Math.round(1 + 10 * wave(id, 8, t)),
          IOPSWrite: Math.round(10 + 50 * wave(id, 9, t)),
          BPSRead: Math.round(8192 + 32768 * wave(id, 10, t)),
          BPSWrite: Math.round(262144 + 524288 * wave(id, 11, t)),
        });
      }
    }
    // ECS does not promise an order; newest first here, so callers must sort.
    points.reverse();
    return { MonitorData: { InstanceMonitorData: points } };
  }

  function dispatch(action: string, params: Record<string, string>): Json {
    switch (action) {
      case 'DescribeInstances':
        return describeInstances(params);
      case 'StartInstance': {
        const instance = find(params.InstanceId);
        requireStatus(instance, 'Stopped');
        transition(instance, 'Starting', 'Running');
        return {};
      }
      case 'StopInstance': {
        const instance = find(params.InstanceId);
        requireStatus(instance, 'Running');
        if (params.StoppedMode && !['KeepCharging', 'StopCharging'].includes(params.StoppedMode)) {
          throw new EcsFault(400, 'InvalidParameter.StoppedMode', 'The specified StoppedMode is not valid.');
        }
        instance.StoppedMode = params.StoppedMode ?? 'KeepCharging';
        transition(instance, 'Stopping', 'Stopped');
        return {};
      }
      case 'RebootInstance': {
        const instance = find(params.InstanceId);
        requireStatus(instance, 'Running');
        transition(instance, 'Starting', 'Running');
        return {};
      }
      case 'DescribeInstanceMonitorData':
        return describeMonitorData(params);
      default:
        throw new EcsFault(
          404,
          'InvalidAction.NotFound',
          `Specified api ${action} is not found, please check your url and method.`,
        );
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const requestId = randomUUID().toUpperCase();
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = Object.fromEntries(url.searchParams);
      const action = String(req.headers['x-acs-action'] ?? '');
      const log: FakeAlibabaRequest = { action, params, status: 200, requestId };
      const reply = (status: number, payload: Json) => {
        log.status = status;
        requests.push(log);
        if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
        res
          .writeHead(status, { 'content-type': 'application/json;charset=utf-8' })
          .end(JSON.stringify({ RequestId: requestId, ...payload }));
      };
      try {
        const authorization = String(req.headers.authorization ?? '');
        const accessKeyId = /Credential=([^,]+)/.exec(authorization)?.[1];
        const key = options.keys.find((k) => k.accessKeyId === accessKeyId);
        if (!key) throw new EcsFault(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
        const verdict = verifyAcs3Signature(
          { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
          {
            accessKeyId: key.accessKeyId,
            accessKeySecret: key.accessKeySecret,
            expectVersion: VERSION,
            ...(key.securityToken ? { sessionToken: key.securityToken } : {}),
          },
        );
        if (!verdict.ok) {
          throw new EcsFault(
            400,
            'SignatureDoesNotMatch',
            'The request signature does not conform to Aliyun standards.',
          );
        }
        const failure = failures.find((f) => f.left > 0 && f.action === action);
        if (failure) {
          failure.left--;
          throw new EcsFault(failure.status, failure.code, failure.message ?? `${failure.code} (injected)`);
        }
        reply(200, dispatch(action, params));
      } catch (error) {
        const fault =
          error instanceof EcsFault
            ? error
            : new EcsFault(500, 'InternalError', 'The request processing has failed due to some unknown error.');
        reply(fault.status, {
          HostId: 'ecs.aliyuncs.com',
          Code: fault.code,
          Message: fault.message,
          Recommend: `https://api.aliyun.com/troubleshoot?q=${fault.code}`,
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    instances,
    failNext: (failure) => failures.push({ ...failure, left: failure.times ?? 1 }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
