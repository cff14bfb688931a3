import type { DeadLetterAlert } from './alert-notifier';

interface Waiting {
  alert: DeadLetterAlert;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Collects alerts for `windowMs` (or until `max` are waiting) and sends them as one message; each caller's
 * promise settles with the message, so a failed send fails (and retries) every alert job in the batch.
 */
export class AlertBatcher {
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly send: (alerts: DeadLetterAlert[]) => Promise<void>,
    private readonly windowMs: number,
    private readonly max: number,
  ) {}

  add(alert: DeadLetterAlert): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ alert, resolve, reject });
      if (this.waiting.length >= this.max) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.send(batch.map((waiting) => waiting.alert)).then(
      () => batch.forEach((waiting) => waiting.resolve()),
      (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
    );
  }
}
