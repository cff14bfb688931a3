/** What an admin needs to act on one dead letter. */
export interface DeadLetterAlert {
  deadLetterId: string;
  tenantId: string;
  tenantName: string;
  writeId: string;
  callId: string;
  intent: string;
  errorCode: string;
  errorMessage: string;
  replayUrl: string;
}

/** The port to the admin channel (Slack in production); tests replace it. Throws when the message did not go. */
export abstract class AlertNotifier {
  abstract notify(alerts: DeadLetterAlert[]): Promise<void>;
}
