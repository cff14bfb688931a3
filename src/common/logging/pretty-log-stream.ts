import PinoPretty from 'pino-pretty';

interface RequestLogLine {
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  context?: string;
}

/** One readable line per event: `GET /v1/lookup 200 12 ms` for requests, `[Context] message` otherwise. */
function formatMessage(log: Record<string, unknown>, messageKey: string): string {
  const line = log as RequestLogLine;
  if (line.req?.method && line.res) {
    return `${line.req.method} ${line.req.url} ${line.res.statusCode} ${line.responseTime} ms`;
  }
  const raw = log[messageKey];
  const message = typeof raw === 'string' ? raw : JSON.stringify(raw ?? '');
  return line.context ? `[${line.context}] ${message}` : message;
}

/**
 * pino-pretty as a synchronous stream in this process (not a transport thread), so log lines and the start-up
 * banner reach the terminal in the order they happened. For people only: production writes JSON lines.
 */
export function prettyLogStream(): PinoPretty.PrettyStream {
  return PinoPretty({
    colorize: true,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,req,res,responseTime,context',
    messageFormat: formatMessage,
  });
}
