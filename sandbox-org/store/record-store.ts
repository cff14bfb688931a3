/** A stored record: field API names (as the describe spells them) to REST values, always with `Id`. */
export type SObjectRecord = Record<string, unknown> & { Id: string };

interface StoredEntry {
  objectName: string;
  record: SObjectRecord;
  /** When the record was last written (ms since epoch); the search index lags behind it. */
  writtenAt: number;
}

/** Which fields of an object are unique or external ids (indexed, case-insensitive, for upsert and duplicates). */
export type IndexedFieldsOf = (objectName: string) => readonly string[];

/** Computed lookup keys of a record (the duplicate rules' match keys), kept in a second index. */
export type MatchKeysOf = (objectName: string, record: SObjectRecord) => readonly string[];

/**
 * Records of one org in memory: O(1) by id, per object in insertion order, by unique/external-id value and by
 * duplicate-rule match key.
 * Writes can be undone: `savepoint()` starts recording an undo journal, `rollbackTo()` replays it backwards
 * (composite allOrNone, collections allOrNone), `release()` keeps the writes.
 */
export class RecordStore {
  private readonly byId = new Map<string, StoredEntry>();
  private readonly byObject = new Map<string, Map<string, StoredEntry>>();
  private readonly deleted = new Map<string, string>();
  private readonly uniqueIndex = new Map<string, Set<string>>();
  private readonly matchKeyIndex = new Map<string, Set<string>>();
  private readonly journal: (() => void)[] = [];
  private openSavepoints = 0;

  constructor(
    private readonly indexedFieldsOf: IndexedFieldsOf,
    private readonly matchKeysOf: MatchKeysOf = () => [],
  ) {}

  get(id: string): { objectName: string; record: SObjectRecord } | undefined {
    return this.byId.get(id);
  }

  /** The object name of a deleted record, so callers can answer ENTITY_IS_DELETED. */
  deletedObjectOf(id: string): string | undefined {
    return this.deleted.get(id);
  }

  records(objectName: string): SObjectRecord[] {
    return [...(this.byObject.get(objectName)?.values() ?? [])].map((entry) => entry.record);
  }

  /** Records written before `cutoff` (ms since epoch). */
  recordsWrittenBefore(objectName: string, cutoff: number): SObjectRecord[] {
    const result: SObjectRecord[] = [];
    for (const entry of this.byObject.get(objectName)?.values() ?? []) {
      if (entry.writtenAt <= cutoff) result.push(entry.record);
    }
    return result;
  }

  /** Ids of live records whose indexed field equals `value` (case-insensitive). */
  findByIndexedValue(objectName: string, field: string, value: unknown): string[] {
    return [...(this.uniqueIndex.get(indexKey(objectName, field, value)) ?? [])];
  }

  /** Ids of live records having the match key `key` (see `MatchKeysOf`). */
  findByMatchKey(key: string): string[] {
    return [...(this.matchKeyIndex.get(key) ?? [])];
  }

  insert(objectName: string, record: SObjectRecord, writtenAt = Date.now()): void {
    this.put({ objectName, record, writtenAt });
    this.remember(() => this.remove(record.Id));
  }

  /** Replaces the record with `record` (a complete new version). */
  replace(record: SObjectRecord, writtenAt = Date.now()): void {
    const previous = this.byId.get(record.Id);
    if (!previous) throw new Error(`replace of unknown record ${record.Id}`);
    this.remove(record.Id);
    this.put({ objectName: previous.objectName, record, writtenAt });
    this.remember(() => {
      this.remove(record.Id);
      this.put(previous);
    });
  }

  delete(id: string): void {
    const previous = this.byId.get(id);
    if (!previous) return;
    this.remove(id);
    this.deleted.set(id, previous.objectName);
    this.remember(() => {
      this.deleted.delete(id);
      this.put(previous);
    });
  }

  savepoint(): number {
    this.openSavepoints += 1;
    return this.journal.length;
  }

  rollbackTo(mark: number): void {
    while (this.journal.length > mark) this.journal.pop()?.();
    this.closeSavepoint();
  }

  release(): void {
    this.closeSavepoint();
  }

  /** Rebuilds the unique/external-id index (after the control API changed which fields are indexed). */
  reindex(): void {
    this.uniqueIndex.clear();
    this.matchKeyIndex.clear();
    for (const entry of this.byId.values()) this.index(entry, 'add');
  }

  private closeSavepoint(): void {
    this.openSavepoints -= 1;
    if (this.openSavepoints === 0) this.journal.length = 0;
  }

  private remember(undo: () => void): void {
    if (this.openSavepoints > 0) this.journal.push(undo);
  }

  private put(entry: StoredEntry): void {
    this.byId.set(entry.record.Id, entry);
    let objectRecords = this.byObject.get(entry.objectName);
    if (!objectRecords) {
      objectRecords = new Map();
      this.byObject.set(entry.objectName, objectRecords);
    }
    objectRecords.set(entry.record.Id, entry);
    this.index(entry, 'add');
  }

  private remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    this.byObject.get(entry.objectName)?.delete(id);
    this.index(entry, 'delete');
  }

  private index(entry: StoredEntry, action: 'add' | 'delete'): void {
    for (const field of this.indexedFieldsOf(entry.objectName)) {
      const value = entry.record[field];
      if (value === null || value === undefined || value === '') continue;
      updateIndex(this.uniqueIndex, indexKey(entry.objectName, field, value), entry.record.Id, action);
    }
    for (const key of this.matchKeysOf(entry.objectName, entry.record))
      updateIndex(this.matchKeyIndex, key, entry.record.Id, action);
  }
}

function updateIndex(index: Map<string, Set<string>>, key: string, id: string, action: 'add' | 'delete') {
  let ids = index.get(key);
  if (action === 'add') {
    if (!ids) index.set(key, (ids = new Set()));
    ids.add(id);
  } else {
    ids?.delete(id);
    if (ids?.size === 0) index.delete(key);
  }
}

function indexKey(objectName: string, field: string, value: unknown): string {
  return `${objectName}\u0000${field.toLowerCase()}\u0000${String(value).toLowerCase()}`;
}
