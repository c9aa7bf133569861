/** The blocker taxonomy of the brief: every type belongs to exactly one layer. */
export enum BlockerLayer {
  LEGAL = 'LEGAL',
  ORGANISATIONAL = 'ORGANISATIONAL',
  SEMANTIC = 'SEMANTIC',
  TECHNICAL = 'TECHNICAL',
  GOVERNANCE = 'GOVERNANCE',
}

export enum BlockerType {
  NO_LEGAL_BASIS = 'NO_LEGAL_BASIS',
  PURPOSE_LIMITATION = 'PURPOSE_LIMITATION',
  CONFIDENTIALITY_DUTY = 'CONFIDENTIALITY_DUTY',
  BASIS_NOT_FOR_CHAIN = 'BASIS_NOT_FOR_CHAIN',
  LEGAL_UNCERTAINTY = 'LEGAL_UNCERTAINTY',
  CONSENT_REQUIRED = 'CONSENT_REQUIRED',
  PENDING_ADVICE = 'PENDING_ADVICE',
  UNCLEAR_RESPONSIBILITY = 'UNCLEAR_RESPONSIBILITY',
  PROCESS_MISALIGNMENT = 'PROCESS_MISALIGNMENT',
  NO_AGREEMENT = 'NO_AGREEMENT',
  NO_CAPACITY = 'NO_CAPACITY',
  NO_FEEDBACK_LOOP = 'NO_FEEDBACK_LOOP',
  DEFINITION_MISMATCH = 'DEFINITION_MISMATCH',
  DATA_QUALITY = 'DATA_QUALITY',
  IDENTIFICATION = 'IDENTIFICATION',
  GRANULARITY = 'GRANULARITY',
  NO_SHARED_VOCABULARY = 'NO_SHARED_VOCABULARY',
  NO_INTERFACE = 'NO_INTERFACE',
  LEGACY_SYSTEM = 'LEGACY_SYSTEM',
  AVAILABILITY = 'AVAILABILITY',
  SECURITY = 'SECURITY',
  PROTOCOL_MISMATCH = 'PROTOCOL_MISMATCH',
  NO_DECISION_MAKER = 'NO_DECISION_MAKER',
  FINANCING = 'FINANCING',
  STANDARDS_CHOICE = 'STANDARDS_CHOICE',
  POLITICAL_PRIORITY = 'POLITICAL_PRIORITY',
}

const TYPES_BY_LAYER: Record<BlockerLayer, BlockerType[]> = {
  [BlockerLayer.LEGAL]: [
    BlockerType.NO_LEGAL_BASIS,
    BlockerType.PURPOSE_LIMITATION,
    BlockerType.CONFIDENTIALITY_DUTY,
    BlockerType.BASIS_NOT_FOR_CHAIN,
    BlockerType.LEGAL_UNCERTAINTY,
    BlockerType.CONSENT_REQUIRED,
    BlockerType.PENDING_ADVICE,
  ],
  [BlockerLayer.ORGANISATIONAL]: [
    BlockerType.UNCLEAR_RESPONSIBILITY,
    BlockerType.PROCESS_MISALIGNMENT,
    BlockerType.NO_AGREEMENT,
    BlockerType.NO_CAPACITY,
    BlockerType.NO_FEEDBACK_LOOP,
  ],
  [BlockerLayer.SEMANTIC]: [
    BlockerType.DEFINITION_MISMATCH,
    BlockerType.DATA_QUALITY,
    BlockerType.IDENTIFICATION,
    BlockerType.GRANULARITY,
    BlockerType.NO_SHARED_VOCABULARY,
  ],
  [BlockerLayer.TECHNICAL]: [
    BlockerType.NO_INTERFACE,
    BlockerType.LEGACY_SYSTEM,
    BlockerType.AVAILABILITY,
    BlockerType.SECURITY,
    BlockerType.PROTOCOL_MISMATCH,
  ],
  [BlockerLayer.GOVERNANCE]: [
    BlockerType.NO_DECISION_MAKER,
    BlockerType.FINANCING,
    BlockerType.STANDARDS_CHOICE,
    BlockerType.POLITICAL_PRIORITY,
  ],
};

const LAYER_OF_TYPE = new Map<BlockerType, BlockerLayer>(
  (Object.entries(TYPES_BY_LAYER) as Array<[BlockerLayer, BlockerType[]]>).flatMap(([layer, types]) =>
    types.map((type) => [type, layer] as const),
  ),
);

export function layerOf(type: BlockerType): BlockerLayer {
  const layer = LAYER_OF_TYPE.get(type);
  if (!layer) throw new Error(`Unknown blocker type ${String(type)}`);
  return layer;
}

export function typesOf(layer: BlockerLayer): BlockerType[] {
  return [...TYPES_BY_LAYER[layer]];
}

export enum Severity {
  CRITICAL = 'CRITICAL',
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}

export enum Effort {
  XS = 'XS',
  S = 'S',
  M = 'M',
  L = 'L',
  XL = 'XL',
}

export enum PriorityLevel {
  URGENT = 'URGENT',
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}

export enum ResolutionKind {
  GUIDANCE = 'GUIDANCE',
  LEGAL_INTERPRETATION = 'LEGAL_INTERPRETATION',
  AGREEMENT = 'AGREEMENT',
  TEMPORARY_REGULATION = 'TEMPORARY_REGULATION',
  LEGISLATION = 'LEGISLATION',
  TECHNICAL_PROVISION = 'TECHNICAL_PROVISION',
  PROCESS_CHANGE = 'PROCESS_CHANGE',
  DATA_QUALITY_FIX = 'DATA_QUALITY_FIX',
  OTHER = 'OTHER',
}
