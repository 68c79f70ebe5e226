/** A registry's address as image references and pull secrets need it. Pure: no I/O. */

/** host[:port] of a registry's stored url, which may carry a scheme and trailing slashes. */
export function registryHost(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}
