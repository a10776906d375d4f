import type { SandboxInspectResult, SandboxInstance, SandboxState } from './data.js';

/** A service error the fake answers with, in the wire shape of `ResponseMetadata.Error`. */
export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly codeN?: number,
  ) {
    super(message);
  }
}

type Params = Record<string, unknown>;
type Operation = (state: SandboxState, params: Params, region: string) => unknown;

const missing = (name: string) =>
  new FakeApiError(400, 'MissingParameter', `The request is missing parameter ${name}.`);
const invalid = (name: string) =>
  new FakeApiError(400, 'InvalidParameter', `The specified parameter ${name} is not valid.`);

function str(params: Params, name: string, required: true): string;
function str(params: Params, name: string, required?: false): string | undefined;
function str(params: Params, name: string, required = false): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw missing(name);
    return undefined;
  }
  if (typeof value !== 'string') throw invalid(name);
  return value;
}

function int(params: Params, name: string, min: number, max: number, required: boolean): number | undefined {
  const value = params[name];
  if (value === undefined || value === null) {
    if (required) throw missing(name);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(name);
  return value;
}

function page<T>(items: T[], params: Params): T[] {
  const pageNumber = int(params, 'PageNumber', 1, 1_000_000, true) as number;
  const pageSize = int(params, 'PageSize', 1, 100, true) as number;
  return items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
}

/** Instances are regional: only those of the signing region are visible. */
function instanceOf(state: SandboxState, params: Params, region: string): SandboxInstance {
  const id = str(params, 'InstanceId', true);
  const instance = state.instances.find((i) => i.info.InstanceId === id && i.info.RegionId === region);
  if (!instance) throw new FakeApiError(404, 'InvalidInstanceId.NotFound', 'The specified Instance ID does not exist.');
  return instance;
}

function sortBy<T>(items: T[], key: (item: T) => string | number, descending: boolean): T[] {
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return descending ? -order : order;
  });
}

const RULE_TYPES: Record<string, string> = {
  queueInsufficient: 'cluster',
  queueBalance: 'topic',
  subscribeConsistency: 'group',
};

export const operations: Record<string, Operation> = {
  DescribeRegions: (state) => ({ Regions: state.regions }),

  DescribeAvailabilityZones: (state, params) => {
    const regionId = str(params, 'RegionId', true);
    const zones = state.zones[regionId];
    if (!zones) throw invalid('RegionId');
    return { RegionId: regionId, Zones: zones };
  },

  DescribeInstances: (state, params, region) => {
    const id = str(params, 'InstanceId');
    let list = state.instances.filter((i) => i.info.RegionId === region).map((i) => i.info);
    if (id) {
      list = list.filter((i) => i.InstanceId === id);
    } else {
      const name = str(params, 'InstanceName');
      const equals: Array<[string, string]> = [
        ['InstanceStatus', 'InstanceStatus'],
        ['Version', 'Version'],
        ['VpcId', 'VpcId'],
        ['Spec', 'ComputeSpec'],
        ['ProjectName', 'ProjectName'],
      ];
      if (name) list = list.filter((i) => i.InstanceName.includes(name));
      for (const [param, field] of equals) {
        const value = str(params, param);
        if (value) list = list.filter((i) => i[field] === value);
      }
      const zones = str(params, 'ZoneId')?.split(',');
      if (zones)
        list = list.filter((i) =>
          String(i.ZoneId)
            .split(',')
            .some((z) => zones.includes(z)),
        );
      const chargeType = str(params, 'ChargeType');
      if (chargeType) list = list.filter((i) => (i.ChargeDetail as { ChargeType: string }).ChargeType === chargeType);
    }
    const sortKey = str(params, 'SortBy') ?? 'InstanceName';
    if (!['InstanceName', 'InstanceStatus', 'CreateTime', 'UsedTopicNumber', 'UsedGroupNumber'].includes(sortKey)) {
      throw invalid('SortBy');
    }
    const sortOrder = str(params, 'SortOrder') ?? 'Desc';
    if (sortOrder !== 'Asc' && sortOrder !== 'Desc') throw invalid('SortOrder');
    const sorted = sortBy(list, (i) => i[sortKey] as string | number, sortOrder === 'Desc');
    return { InstancesInfo: page(sorted, params), Total: list.length };
  },

  DescribeInstanceDetail: (state, params, region) => {
    const instance = instanceOf(state, params, region);
    return {
      BasicInfo: instance.info,
      ConnectionInfo: instance.connections,
      ChargeDetail: instance.info.ChargeDetail,
      FileReservedTime: instance.info.FileReservedTime,
    };
  },

  DescribeTopics: (state, params, region) => {
    const instance = instanceOf(state, params, region);
    const name = str(params, 'TopicName');
    const messageType = int(params, 'MessageType', 0, 4, false);
    const sortKey = str(params, 'SortBy') ?? 'CreateTime';
    if (sortKey !== 'CreateTime' && sortKey !== 'QueueNumber') throw invalid('SortBy');
    const sortOrder = str(params, 'SortOrder') ?? 'Desc';
    if (sortOrder !== 'Asc' && sortOrder !== 'Desc') throw invalid('SortOrder');
    let topics = instance.topics;
    if (name) topics = topics.filter((t) => t.TopicName.includes(name));
    if (messageType !== undefined) topics = topics.filter((t) => t.MessageType === messageType);
    const sorted = sortBy(topics, (t) => t[sortKey], sortOrder === 'Desc');
    return { InstanceId: instance.info.InstanceId, Total: topics.length, TopicsInfo: page(sorted, params) };
  },

  DescribeGroups: (state, params, region) => {
    const instance = instanceOf(state, params, region);
    const groupId = str(params, 'GroupId');
    const groupType = str(params, 'GroupType');
    let groups = instance.groups;
    if (groupId) groups = groups.filter((g) => g.GroupId.includes(groupId));
    if (groupType) groups = groups.filter((g) => g.GroupType === groupType);
    return { Total: groups.length, GroupsInfo: page(groups, params) };
  },

  GetInspectConfig: (state, params, region) => {
    const instance = instanceOf(state, params, region);
    const filters = params.Filters;
    if (filters !== undefined && (typeof filters !== 'object' || filters === null || Array.isArray(filters))) {
      throw invalid('Filters');
    }
    const configType = (filters as Record<string, unknown> | undefined)?.ConfigType;
    const configs = configType ? instance.configs.filter((c) => c.Type === configType) : instance.configs;
    return {
      InstanceId: instance.info.InstanceId,
      Total: configs.length,
      TriggerLimit: 15,
      Configs: page(configs, params),
    };
  },

  GetInstanceInspectResult: (state, params, region) => {
    const instance = instanceOf(state, params, region);
    const sortKey = str(params, 'SortBy') ?? 'TimeStamp';
    if (sortKey !== 'TimeStamp') throw invalid('SortBy');
    const sortOrder = str(params, 'SortOrder') ?? 'ASC';
    if (sortOrder !== 'ASC' && sortOrder !== 'DESC') throw invalid('SortOrder');
    const sorted = sortBy(instance.results, (r: SandboxInspectResult) => Number(r.TimeStamp), sortOrder === 'DESC');
    return {
      InstanceId: instance.info.InstanceId,
      Total: sorted.length,
      InspectCnt: instance.configs.length,
      UnExpectedCnt: sorted.length,
      Results: page(sorted, params),
    };
  },

  EnableInstanceInspect: (state, params, region) => {
    const instance = instanceOf(state, params, region);
    if (typeof params.Enable !== 'boolean') throw params.Enable === undefined ? missing('Enable') : invalid('Enable');
    instance.info.EnableInspect = params.Enable;
    return {};
  },

  ManualProcessResult: (state, params, region) => {
    const instance = instanceOf(state, params, region);
    const resultId = str(params, 'ResultId', true);
    const result = instance.results.find((r) => r.ResultId === resultId);
    if (!result) throw invalid('ResultId');
    result.Status = 'Solved';
    return {};
  },

  ManualTriggerInspect: (state, params, region) => {
    const instance = instanceOf(state, params, region);
    const type = str(params, 'Type', true);
    const name = str(params, 'InspectName', true);
    if (!['cluster', 'topic', 'group'].includes(type)) throw invalid('Type');
    if (RULE_TYPES[name] === undefined) throw invalid('InspectName');
    if (RULE_TYPES[name] !== type) throw invalid('Type');
    if (instance.info.InstanceStatus !== 'Running') {
      throw new FakeApiError(
        403,
        'OperationDenied.InvalidInstanceStatus',
        'The operation is not valid for the current status of the instance.',
      );
    }
    const rule = instance.configs.find((c) => c.InspectName === name);
    if (!rule) {
      throw new FakeApiError(
        403,
        'OperationDenied.VersionUnsupported',
        `The instance version does not support ${name}.`,
      );
    }
    rule.StartInspectTimeStamp = String(Math.floor(Date.now() / 1000));
    return {};
  },
};
