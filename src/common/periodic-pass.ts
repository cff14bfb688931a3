import type { Logger } from '@nestjs/common';

/**
 * A recovery pass run at start-up and then every `intervalMs`: a pass already under way is joined, not
 * doubled, and a failed pass is logged and answered null (the next one tries again).
 */
export class PeriodicPass<Figures> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<Figures | null>;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<Figures>,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  run(): Promise<Figures | null> {
    this.running ??= this.pass()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, `${this.name} skipped`);
        return null;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
