// Registers expect(element).toBeAccessible() (axe-core rules via @sa11y/jest), as lwc-recipes do.
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
