import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { MetadataObject } from './metadata-object.entity';

/** One field of a described sObject: what its describe said, reduced to what mapping needs. */
@Entity({ name: 'metadata_fields' })
@Unique('metadata_fields_object_name_unique', ['objectId', 'name'])
export class MetadataField {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'object_id', type: 'uuid' })
  objectId: string;

  @ManyToOne(() => MetadataObject, (object) => object.fields, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'object_id', foreignKeyConstraintName: 'metadata_fields_object_id_fkey' })
  object?: MetadataObject;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  label: string;

  @Column({ type: 'varchar', length: 40 })
  type: string;

  @Column({ type: 'integer', nullable: true })
  length: number | null;

  @Column({ type: 'boolean' })
  createable: boolean;

  @Column({ type: 'boolean' })
  updateable: boolean;

  @Column({ type: 'boolean' })
  nillable: boolean;

  @Column({ name: 'defaulted_on_create', type: 'boolean' })
  defaultedOnCreate: boolean;

  @Column({ name: 'picklist_values', type: 'jsonb', default: () => `'[]'` })
  picklistValues: string[];

  @Column({ name: 'picklist_labels', type: 'jsonb', default: () => `'[]'` })
  picklistLabels: string[];

  @Column({ name: 'default_picklist_value', type: 'varchar', length: 255, nullable: true })
  defaultPicklistValue: string | null;

  @Column({ name: 'restricted_picklist', type: 'boolean' })
  restrictedPicklist: boolean;

  @Column({ name: 'reference_to', type: 'jsonb', default: () => `'[]'` })
  referenceTo: string[];

  @Column({ name: 'external_id', type: 'boolean' })
  externalId: boolean;
}
