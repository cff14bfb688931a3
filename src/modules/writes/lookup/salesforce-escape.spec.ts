import { soqlString, soqlStringList, soslTerm } from './salesforce-escape';

describe('salesforce-escape', () => {
  describe('soqlString', () => {
    it('quotes plain values', () => {
      expect(soqlString('(415) 555-1212')).toBe("'(415) 555-1212'");
    });

    it('cannot be broken out of with a quote', () => {
      const attack = "x' OR Name LIKE '%";
      const literal = soqlString(attack);
      expect(literal).toBe("'x\\' OR Name LIKE \\'%'");
      // The only unescaped quotes are the two that delimit the literal.
      expect(literal.replace(/\\./g, '').match(/'/g)).toHaveLength(2);
    });

    it('escapes a trailing backslash so it cannot swallow the closing quote', () => {
      expect(soqlString('abc\\')).toBe("'abc\\\\'");
      expect(soqlString("\\' OR Id != null --")).toBe("'\\\\\\' OR Id != null --'");
    });

    it('escapes control characters and double quotes', () => {
      expect(soqlString('a\nb\r\tc"d')).toBe("'a\\nb\\r\\tc\\\"d'");
    });

    it('builds IN lists of escaped literals', () => {
      expect(soqlStringList(["a'b", 'c'])).toBe("('a\\'b','c')");
    });
  });

  describe('soslTerm', () => {
    it('wraps the term in braces', () => {
      expect(soslTerm('4155551212')).toBe('{4155551212}');
    });

    it('cannot close the braces and add clauses', () => {
      const term = soslTerm('x} IN ALL FIELDS RETURNING User(Id) {y');
      expect(term).toBe('{x\\} IN ALL FIELDS RETURNING User\\(Id\\) \\{y}');
      expect(term.replace(/\\./g, '').match(/[{}]/g)).toEqual(['{', '}']);
    });

    it('escapes every reserved character and the backslash itself', () => {
      expect(soslTerm('?&|!{}[]()^~*:\\"\'+-')).toBe(
        '{\\?\\&\\|\\!\\{\\}\\[\\]\\(\\)\\^\\~\\*\\:\\\\\\"\\\'\\+\\-}',
      );
      expect(soslTerm('a\\')).toBe('{a\\\\}');
    });
  });
});
