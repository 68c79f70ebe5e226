// Reads a pushed image back over the registry's HTTP API (manifest, config blob, layers), as `docker pull` would.
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { manifestMediaTypes } from '../../clients/registry';

/** An image as the registry serves it: raw manifest and config JSON text, and every layer tar (uncompressed). */
export interface RegistryImage {
  manifest: string;
  config: string;
  layers: Buffer[];
}

/** Fetches `repository:tag` from a plain-HTTP registry with basic auth. */
export async function readRegistryImage(
  host: string,
  credentials: { username: string; password: string },
  repository: string,
  tag: string,
): Promise<RegistryImage> {
  const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const get = async (route: string, accept?: string) => {
    const response = await fetch(`http://${host}/v2/${repository}/${route}`, {
      headers: { authorization, ...(accept ? { accept } : {}) },
    });
    expect(response.status, `GET ${route}`).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  };
  const manifest = (await get(`manifests/${tag}`, manifestMediaTypes.join(', '))).toString('utf8');
  const parsed = JSON.parse(manifest) as { config: { digest: string }; layers: { digest: string }[] };
  const config = (await get(`blobs/${parsed.config.digest}`)).toString('utf8');
  const layers: Buffer[] = [];
  for (const layer of parsed.layers) {
    const blob = await get(`blobs/${layer.digest}`);
    layers.push(blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob);
  }
  return { manifest, config, layers };
}

/** The content of `file` (path inside the image, no leading slash) from the topmost layer holding it. */
export function fileInImage(image: RegistryImage, file: string): string | undefined {
  let found: string | undefined;
  for (const layer of image.layers) {
    const content = fileInTar(layer, file);
    if (content !== undefined) found = content;
  }
  return found;
}

/** Minimal ustar reader: enough to find one regular file by name. */
function fileInTar(tar: Buffer, file: string): string | undefined {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return undefined;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = `${field(345, 155) ? `${field(345, 155)}/` : ''}${field(0, 100)}`.replace(/^\.?\//, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (name === file) return tar.subarray(offset + 512, offset + 512 + size).toString('utf8');
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}
