import { BlockerLayer, BlockerType, layerOf, typesOf } from './taxonomy';

/** The taxonomy table of the brief (layer -> types), written out as strings. */
const BRIEF_TAXONOMY: Record<string, string[]> = {
  LEGAL: [
    'NO_LEGAL_BASIS',
    'PURPOSE_LIMITATION',
    'CONFIDENTIALITY_DUTY',
    'BASIS_NOT_FOR_CHAIN',
    'LEGAL_UNCERTAINTY',
    'CONSENT_REQUIRED',
    'PENDING_ADVICE',
  ],
  ORGANISATIONAL: [
    'UNCLEAR_RESPONSIBILITY',
    'PROCESS_MISALIGNMENT',
    'NO_AGREEMENT',
    'NO_CAPACITY',
    'NO_FEEDBACK_LOOP',
  ],
  SEMANTIC: ['DEFINITION_MISMATCH', 'DATA_QUALITY', 'IDENTIFICATION', 'GRANULARITY', 'NO_SHARED_VOCABULARY'],
  TECHNICAL: ['NO_INTERFACE', 'LEGACY_SYSTEM', 'AVAILABILITY', 'SECURITY', 'PROTOCOL_MISMATCH'],
  GOVERNANCE: ['NO_DECISION_MAKER', 'FINANCING', 'STANDARDS_CHOICE', 'POLITICAL_PRIORITY'],
};

const BRIEF_ROWS: Array<[string, string]> = Object.entries(BRIEF_TAXONOMY).flatMap(([layer, types]) =>
  types.map((type): [string, string] => [type, layer]),
);

describe('taxonomy', () => {
  it('has exactly the layers of the brief', () => {
    expect(Object.values(BlockerLayer).sort()).toEqual(Object.keys(BRIEF_TAXONOMY).sort());
  });

  it('has exactly the 26 types of the brief', () => {
    expect(BRIEF_ROWS).toHaveLength(26);
    expect(Object.values(BlockerType).sort()).toEqual(BRIEF_ROWS.map(([type]) => type).sort());
  });

  it('keys each enum member by its own value', () => {
    for (const [key, value] of Object.entries(BlockerType)) expect(value).toBe(key);
  });

  describe('layerOf', () => {
    it.each(BRIEF_ROWS)('%s is %s', (type, layer) => {
      expect(layerOf(type as BlockerType)).toBe(layer);
    });

    it('throws on a type it does not know', () => {
      expect(() => layerOf('NOT_A_TYPE' as BlockerType)).toThrow(/Unknown blocker type NOT_A_TYPE/);
    });
  });

  describe('typesOf', () => {
    it.each(Object.entries(BRIEF_TAXONOMY))('%s holds the types of the brief', (layer, types) => {
      expect(typesOf(layer as BlockerLayer).sort()).toEqual([...types].sort());
    });

    it('agrees with layerOf for every layer', () => {
      for (const layer of Object.values(BlockerLayer)) {
        for (const type of typesOf(layer)) expect(layerOf(type)).toBe(layer);
      }
    });

    it('puts every type in exactly one layer', () => {
      const all = Object.values(BlockerLayer).flatMap((layer) => typesOf(layer));
      expect(new Set(all).size).toBe(all.length);
      expect(all).toHaveLength(Object.values(BlockerType).length);
    });

    it('returns a copy that callers cannot use to change the taxonomy', () => {
      const legal = typesOf(BlockerLayer.LEGAL);
      legal.push(BlockerType.FINANCING);
      legal.splice(0, 1);
      expect(typesOf(BlockerLayer.LEGAL)).toHaveLength(7);
      expect(typesOf(BlockerLayer.LEGAL)).toContain(BlockerType.NO_LEGAL_BASIS);
      expect(typesOf(BlockerLayer.LEGAL)).not.toContain(BlockerType.FINANCING);
    });
  });
});
