import {
  createTheme,
  darken,
  DEFAULT_THEME,
  type CSSVariablesResolver,
  type MantineColorsTuple,
} from '@mantine/core';

/**
 * Mantine's palette with its two darkest shades darkened, so that filled badges and buttons (shade 8, white
 * text) and light variants (shade 9 text on shade 1 or 2) all reach WCAG AA contrast; the axe scans of the
 * browser tests hold every screen to it.
 */
const colors = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors).map(([name, shades]) => [
    name,
    [...shades.slice(0, 8), darken(shades[8], 0.25), darken(shades[9], 0.4)] as unknown as MantineColorsTuple,
  ]),
);

export const theme = createTheme({ colors, primaryShade: 8, autoContrast: true });

/** Error text (invalid inputs, their messages) in the darkened red: Mantine's default red 6 is below AA. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-error': 'var(--mantine-color-red-9)' },
  dark: {},
});
