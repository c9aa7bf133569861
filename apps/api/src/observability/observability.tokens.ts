/** The process's pino logger (see rootLogger). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
