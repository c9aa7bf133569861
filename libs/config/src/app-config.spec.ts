import { AppConfig } from './config.service';
import { ConfigError, validateEnvironment } from './app-config';

const config = (env: Record<string, string>): AppConfig => new AppConfig(validateEnvironment(env));

describe('REDIS_URL and REDIS_CHANNEL_PREFIX', () => {
  it('are optional: without them events stay in process', () => {
    const c = config({});
    expect(c.redisUrl).toBeUndefined();
    expect(c.redisChannelPrefix).toBe('knooppunt:');
  });

  it.each([
    'redis://127.0.0.1:6379',
    'redis://redis:6379',
    'redis://localhost',
    'rediss://user:p%40ss@cache.example.nl:6380/2',
    'redis://:secret@10.0.0.5:6379/0',
    'redis://[::1]:6379',
  ])('accepts %s', (url) => {
    expect(config({ REDIS_URL: url }).redisUrl).toBe(url);
  });

  it.each([
    'http://127.0.0.1:6379',
    'redis://',
    'redis://host:port',
    'redis://host name:6379',
    '127.0.0.1:6379',
  ])('refuses %s', (url) => {
    expect(() => config({ REDIS_URL: url })).toThrow(
      new ConfigError('Invalid configuration: REDIS_URL must be a redis:// or rediss:// URL'),
    );
  });

  it('takes a channel prefix of plain characters', () => {
    expect(config({ REDIS_CHANNEL_PREFIX: 'knooppunt-test-1a2b:' }).redisChannelPrefix).toBe(
      'knooppunt-test-1a2b:',
    );
    expect(() => config({ REDIS_CHANNEL_PREFIX: 'has space' })).toThrow(/REDIS_CHANNEL_PREFIX/);
  });
});

describe('HTTP_BODY_LIMIT', () => {
  it('is counted in bytes, in units of 1024', () => {
    expect(config({}).httpBodyLimit).toBe(100 * 1024);
    expect(config({ HTTP_BODY_LIMIT: '4kb' }).httpBodyLimit).toBe(4096);
    expect(config({ HTTP_BODY_LIMIT: '2MB' }).httpBodyLimit).toBe(2 * 1024 * 1024);
  });

  it('must be a number of kb or mb', () => {
    expect(() => config({ HTTP_BODY_LIMIT: '100' })).toThrow(ConfigError);
    expect(() => config({ HTTP_BODY_LIMIT: '1gb' })).toThrow(ConfigError);
  });
});
