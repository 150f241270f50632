import {
  CONSOLES,
  DesignAttributeError,
  designAttributes,
  propsFromQuery,
  recordPageObjects
} from '../../preview/consoles';
import { readFileSync } from 'node:fs';
import path from 'node:path';

describe('preview consoles and their design attributes', () => {
  it('mounts every console it lists: the client entry imports each one and maps it to its tag', () => {
    // The client is bundled by rollup, so it must import each console statically; a console
    // listed here but missing there only shows "Unknown console component" in the browser.
    const client = readFileSync(path.join(__dirname, '../../preview/client/main.js'), 'utf8');
    for (const item of CONSOLES) {
      const tag = `c-${item.component.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
      expect(client).toMatch(new RegExp(`^import \\w+ from 'c/${item.component}';$`, 'm'));
      expect(client).toMatch(new RegExp(`^\\s+${item.component}: \\{ tag: '${tag}', ctor: \\w+ \\},?$`, 'm'));
    }
  });

  it("reads each console's App Builder properties from its js-meta.xml", () => {
    expect(designAttributes('forecastConsole')).toEqual([
      { name: 'periodType', type: 'String', choices: ['Month', 'Quarter', 'Year'] },
      { name: 'periodsShown', type: 'Integer', min: 1, max: 60 },
      { name: 'defaultDimension', type: 'String', choices: ['Rep', 'Team', 'Product', 'Total'] },
      { name: 'currencyCode', type: 'String' }
    ]);
    for (const item of CONSOLES) expect(() => designAttributes(item.component)).not.toThrow();
  });

  it('types query parameters like App Builder would and ignores other parameters', () => {
    const attributes = [...designAttributes('binBoard'), ...designAttributes('forecastConsole')];
    expect(
      propsFromQuery(attributes, {
        pageSize: '500',
        myAssetsFirst: 'true',
        periodType: 'Quarter',
        user: 'x'
      })
    ).toEqual({
      pageSize: 500,
      myAssetsFirst: true,
      periodType: 'Quarter'
    });
  });

  it.each([
    ['pageSize', '0', 'a whole number from 1 to 2000'],
    ['pageSize', '2.5', 'a whole number from 1 to 2000'],
    ['myAssetsFirst', 'yes', 'true or false'],
    ['periodType', 'Week', 'one of Month, Quarter, Year']
  ])('refuses %s=%s, naming what is expected', (name, value, expected) => {
    const attributes = [...designAttributes('binBoard'), ...designAttributes('forecastConsole')];
    let error: unknown;
    try {
      propsFromQuery(attributes, { [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DesignAttributeError);
    expect((error as Error).message).toBe(
      `design attribute ${name}=${JSON.stringify(value)} is invalid: expected ${expected}`
    );
  });

  it('knows which record pages the Stage Timer may sit on', () => {
    expect(recordPageObjects('stageTimer')).toEqual(['Lead', 'Account', 'Opportunity']);
    expect(recordPageObjects('workQueue')).toEqual([]);
  });
});
