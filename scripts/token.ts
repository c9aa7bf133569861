/**
 * Prints a bearer token signed with the configured AUTH_JWT_SECRET (or the development secret).
 *   npm run token -- --role STEWARD --org 00000001810220350000 [--sub alice] [--name "Alice"] [--hours 12]
 * Several roles: --role STEERING --role ANALYST.
 */
import { parseArgs } from 'node:util';
import { signToken } from '@app/auth/auth.service';
import { ConfigError, validateEnvironment } from '@app/config/app-config';
import { AppConfig } from '@app/config/config.service';
import { Role } from '@app/core/actor';

function main(): void {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true, default: ['ADMIN'] },
      org: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      hours: { type: 'string', default: '12' },
    },
  });
  const roles = values.role.map((r) => r.toUpperCase());
  const unknown = roles.filter((r) => !(r in Role));
  if (unknown.length > 0)
    throw new ConfigError(`unknown role ${unknown.join(', ')}; use ${Object.keys(Role).join(', ')}`);
  if (roles.includes(Role.STEWARD) && !values.org)
    throw new ConfigError('a STEWARD token needs --org (OIN or TOOI URI)');
  const config = new AppConfig(validateEnvironment(process.env));
  if (config.jwtSecret === null)
    throw new ConfigError(
      'local tokens are switched off (AUTH_DISABLE_LOCAL_TOKENS, or AUTH_JWKS_URL without AUTH_JWT_SECRET)',
    );
  const sub = values.sub ?? `local-${roles.join('-').toLowerCase()}${values.org ? `-${values.org}` : ''}`;
  const token = signToken(
    config.jwtSecret,
    { sub, name: values.name ?? `Local ${roles.join('/')}`, roles: roles as Role[], org: values.org ?? null },
    Math.round(Number(values.hours) * 3600),
  );
  process.stdout.write(`${token}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
