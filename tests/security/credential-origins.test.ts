// Unit tests of the one resolver (domain/credentials.ts): which URL gets which connection's token.
import { describe, expect, it } from 'vitest';
import { connectionOrigin, originOf, resolveCredential, type CredentialConnection } from '../../domain/credentials';

const gitlab = (baseUrl: string): CredentialConnection & { id: string } => ({ id: baseUrl, kind: 'gitlab', baseUrl });

describe('originOf', () => {
  it.each([
    ['https://GitLab.Example.com/team/app.git', 'https://gitlab.example.com'],
    ['HTTPS://gitlab.example.com:443/team/app.git', 'https://gitlab.example.com'],
    ['http://gitlab.example.com:80/x', 'http://gitlab.example.com'],
    ['https://gitlab.example.com:8443/x', 'https://gitlab.example.com:8443'],
    ['http://gitlab.example.com:443/x', 'http://gitlab.example.com:443'],
    ['https://oauth2:secret@gitlab.example.com/x', 'https://gitlab.example.com'],
    ['https://gitlab.example.com@evil.example/x', 'https://evil.example'],
    ['https://gitlab.example.com.evil.example/x', 'https://gitlab.example.com.evil.example'],
    ['git@gitlab.example.com:team/app.git', 'ssh://gitlab.example.com'],
    ['gitlab.example.com:team/app.git', 'ssh://gitlab.example.com'],
    ['ssh://git@GitLab.example.com:22/team/app.git', 'ssh://gitlab.example.com'],
    ['http://[::1]:8080/x', 'http://[::1]:8080'],
  ])('%s is on %s', (url, origin) => expect(originOf(url)).toBe(origin));

  it('has no origin for what is not a URL', () => {
    expect(originOf('not a url')).toBeNull();
    expect(originOf('')).toBeNull();
    expect(originOf('file:///etc/passwd')).toBeNull();
  });
});

describe('resolveCredential', () => {
  const connections = [gitlab('https://gitlab.com'), gitlab('https://git.acme.dev:8443/api/v4')];

  it('matches scheme, host and port exactly, whatever the case or default-port spelling', () => {
    expect(resolveCredential(connections, 'https://GITLAB.com:443/a/b.git')?.id).toBe('https://gitlab.com');
    expect(resolveCredential(connections, 'https://git.acme.dev:8443/a/b.git')?.id).toBe(
      'https://git.acme.dev:8443/api/v4',
    );
  });

  it('never falls back to another connection: other port, http instead of https, other host, scp-like', () => {
    for (const url of [
      'https://git.acme.dev/a/b.git',
      'http://gitlab.com/a/b.git',
      'https://gitlab.com.evil.example/a/b.git',
      'https://evil.example/gitlab.com/a/b.git',
      'https://gitlab.com@evil.example/a/b.git',
      'git@gitlab.com:a/b.git',
      'garbage',
    ]) {
      expect(resolveCredential(connections, url), url).toBeUndefined();
    }
    expect(resolveCredential([gitlab('https://gitlab.com')], 'https://evil.example/a/b.git')).toBeUndefined();
  });

  it('userinfo in the repository URL does not change which host it is', () => {
    expect(resolveCredential(connections, 'https://user:pw@gitlab.com/a/b.git')?.id).toBe('https://gitlab.com');
  });

  it('only connections of the asked provider count', () => {
    expect(resolveCredential(connections, 'https://gitlab.com/a/b.git', 'github')).toBeUndefined();
  });

  it('a GitHub connection registered by its API address is for github.com repositories, and only those', () => {
    const github: CredentialConnection = { kind: 'github', baseUrl: 'https://api.github.com' };
    expect(connectionOrigin(github)).toBe('https://github.com');
    expect(resolveCredential([github], 'https://github.com/acme/shop.git')).toBe(github);
    expect(resolveCredential([github], 'https://gist.github.com/acme/shop.git')).toBeUndefined();
    // The api. alias is GitHub's own, not a rule for every host.
    expect(connectionOrigin({ kind: 'gitlab', baseUrl: 'https://api.github.com' })).toBe('https://api.github.com');
    expect(connectionOrigin({ kind: 'github', baseUrl: 'https://api.ghe.example' })).toBe('https://api.ghe.example');
  });
});
