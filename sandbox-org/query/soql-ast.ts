/** The parsed form of SOQL (and of the SOQL-like clauses inside SOSL), before names are checked against a schema. */

/** A dotted field reference as written: `Name`, `Account.Name`, `Parent__r.Owner.Name`. */
export interface FieldPath {
  names: string[];
  /** Where the path starts in the source, for error carets. */
  offset: number;
}

export interface ObjectRef {
  name: string;
  offset: number;
}

/** Date literals relative to today (resolved at execution time, so cached parses stay correct). */
export type RelativeDateName = 'TODAY' | 'YESTERDAY' | 'TOMORROW' | 'LAST_N_DAYS' | 'NEXT_N_DAYS';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; epochMs: number }
  | { kind: 'relativeDate'; name: RelativeDateName; days: number };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: FieldPath; operator: ComparisonOperator; value: Literal }
  | { kind: 'in'; field: FieldPath; negated: boolean; values: Literal[] }
  | { kind: 'like'; field: FieldPath; pattern: RegExp };

export interface OrderItem {
  field: FieldPath;
  descending: boolean;
  nullsLast: boolean;
}

/** What SOQL and each SOSL RETURNING target have in common: which rows of one object, and which columns. */
export interface Selection {
  object: ObjectRef;
  fields: FieldPath[];
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

export interface SoqlQuery extends Selection {
  /** `SELECT COUNT() FROM …`: only `totalSize` is answered. */
  countOnly: boolean;
}
