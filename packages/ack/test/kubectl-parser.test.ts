import { OpsError } from '@opsmcp/core';
import { describe, expect, it } from 'vitest';
import { parseCommand, resourceRefs, tokenize } from '../src/kubernetes/command.js';
import { compileJsonPath } from '../src/kubernetes/jsonpath.js';
import { maskSecrets } from '../src/kubernetes/mask.js';

function refused(command: string): OpsError {
  try {
    parseCommand(command);
  } catch (error) {
    expect(error).toBeInstanceOf(OpsError);
    expect((error as OpsError).code).toBe('INVALID_ARGUMENT');
    return error as OpsError;
  }
  throw new Error(`"${command}" was accepted`);
}

describe('tokenize', () => {
  it('splits words and keeps quoted text whole', () => {
    expect(tokenize(`get pods -l 'app in (a,b)' -o "jsonpath={.items[*].metadata.name}"`)).toEqual([
      'get',
      'pods',
      '-l',
      'app in (a,b)',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ]);
    expect(tokenize(`-o=jsonpath='{range .items[*]}{.metadata.name}{"\\n"}{end}'`)).toEqual([
      '-o=jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}',
    ]);
    expect(tokenize('a\\ b "c\\"d"')).toEqual(['a b', 'c"d']);
  });
});

describe('parseCommand accepts the supported forms', () => {
  const accepted: Array<[string, string, 'read' | 'write' | 'destructive']> = [
    ['kubectl get pods', 'get', 'read'],
    ['get pods -n kube-system', 'get', 'read'],
    ['-n kube-system get pods', 'get', 'read'],
    ['get po -A -o wide', 'get', 'read'],
    ['get deploy,svc -n shop -l app=web --show-labels', 'get', 'read'],
    ['get pods --field-selector=status.phase=Running -o name', 'get', 'read'],
    ['get pods -ojson', 'get', 'read'],
    ['get pods -o yaml --chunk-size 50', 'get', 'read'],
    ["get pods -o jsonpath='{.items[*].metadata.name}'", 'get', 'read'],
    ['get pod/web-0 deploy/web', 'get', 'read'],
    ['get widgets.example.opsmcp.io --limit=10 --continue=abc', 'get', 'read'],
    ['describe pod web-0 -n shop', 'describe', 'read'],
    ['logs web-0 -c app --tail=100 --since=1h --previous', 'logs', 'read'],
    ['logs deploy/web -f --timestamps --limit-bytes=2048', 'logs', 'read'],
    ['logs web-0 app', 'logs', 'read'],
    ['events -n shop --for pod/web-0 --types=Warning', 'events', 'read'],
    ['top pods -n shop --sort-by=memory', 'top', 'read'],
    ['top nodes', 'top', 'read'],
    ['api-resources --namespaced=true -o wide', 'api-resources', 'read'],
    ['api-versions', 'api-versions', 'read'],
    ['version -o json', 'version', 'read'],
    ['cluster-info', 'cluster-info', 'read'],
    ['explain deployment.spec.replicas', 'explain', 'read'],
    ['rollout status deployment/web -n shop --timeout=30s', 'rollout', 'read'],
    ['rollout history deploy web', 'rollout', 'read'],
    ['apply -n shop', 'apply', 'write'],
    ['apply --server-side --force-conflicts --dry-run=server', 'apply', 'write'],
    ['create -n shop', 'create', 'write'],
    ['scale deploy/web --replicas=5 -n shop', 'scale', 'write'],
    ['rollout restart deployment/web', 'rollout', 'write'],
    ['rollout undo deployment/web --to-revision=1', 'rollout', 'write'],
    ['label pod web-0 tier=frontend old- --overwrite', 'label', 'write'],
    ['annotate deploy web note="hello world"', 'annotate', 'write'],
    [`patch deploy web --type=merge -p '{"spec":{"replicas":2}}'`, 'patch', 'write'],
    ['cordon node-a', 'cordon', 'write'],
    ['uncordon node-a', 'uncordon', 'write'],
    ['delete pod web-0 -n shop', 'delete', 'destructive'],
    ['delete pods -l app=web --grace-period=10', 'delete', 'destructive'],
    ['drain node-a --ignore-daemonsets --delete-emptydir-data --timeout=60s', 'drain', 'destructive'],
  ];
  it.each(accepted)('%s', (command, verb, access) => {
    const cmd = parseCommand(command);
    expect(cmd.verb).toBe(verb);
    expect(cmd.access).toBe(access);
  });

  it('reads the flags it is given', () => {
    const cmd = parseCommand(`get pods -n shop -l app=web -o jsonpath={.items[0].metadata.name} --chunk-size=7`);
    expect(cmd.flags).toMatchObject({
      namespace: 'shop',
      selector: 'app=web',
      chunkSize: 7,
      output: { kind: 'jsonpath', template: '{.items[0].metadata.name}' },
    });
    const logs = parseCommand('logs web-0 app --tail 5 --since 1h30m -p');
    expect(logs.flags).toMatchObject({ container: 'app', tail: 5, sinceSeconds: 5400, previous: true });
    expect(parseCommand('rollout restart deploy/web').sub).toBe('restart');
    expect(parseCommand('top po').sub).toBe('pods');
    expect(resourceRefs(['deploy/web', 'pod/a'])).toEqual([
      { type: 'deploy', name: 'web' },
      { type: 'pod', name: 'a' },
    ]);
  });
});

describe('parseCommand refuses', () => {
  it.each([
    'get pods; rm -rf /',
    'get x; kubectl delete ns prod',
    'get pods && kubectl delete pod x',
    'get pods || true',
    'get pods | grep web',
    'get pods > /tmp/out',
    'get pods < /etc/passwd',
    'get pods `id`',
    'get pods $(id)',
    'get pods\nrm -rf /',
    'get pods & sleep 1',
  ])('shell syntax: %s', (command) => {
    expect(refused(command).message).toMatch(/shell|one line/i);
  });

  it.each([
    'exec -it web-0 -- sh',
    'attach web-0',
    'cp web-0:/etc/passwd /tmp/p',
    'port-forward svc/web 8080:80',
    'proxy',
    'debug node/x',
    'run x --image=busybox',
    'edit deploy web',
    'config view',
    'config use-context prod',
  ])('verb: %s', (command) => {
    expect(refused(command).message).toMatch(/refused/);
  });

  it.each([
    ['get pods -w', '-w'],
    ['get pods --watch', '--watch'],
    ['get pods --watch-only', '--watch-only'],
    ['get pods -wA', '-w'],
    ['get --raw /api/v1/secrets', '--raw'],
    ['apply -f deploy.yaml', '--filename'],
    ['apply --filename=https://example.com/x.yaml', '--filename'],
    ['apply -k ./overlay', '-k'],
    ['apply --kustomize=./overlay', '--kustomize'],
    ['delete pods --all', '--all'],
  ])('flag: %s', (command, flag) => {
    expect(refused(command).message).toContain(flag);
  });

  it.each([
    '--kubeconfig=/etc/kubernetes/admin.conf',
    '--server=https://10.0.0.1:6443',
    '-s https://10.0.0.1:6443',
    '--token=abc',
    '--as=system:admin',
    '--as-group=system:masters',
    '--as-uid=0',
    '--user=admin',
    '--cluster=other',
    '--context=prod',
    '--client-certificate=/tmp/c',
    '--client-key=/tmp/k',
    '--certificate-authority=/tmp/ca',
    '--insecure-skip-tls-verify',
    '--username=admin',
    '--password=secret',
    '--tls-server-name=x',
  ])('identity flag: get pods %s', (flag) => {
    const name = flag.split(/[= ]/)[0] as string;
    expect(refused(`get pods ${flag}`).message).toContain(name);
  });

  it.each([
    'get pods -n ..',
    'get pods -n ../kube-system',
    'get pods -n kube/system',
    'get pods -n KUBE',
    'get pod ../../secrets',
    'get pod a/b/c',
    'get pod .',
    'describe pod -- -leading',
    'logs ../x',
    'get pods -o go-template={{.}}',
    'get pods -o custom-columns=N:.metadata.name',
    'frobnicate pods',
    'get',
    'scale deploy/web',
    'delete pods',
    'label pod web-0',
    'apply deploy.yaml',
    'get pods --unknown-flag',
    'logs web-0 --tail=abc',
    'cordon',
  ])('bad input: %s', (command) => {
    refused(command);
  });

  it('says a write verb is a write', () => {
    expect(parseCommand('delete pod x').access).toBe('destructive');
  });
});

describe('jsonpath', () => {
  const data = {
    items: [
      { metadata: { name: 'a', labels: { app: 'web' } }, status: { phase: 'Running' } },
      { metadata: { name: 'b', labels: { app: 'db' } }, status: { phase: 'Pending' } },
    ],
  };
  it('evaluates the common subset', () => {
    expect(compileJsonPath('{.items[*].metadata.name}')(data)).toBe('a b');
    expect(compileJsonPath('{.items[0].metadata.name}')(data)).toBe('a');
    expect(compileJsonPath('{.items[-1].metadata.name}')(data)).toBe('b');
    expect(compileJsonPath('{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}')(data)).toBe(
      'a\tRunning\nb\tPending\n',
    );
    expect(compileJsonPath('{.items[?(@.status.phase=="Pending")].metadata.name}')(data)).toBe('b');
    expect(compileJsonPath("{.items[0].metadata.labels['app']}")(data)).toBe('web');
    expect(compileJsonPath('names: {.items[*].metadata.name}')(data)).toBe('names: a b');
  });
  it('refuses what it does not implement', () => {
    expect(() => compileJsonPath('{..name}')).toThrow(/recursive descent/);
    expect(() => compileJsonPath('{range .items[*]}{.x}')).toThrow(/without \{end\}/);
  });
});

describe('maskSecrets', () => {
  it('masks data, stringData and the last-applied annotation of Secrets, in lists and tables too', () => {
    const secret = {
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: {
        name: 's',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"p":"x"}}', other: 'kept' },
      },
      data: { p: 'eA==' },
      stringData: { q: 'plain' },
    };
    const masked = maskSecrets({ kind: 'List', items: [secret, { kind: 'ConfigMap', data: { a: 'visible' } }] }) as {
      items: Array<Record<string, unknown>>;
    };
    expect(JSON.stringify(masked)).not.toContain('eA==');
    expect(JSON.stringify(masked)).not.toContain('plain');
    expect(JSON.stringify(masked)).not.toContain('"p":"x"');
    expect(JSON.stringify(masked)).toContain('kept');
    expect(masked.items[1]).toEqual({ kind: 'ConfigMap', data: { a: 'visible' } });
    const typedList = maskSecrets({ kind: 'SecretList', items: [{ metadata: { name: 's' }, data: { p: 'eA==' } }] });
    expect(JSON.stringify(typedList)).not.toContain('eA==');
    const table = maskSecrets({ kind: 'Table', rows: [{ cells: ['s'], object: secret }] });
    expect(JSON.stringify(table)).not.toContain('eA==');
  });
});
