import { requestHash } from './idempotency.plugin';

describe('requestHash', () => {
  const q = 'mutation M($input: In!) { m(input: $input) { id } }';

  it('is the same for the same request, whatever the order of object keys', () => {
    expect(requestHash(q, 'M', { input: { a: 1, b: [1, { c: 2, d: 3 }] } })).toBe(
      requestHash(q, 'M', { input: { b: [1, { d: 3, c: 2 }], a: 1 } }),
    );
    expect(requestHash(q, null, undefined)).toBe(requestHash(q, undefined, {}));
  });

  it('differs for other variables, another operation name or another text', () => {
    const base = requestHash(q, 'M', { input: { a: 1 } });
    expect(requestHash(q, 'M', { input: { a: 2 } })).not.toBe(base);
    expect(requestHash(q, 'N', { input: { a: 1 } })).not.toBe(base);
    expect(requestHash(`${q} `, 'M', { input: { a: 1 } })).not.toBe(base);
    expect(requestHash(q, 'M', { input: { a: [1, 2] } })).not.toBe(
      requestHash(q, 'M', { input: { a: [2, 1] } }),
    );
  });
});
