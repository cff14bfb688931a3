/**
 * Field metadata as the mapping rules see it: what the org's describe calls said about each field, reduced to
 * what validation, auto-map and the write plan need. Object and field names are case-insensitive in Salesforce,
 * so the catalog looks them up case-insensitively and hands back the canonical spelling.
 */
export interface FieldMetadata {
  name: string;
  label: string;
  /** The describe `type`, lower-case (`string`, `picklist`, `datetime`, `reference`, …). */
  type: string;
  length: number | null;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate: boolean;
  /** Active picklist values, in the org's order. */
  picklistValues: string[];
  /** Their labels, in the same order (a short-form map matches an intent to a value by either). */
  picklistLabels: string[];
  /** The picklist value the org selects by default, if any. */
  defaultPicklistValue: string | null;
  restrictedPicklist: boolean;
  referenceTo: string[];
  externalId: boolean;
}

export interface ObjectMetadata {
  name: string;
  label: string;
  /** False when the org answered that no such object exists (or it is not accessible). */
  found: boolean;
  fields: FieldMetadata[];
  refreshedAt: Date;
}

/** The tenant's stored metadata, indexed for lookups by name. */
export class MetadataCatalog {
  private readonly objects = new Map<string, ObjectMetadata>();
  private readonly fields = new Map<string, Map<string, FieldMetadata>>();

  constructor(objects: Iterable<ObjectMetadata>) {
    for (const object of objects) {
      const key = object.name.toLowerCase();
      this.objects.set(key, object);
      this.fields.set(key, new Map(object.fields.map((field) => [field.name.toLowerCase(), field])));
    }
  }

  /** Undefined when the object was never described (metadata missing). */
  object(name: string): ObjectMetadata | undefined {
    return this.objects.get(name.toLowerCase());
  }

  field(objectName: string, fieldName: string): FieldMetadata | undefined {
    return this.fields.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  allObjects(): ObjectMetadata[] {
    return [...this.objects.values()];
  }
}

/** Salesforce's own rule (salesforce-rest.md §3.4): a create fails without a value for these. */
export function isRequiredOnCreate(field: FieldMetadata): boolean {
  return field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
}
