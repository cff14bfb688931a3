import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Write } from './write.entity';

/** `written`: Salesforce accepted it; `failed`: refused or unreachable; `refused`: not sent (scope). */
export type AttemptOutcome = 'written' | 'failed' | 'refused';

/** Where the attempt ran: in the agent's request, or in a worker job. */
export type AttemptVia = 'in-call' | 'queued';

/** One try at sending one operation of a write: what happened and how long it took. */
@Entity({ name: 'write_attempts' })
@Index('write_attempts_write_idx', ['writeId', 'startedAt'])
export class WriteAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'write_id', type: 'uuid' })
  writeId: string;

  @ManyToOne(() => Write, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'write_id', foreignKeyConstraintName: 'write_attempts_write_id_fkey' })
  write?: Write;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** Index of the plan operation tried. */
  @Column({ type: 'integer' })
  operation: number;

  @Column({ type: 'varchar', length: 10 })
  via: AttemptVia;

  @Column({ type: 'varchar', length: 10 })
  outcome: AttemptOutcome;

  @Column({ name: 'error_class', type: 'varchar', length: 20, nullable: true })
  errorClass: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 100, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;
}
