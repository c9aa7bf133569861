import { Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { migrateDatabase, verifyAudit } from '@app/database/operator';
import { NestPinoLogger, rootLogger } from './observability/logger';

/** `main.js migrate` (npm run migrate): apply pending migrations. */
export async function migrate(config: AppConfig): Promise<void> {
  Logger.overrideLogger(new NestPinoLogger(rootLogger(config)));
  new Logger('Migrate').log(await migrateDatabase(config));
}

/**
 * `main.js audit:verify` (npm run audit:verify): walk the audit hash chain; exit code 0 when it is
 * whole, 3 with the first broken link otherwise.
 */
export async function auditVerify(config: AppConfig): Promise<number> {
  Logger.overrideLogger(new NestPinoLogger(rootLogger(config)));
  const outcome = await verifyAudit(config);
  process.stdout.write(outcome.text);
  return outcome.exitCode;
}
