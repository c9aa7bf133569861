import { LoggerService } from '@nestjs/common';
import pino from 'pino';
import PinoPretty from 'pino-pretty';
import { AppConfig } from '@app/config';
import { RequestScopes } from '@app/core';

export type RootLogger = pino.Logger;

/**
 * Never logged, wherever they turn up in a log object: credentials, request bodies and GraphQL
 * variables (they may hold confidential text). Nothing logs them today; this is the safety net.
 */
const REDACTED = [
  'authorization',
  'token',
  'password',
  'body',
  'variables',
  'query',
  '*.authorization',
  '*.token',
  '*.password',
  '*.body',
  '*.variables',
  '*.query',
  '*.headers.authorization',
  '*.headers.cookie',
];

let root: RootLogger | undefined;

/**
 * The process's one pino logger: JSON lines (LOG_FORMAT=json, the default outside development) or
 * readable lines (pretty). Every line written while serving a request carries its `requestId`.
 */
export function rootLogger(config: AppConfig): RootLogger {
  if (root) return root;
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const scope = RequestScopes.current();
      return scope ? { requestId: scope.requestId } : {};
    },
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  root =
    config.logFormat === 'pretty'
      ? pino(
          options,
          PinoPretty({
            sync: true,
            colorize: process.stdout.isTTY,
            translateTime: 'SYS:HH:MM:ss.l',
            ignore: 'pid,hostname',
            messageFormat: '{if context}[{context}] {end}{msg}',
          }),
        )
      : pino(options, pino.destination({ fd: 1, sync: true }));
  return root;
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's logger interface over pino, so that Nest's own messages and every `new Logger(context)` of
 * ours come out as the same JSON lines. Nest passes the context as the last argument (and, for errors,
 * a stack before it).
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: RootLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const params = [...rest];
    const context = typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    const stack = params.find((p) => typeof p === 'string' || p instanceof Error);
    if (level === 'error' || level === 'fatal') {
      if (typeof stack === 'string') fields.stack = stack;
      else if (stack instanceof Error) fields.err = stack;
    }
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...message });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
