import { parseMapping, MappingError, NO_MAPPING } from './mapping';
import { describeProblem } from './problems';
import { csvDelimiter, tableFromCsv } from './read-table';
import { documentFromSheet } from './sheet';

const HEADER =
  'key,title,description,type,layer,severity,status,people_affected,reporter,owner,depends_on,requester,supplier,dataset,data_elements,purpose,annual_cases';

const sheet = (...rows: string[]) =>
  documentFromSheet(tableFromCsv([HEADER, ...rows].join('\n')), NO_MAPPING);

describe('an inventory sheet as a registry document', () => {
  it('groups the rows of one blocker and collects its needs', () => {
    const result = sheet(
      'K1,Fiscal secrecy blocks signals,Described,CONFIDENTIALITY_DUTY,LEGAL,HIGH,IN_PROGRESS,70.000,Amsterdam,FIN,,Amsterdam,BD,INV,belastingschuld,Early warning,40000',
      'K1,,,,,,,,,,,Rotterdam,BD,INV,belastingschuld,Early warning,30000',
      ',,,,,,,,,,,,,,,,',
      'K2,Allowance debts,Described,No legal basis,,high,,,Toeslagen,,K1,Toeslagen,Toeslagen,,,Early warning of repayment debts,',
    );
    expect(result.problems).toEqual([]);
    expect(result.skipped).toBe(1);
    const [k1, k2] = result.document.blockers;
    expect(k1).toMatchObject({
      key: 'k1',
      type: 'CONFIDENTIALITY_DUTY',
      status: 'IN_PROGRESS',
      owner: 'FIN',
      impact: { peopleAffectedPerYear: 70000, manualHoursPerYear: null },
    });
    expect(k1.affectedNeeds).toHaveLength(2);
    expect(k2).toMatchObject({
      type: 'NO_LEGAL_BASIS',
      severity: 'HIGH',
      status: 'REPORTED',
      dependsOn: ['k1'],
    });
    expect(result.document.needs.map((n) => [n.requester, n.annualCases])).toEqual([
      ['Amsterdam', 40000],
      ['Rotterdam', 30000],
      ['Toeslagen', null],
    ]);
    expect(result.origins.blocker('k2', 'dependsOn')).toEqual({ row: 5, column: 'depends_on' });
    // Columns the sheet lacks are left alone on existing records.
    expect(k1.given).toContain('impact.peopleAffectedPerYear');
    expect(k1.given).not.toContain('impact.manualHoursPerYear');
  });

  it('names every problem with its row and column', () => {
    const result = sheet(
      'K1,,Described,NO_LEGAL_BASIS,LEGALISH,HIGH,,veel,UWV,,,SVB,UWV,,,Purpose,',
      'K2,Title,Described,DATA_QUALITY,LEGAL,Urgent,,,UWV,,K9,SVB,UWV,,,Purpose,"12,5"',
      'K3,Resolved without resolution,Described,NO_AGREEMENT,,LOW,RESOLVED,,UWV,,,SVB,,,,Purpose,',
      'K3,Resolved without resolution,Other text,NO_AGREEMENT,,LOW,RESOLVED,,UWV,,,SVB,UWV,,,Purpose,',
    );
    expect(result.problems.map(describeProblem)).toEqual([
      'row 2, column "layer": unknown layer "LEGALISH"; use LEGAL, ORGANISATIONAL, SEMANTIC, TECHNICAL, GOVERNANCE',
      'row 2, column "people_affected": "veel" is not a whole number',
      'row 2, column "title": missing title',
      'row 3, column "severity": unknown severity "Urgent"; use CRITICAL, HIGH, MEDIUM, LOW',
      'row 3, column "annual_cases": "12,5" is not a whole number',
      'row 3, column "layer": layer LEGAL does not match type DATA_QUALITY, which is SEMANTIC',
      'row 3, column "depends_on": no blocker with key "k9" in this file',
      'row 4, column "supplier": missing supplier',
      'row 4, column "resolution_kind": a resolved blocker needs a resolution kind and summary',
      'row 5, column "description": differs from row 4, which describes the same blocker',
    ]);
  });

  it('says which required columns are missing', () => {
    const result = documentFromSheet(tableFromCsv('title,severity\nA,HIGH'), NO_MAPPING);
    expect(result.problems.map(describeProblem)).toEqual([
      'row 1: no column for the required field description',
      'row 1: no column for the required field type',
      'row 1: no column for the required field requester',
      'row 1: no column for the required field supplier',
      'row 1: no column for the required field purpose',
    ]);
  });

  it('reads another layout through a mapping of columns and values', () => {
    const mapping = parseMapping({
      columns: {
        Knelpunt: 'title',
        Omschrijving: 'description',
        Soort: 'type',
        Ernst: 'severity',
        'Vragende partij': 'requester',
        'Leverende partij': 'supplier',
        Doel: 'purpose',
      },
      values: { severity: { Hoog: 'HIGH' } },
      defaults: { status: 'TRIAGED' },
    });
    const text =
      'Knelpunt;Omschrijving;Soort;Ernst;Vragende partij;Leverende partij;Doel;Opmerking\nA;B;NO_AGREEMENT;hoog;SVB;UWV;Doel;x';
    expect(csvDelimiter(text)).toBe(';');
    const result = documentFromSheet(tableFromCsv(text), mapping);
    expect(result.problems).toEqual([]);
    expect(result.ignored).toEqual(['Opmerking']);
    expect(result.document.blockers[0]).toMatchObject({ title: 'A', severity: 'HIGH', status: 'TRIAGED' });
  });

  it('refuses a mapping that names no field', () => {
    expect(() => parseMapping({ columns: { Titel: 'titel' } })).toThrow(MappingError);
    expect(() => parseMapping({ columns: { Titel: 'titel' } })).toThrow(
      /columns."Titel": "titel" is not a field/,
    );
    expect(() => parseMapping({ colums: {} })).toThrow(/unknown key "colums"/);
  });
});
