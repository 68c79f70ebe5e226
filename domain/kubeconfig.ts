/**
 * Kubeconfigs are data, never programs. A tenant's kubeconfig may name an API server and prove an identity to it
 * with inline data only; anything that runs a program (`exec`, `auth-provider`), reads a file on the Kiln host
 * (`tokenFile`, `certificate-authority`, `client-certificate`, `client-key`) or routes Kiln's traffic elsewhere
 * (`proxy-url`) is refused, at registration and again whenever a stored one is loaded. Pure: no I/O.
 */
import { parse } from 'yaml';

type Allowed = Record<string, 'string' | 'boolean' | 'any'>;

// Allowlists, not denylists: a field client-node learns to act on tomorrow is refused until reviewed here.
const topLevel: Allowed = {
  apiVersion: 'string',
  kind: 'string',
  clusters: 'any',
  contexts: 'any',
  users: 'any',
  'current-context': 'string',
  preferences: 'any',
  extensions: 'any',
};
const clusterFields: Allowed = {
  server: 'string',
  'certificate-authority-data': 'string',
  'insecure-skip-tls-verify': 'boolean',
  'tls-server-name': 'string',
  'disable-compression': 'boolean',
  extensions: 'any',
};
const userFields: Allowed = {
  token: 'string',
  'client-certificate-data': 'string',
  'client-key-data': 'string',
  username: 'string',
  password: 'string',
  as: 'string',
  'as-uid': 'string',
  'as-groups': 'any',
  'as-user-extra': 'any',
  extensions: 'any',
};
const contextFields: Allowed = { cluster: 'string', user: 'string', namespace: 'string', extensions: 'any' };

const inline = 'paste the file content base64-encoded as';
const reasons: Record<string, string> = {
  exec: 'it runs a program on the Kiln host (a credential plugin). Use a bearer token or client certificate data instead',
  'auth-provider':
    'it runs provider code on the Kiln host (gcp, azure, oidc). Use a bearer token or client certificate data instead',
  tokenFile: 'it reads a file on the Kiln host. Put the token itself in `token`',
  'token-file': 'it reads a file on the Kiln host. Put the token itself in `token`',
  'certificate-authority': `it is a file path on the Kiln host; ${inline} certificate-authority-data`,
  'client-certificate': `it is a file path on the Kiln host; ${inline} client-certificate-data`,
  'client-key': `it is a file path on the Kiln host; ${inline} client-key-data`,
  'proxy-url':
    "it would send Kiln's traffic and credentials through a proxy the kubeconfig chooses; the operator sets HTTPS_PROXY on the worker instead",
};
const otherwise =
  'Kiln accepts only inline data (server, certificate-authority-data, token, client-certificate-data and client-key-data, or username and password); `kubectl config view --raw --minify --flatten` prints such a file';

/** The first reason this kubeconfig text may not be used, as `kubeconfig: <field> is not allowed: …`, or null. */
export function kubeconfigViolation(text: string): string | null {
  const result = parseDataKubeconfig(text);
  return 'error' in result ? result.error : null;
}

/**
 * Parses and checks a kubeconfig. On success `json` is the same document re-serialised from what was checked,
 * for `KubeConfig.loadFromString`: client-node's own YAML parser never sees the original text (no parser gap).
 */
export function parseDataKubeconfig(
  text: string,
): { json: string; doc: Record<string, unknown> } | { error: string; invalidYaml?: true; hasClusters?: boolean } {
  let doc: unknown;
  try {
    // YAML 1.2 core: no `<<` merge keys (a merged `exec` would be invisible here), duplicate keys are errors.
    doc = parse(text, { merge: false, uniqueKeys: true, maxAliasCount: 50 });
  } catch (error) {
    return { error: `kubeconfig is not valid YAML: ${(error as Error).message}`, invalidYaml: true };
  }
  if (!isObject(doc)) return { error: 'kubeconfig: the document is not a mapping; paste the whole kubeconfig file.' };
  const problem =
    checkFields(doc, topLevel, '') ??
    checkList(doc, 'clusters', 'cluster', clusterFields) ??
    checkList(doc, 'users', 'user', userFields) ??
    checkList(doc, 'contexts', 'context', contextFields);
  if (problem) return { error: problem, hasClusters: Array.isArray(doc.clusters) && doc.clusters.length > 0 };
  return { json: JSON.stringify(doc), doc };
}

function checkList(doc: Record<string, unknown>, list: string, entry: string, allowed: Allowed): string | null {
  const items = doc[list];
  if (items == null) return null;
  if (!Array.isArray(items)) return `kubeconfig: ${list} must be a list.`;
  for (const [index, item] of items.entries()) {
    const at = `${list}[${index}]`;
    if (!isObject(item)) return `kubeconfig: ${at} must be a mapping.`;
    const outer = checkFields(item, { name: 'string', [entry]: 'any' }, `${at}.`);
    if (outer) return outer;
    const body = item[entry];
    if (body == null) continue;
    if (!isObject(body)) return `kubeconfig: ${at}.${entry} must be a mapping.`;
    const inner = checkFields(body, allowed, `${at}.${entry}.`);
    if (inner) return inner;
  }
  return null;
}

function checkFields(object: Record<string, unknown>, allowed: Allowed, prefix: string): string | null {
  for (const [key, value] of Object.entries(object)) {
    const field = `${prefix}${key}`;
    const type = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (type == null) return `kubeconfig: ${field} is not allowed: ${reasons[key] ?? otherwise}.`;
    if (value != null && type !== 'any' && typeof value !== type) return `kubeconfig: ${field} must be a ${type}.`;
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value != null && !Array.isArray(value);
}
