import { RecordStore } from '../store/record-store';
import { allowsDuplicateSave, duplicateMatchKeys } from './duplicate-rules';

describe('standard duplicate rules', () => {
  it('keys Accounts by name with phone digits or website, case-insensitively', () => {
    const keys = (record: Record<string, unknown>) => duplicateMatchKeys('Account', { Id: '001', ...record });
    expect(keys({ Name: 'Acme', Phone: '(415) 555-1212' })).toEqual(
      keys({ Name: ' ACME ', Phone: '415.555.1212' }),
    );
    expect(keys({ Name: 'Acme', Website: 'https://acme.example' })).toHaveLength(1);
    expect(keys({ Name: 'Acme' })).toEqual([]);
  });

  it('gives no key for blank fields, converted leads or objects without a rule', () => {
    expect(duplicateMatchKeys('Lead', { Id: '00Q', LastName: 'Doe', Company: 'Co' })).toEqual([]);
    expect(duplicateMatchKeys('Lead', { Id: '00Q', Email: 'a@b.example', IsConverted: true })).toEqual([]);
    expect(duplicateMatchKeys('Opportunity', { Id: '006', Name: 'x' })).toEqual([]);
  });

  it('is indexed by the record store, rollback included', () => {
    const store = new RecordStore(() => [], duplicateMatchKeys);
    const [key] = duplicateMatchKeys('Lead', { Id: 'x', Email: 'a@b.example' });
    store.insert('Lead', { Id: '00Q1', Email: 'A@b.example' });
    const mark = store.savepoint();
    store.replace({ Id: '00Q1', Email: 'c@d.example' });
    expect(store.findByMatchKey(key)).toEqual([]);
    store.rollbackTo(mark);
    expect(store.findByMatchKey(key)).toEqual(['00Q1']);
  });

  it('reads allowSave=true from Sforce-Duplicate-Rule-Header with any spacing or case', () => {
    expect(allowsDuplicateSave(' AllowSave = TRUE ; includeRecordDetails=false')).toBe(true);
    expect(allowsDuplicateSave('runAsCurrentUser=true;allowSave=true')).toBe(true);
    expect(allowsDuplicateSave('allowSave=false')).toBe(false);
    expect(allowsDuplicateSave(undefined)).toBe(false);
  });
});
