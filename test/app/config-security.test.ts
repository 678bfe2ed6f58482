// PUBLIC_URL and TRUST_PROXY: the external origin the cross-site check compares with (and whether the session
// cookie is Secure), and which proxies may name the client's address. Forms of trustProxy:
// https://fastify.dev/docs/latest/Reference/Server/#trustproxy
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('PUBLIC_URL and TRUST_PROXY', () => {
  it('reads the public origin without a trailing slash, and proxies as a hop count or addresses and ranges', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://govit.yunfu.gov.cn/' }).publicUrl).toBe(
      'https://govit.yunfu.gov.cn',
    );
    expect(loadConfig({ PUBLIC_URL: 'http://10.1.2.3:8443' }).publicUrl).toBe('http://10.1.2.3:8443');
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,::1' }).trustProxy).toEqual([
      '10.0.0.5',
      '172.16.0.0/12',
      '::1',
    ]);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
  });

  it('names each bad value', () => {
    expect(problems({ PUBLIC_URL: 'govit.yunfu.gov.cn' })[0]).toMatch(
      /^PUBLIC_URL='govit.yunfu.gov.cn' is not an http\(s\) origin/,
    );
    expect(problems({ PUBLIC_URL: 'https://govit.yunfu.gov.cn/app' })[0]).toMatch(/has a path/);
    expect(problems({ TRUST_PROXY: 'true' })[0]).toMatch(/^TRUST_PROXY='true' is not a hop count/);
    expect(problems({ TRUST_PROXY: '10.0.0.0/33,proxy' })[0]).toContain(
      'not an address or range: 10.0.0.0/33, proxy',
    );
  });
});
