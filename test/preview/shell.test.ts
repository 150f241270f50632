import { CONSOLES } from '../../preview/consoles';
import { escapeHtml, renderConsolePage } from '../../preview/shell';

describe('preview shell pages', () => {
  const hostile = '</script><script>alert(1)</script>';
  const html = renderConsolePage({
    console: CONSOLES[0] as (typeof CONSOLES)[number],
    boot: {
      component: 'workQueue',
      props: { note: hostile },
      session: {
        userId: '005x',
        username: 'a@b.c',
        displayName: hostile,
        timeZone: 'UTC',
        apiVersion: '62.0',
        accessToken: 't',
        renewUrl: '/r'
      }
    },
    users: [{ Id: '005x', Username: 'a@b.c', Name: hostile, Title: 'SDR' }],
    bundleUrl: '/preview/build/k/main.js',
    orgUrl: 'http://127.0.0.1:1'
  });

  it('embeds the boot data so that no value can end its script element', () => {
    const boot = /<script type="application\/json" id="asl-preview-boot">(.*?)<\/script>/s.exec(
      html
    )?.[1];
    expect(boot).toBeDefined();
    expect(boot).not.toContain('</script');
    expect(JSON.parse(boot as string).session.displayName).toBe(hostile);
  });

  it('escapes names in the page text and the user switcher', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain(escapeHtml(hostile));
    expect(html).toContain(`<option value="a@b.c" selected>${escapeHtml(hostile)}</option>`);
  });
});
