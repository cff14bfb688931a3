import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { createApiClient } from './api/client';
import { ConsoleContext } from './context';
import { navigate, useRoute } from './router';
import { AuditScreen } from './screens/AuditScreen';
import { ConnectionScreen } from './screens/ConnectionScreen';
import { FailuresScreen } from './screens/FailuresScreen';
import { GoLiveScreen } from './screens/GoLiveScreen';
import { MapsScreen } from './screens/MapsScreen';
import { MetadataScreen } from './screens/MetadataScreen';
import { OperatorScreen } from './screens/OperatorScreen';
import { SignInScreen } from './screens/SignInScreen';
import { SimulationScreen } from './screens/SimulationScreen';
import { clearSession, loadSession, saveSession, type Session } from './session';

export const ADMIN_SCREENS = [
  { path: 'go-live', label: 'Go-live checklist', Screen: GoLiveScreen },
  { path: 'connection', label: 'Connection', Screen: ConnectionScreen },
  { path: 'maps', label: 'Intent maps', Screen: MapsScreen },
  { path: 'simulation', label: 'Simulation', Screen: SimulationScreen },
  { path: 'failures', label: 'Failures', Screen: FailuresScreen },
  { path: 'metadata', label: 'Metadata', Screen: MetadataScreen },
  { path: 'audit', label: 'Audit', Screen: AuditScreen },
] as const;

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const queryClient = useQueryClient();
  const api = useMemo(() => createApiClient(() => session?.key ?? null), [session]);
  const context = useMemo(
    () =>
      session && {
        api,
        session,
        signOut() {
          clearSession();
          queryClient.clear();
          setSession(null);
          navigate('');
        },
      },
    [api, session, queryClient],
  );

  if (!context) {
    return (
      <SignInScreen
        onSignedIn={(signedIn) => {
          saveSession(signedIn);
          setSession(signedIn);
        }}
      />
    );
  }
  return (
    <ConsoleContext.Provider value={context}>
      {context.session.role === 'operator' ? <OperatorShell /> : <AdminShell />}
    </ConsoleContext.Provider>
  );
}

function Header({ children }: { children?: React.ReactNode }) {
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        {children}
        <Title order={1} size="h4">
          AICall connector
        </Title>
      </Group>
      <SignOut />
    </Group>
  );
}

function SignOut() {
  return (
    <ConsoleContext.Consumer>
      {(context) => (
        <Group gap="sm" wrap="nowrap">
          <Text size="sm" visibleFrom="sm">
            {context?.session.label}
          </Text>
          <Button variant="default" size="xs" onClick={() => context?.signOut()}>
            Sign out
          </Button>
        </Group>
      )}
    </ConsoleContext.Consumer>
  );
}

function OperatorShell() {
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Header />
      </AppShell.Header>
      <AppShell.Main>
        <OperatorScreen />
      </AppShell.Main>
    </AppShell>
  );
}

function AdminShell() {
  const [opened, { toggle, close }] = useDisclosure();
  const route = useRoute();
  const current = ADMIN_SCREENS.find((screen) => screen.path === route.screen) ?? ADMIN_SCREENS[0];
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Header>
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
        </Header>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Screens">
        {ADMIN_SCREENS.map((screen) => (
          <NavLink
            key={screen.path}
            href={`/console/${screen.path}`}
            label={screen.label}
            active={screen === current}
            aria-current={screen === current ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              navigate(screen.path);
              close();
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <current.Screen />
      </AppShell.Main>
    </AppShell>
  );
}
