import { Alert, Code, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** An API failure as the admin needs it: code, message, request id (to quote to support), and the problems. */
export function ErrorAlert({ error, title = 'The API refused' }: { error: unknown; title?: string }) {
  const apiError = error instanceof ApiError ? error : null;
  return (
    <Alert color="red" title={title} role="alert" variant="light">
      <Stack gap={4}>
        <Text size="sm">
          {apiError ? <Code>{apiError.code}</Code> : null}{' '}
          {error instanceof Error ? error.message : String(error)}
        </Text>
        {apiError?.problems.map((problem, index) => (
          <Text size="sm" key={index}>
            {problem.field ? <Code>{problem.field}</Code> : null} {problem.code ? `${problem.code}: ` : ''}
            {problem.message}
          </Text>
        ))}
        {apiError?.requestId ? (
          <Text size="xs" c="gray.7">
            request id <Code>{apiError.requestId}</Code>
          </Text>
        ) : null}
      </Stack>
    </Alert>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <Group gap="xs" role="status" aria-live="polite">
      <Loader size="sm" />
      <Text size="sm">Loading {what}…</Text>
    </Group>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="gray.7" size="sm" role="status">
      {children}
    </Text>
  );
}

/** Loading, error or the content: the three states every screen shows. */
export function QueryState<T>({
  query,
  what,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.error) return <ErrorAlert error={query.error} title={`Could not load ${what}`} />;
  return <>{children(query.data as T)}</>;
}
