import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * The one CNI network every isolated local build joins: its own bridge and subnet (not podman's 10.88.0.0/16),
 * IPv4 only. Every Kiln worker on a machine writes the same definition, so they share the bridge and its address
 * allocation (host-local keeps that under /var/lib/cni/networks/kiln-build).
 */
export const buildNetwork = {
  name: 'kiln-build',
  bridge: 'kiln-build0',
  subnet: '10.89.213.0/24',
  gateway: '10.89.213.1',
} as const;

/** The CNI plugins the network needs, looked up in `pluginDir`. */
export const requiredCniPlugins = ['bridge', 'host-local', 'loopback'] as const;

/** Writes `<configDir>/kiln-build.conflist` (buildah reads it through `--cni-config-dir`). */
export async function writeBuildNetworkConfig(configDir: string): Promise<void> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const config = {
    cniVersion: '0.4.0',
    name: buildNetwork.name,
    plugins: [
      {
        type: 'bridge',
        bridge: buildNetwork.bridge,
        isGateway: true,
        // Kiln's own POSTROUTING rule masquerades the subnet; per-container rules could leak on a failed teardown.
        ipMasq: false,
        hairpinMode: false,
        ipam: {
          type: 'host-local',
          routes: [{ dst: '0.0.0.0/0' }],
          ranges: [[{ subnet: buildNetwork.subnet, gateway: buildNetwork.gateway }]],
        },
      },
    ],
  };
  await writeFile(path.join(configDir, `${buildNetwork.name}.conflist`), `${JSON.stringify(config, null, 2)}\n`);
}

const chains = { input: 'KILN-BUILD-INPUT', forward: 'KILN-BUILD-FORWARD', nat: 'KILN-BUILD-NAT' } as const;

/**
 * The firewall of the build network, as iptables-restore input. A build may open connections out (package
 * registries) and get their answers, nothing else:
 * - INPUT from the bridge is refused: no host service on any host address (the bridge gateway, eth0, other
 *   bridges) answers a build;
 * - bridge to bridge is refused (br_netfilter hands bridged frames to FORWARD): builds cannot reach each other;
 * - link-local 169.254.0.0/16 is refused: cloud metadata services hand out the machine's credentials;
 * - nothing from outside may open a connection into a build.
 */
function ipv4Rules(): string {
  const bridge = buildNetwork.bridge;
  const reject = '-j REJECT --reject-with icmp-port-unreachable';
  return [
    '*filter',
    `:${chains.input} - [0:0]`,
    `:${chains.forward} - [0:0]`,
    `-A ${chains.input} -i ${bridge} -p tcp -j REJECT --reject-with tcp-reset`,
    `-A ${chains.input} -i ${bridge} ${reject}`,
    `-A ${chains.forward} -i ${bridge} -o ${bridge} ${reject}`,
    `-A ${chains.forward} -i ${bridge} -d 169.254.0.0/16 ${reject}`,
    `-A ${chains.forward} -i ${bridge} -j ACCEPT`,
    `-A ${chains.forward} -o ${bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    `-A ${chains.forward} -o ${bridge} ${reject}`,
    'COMMIT',
    '*nat',
    `:${chains.nat} - [0:0]`,
    `-A ${chains.nat} -s ${buildNetwork.subnet} ! -o ${bridge} -j MASQUERADE`,
    'COMMIT',
    '',
  ].join('\n');
}

/** IPv6 is not routed for builds at all: link-local addresses on the bridge would otherwise reach the host. */
function ipv6Rules(): string {
  const bridge = buildNetwork.bridge;
  return [
    '*filter',
    `:${chains.input} - [0:0]`,
    `:${chains.forward} - [0:0]`,
    `-A ${chains.input} -i ${bridge} -j REJECT`,
    `-A ${chains.forward} -i ${bridge} -j REJECT`,
    `-A ${chains.forward} -o ${bridge} -j REJECT`,
    'COMMIT',
    '',
  ].join('\n');
}

/**
 * Installs the build network's firewall idempotently: Kiln's own chains are replaced atomically (iptables-restore
 * --noflush touches no other chain) and jumped to first from INPUT, FORWARD and POSTROUTING. Rules are never
 * removed, so workers starting and stopping on one machine cannot open a gap for each other. Also turns on what
 * the rules depend on: IPv4 forwarding and br_netfilter's hand-over of bridged traffic to ip(6)tables.
 */
export async function installBuildFirewall(): Promise<void> {
  await requireSysctl('net/ipv4/ip_forward');
  await requireSysctl('net/bridge/bridge-nf-call-iptables');
  await requireSysctl('net/bridge/bridge-nf-call-ip6tables');
  await restore('iptables-restore', ipv4Rules());
  await restore('ip6tables-restore', ipv6Rules());
  const jumps: Array<[string, string, string, string]> = [
    ['iptables', 'filter', 'INPUT', chains.input],
    ['iptables', 'filter', 'FORWARD', chains.forward],
    ['iptables', 'nat', 'POSTROUTING', chains.nat],
    ['ip6tables', 'filter', 'INPUT', chains.input],
    ['ip6tables', 'filter', 'FORWARD', chains.forward],
  ];
  for (const [binary, table, chain, target] of jumps) {
    const rule = [chain, '-j', target];
    const present = await exec(binary, ['-w', '-t', table, '-C', ...rule]).then(
      () => true,
      () => false,
    );
    if (!present) await exec(binary, ['-w', '-t', table, '-I', chain, '1', '-j', target]);
  }
}

async function restore(binary: string, rules: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile(binary, ['-w', '--noflush'], (error, _stdout, stderr) =>
      error ? reject(new Error(`${binary} failed: ${stderr.trim() || error.message}`)) : resolve(),
    );
    child.stdin?.end(rules);
  });
}

/** Sets a boolean sysctl to 1 (loading br_netfilter first when its switches are missing); throws when it cannot. */
async function requireSysctl(name: string): Promise<void> {
  const file = path.join('/proc/sys', name);
  let value = await readFile(file, 'utf8').catch(() => undefined);
  if (value === undefined && name.startsWith('net/bridge/')) {
    await exec('modprobe', ['br_netfilter']).catch(() => undefined);
    value = await readFile(file, 'utf8').catch(() => undefined);
  }
  if (value === undefined) throw new Error(`${file} is missing (kernel module br_netfilter)`);
  if (value.trim() !== '1') await writeFile(file, '1');
}
