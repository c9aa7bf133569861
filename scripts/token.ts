/**
 * Prints a bearer token signed with the configured AUTH_JWT_SECRET (or the development secret).
 *   npm run token -- --role STEWARD --org 00000001810220350000 [--sub alice] [--name "Alice"] [--hours 12]
 * Several roles: --role STEERING --role ANALYST. The CLI offers the same as `knooppunt token`.
 */
import { parseArgs } from 'node:util';
import { localToken } from '@app/auth/local-token';
import { validateEnvironment } from '@app/config/app-config';
import { AppConfig } from '@app/config/config.service';

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
  const config = new AppConfig(validateEnvironment(process.env));
  process.stdout.write(`${localToken(config, { ...values, roles: values.role })}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
