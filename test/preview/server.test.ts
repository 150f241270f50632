/**
 * The preview server against a local org with a small demo floor: shell pages sign the right
 * user in, design attributes and record pages are checked, the org's API is forwarded on the
 * same origin (login endpoints excepted), static resources are served.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import request from 'supertest';
import type { PreviewBuild } from '../../preview/build';
import { STATIC_RESOURCES_DIR } from '../../preview/paths';
import { createPreviewApp, loopbackOnly, type PreviewApp } from '../../preview/server';
import type { BootData } from '../../preview/shell';
import { readStaticResources, resourceUrl } from '../../preview/staticResources';
import { queryAll, startDemoOrg, type DemoOrg } from '../browser/support/demoOrg';

const BUILD: PreviewBuild = {
  key: 'test-build',
  dir: path.join(__dirname, 'no-build'),
  built: false,
  millis: 0
};

function bootOf(html: string): BootData {
  const json = /<script type="application\/json" id="asl-preview-boot">(.*?)<\/script>/s.exec(
    html
  )?.[1];
  if (json === undefined) throw new Error(`no boot data in ${html.slice(0, 300)}`);
  return JSON.parse(json) as BootData;
}

describe('preview server', () => {
  let demo: DemoOrg;
  let preview: PreviewApp;
  let ids: Record<'sdr' | 'busySdr' | 'manager' | 'account' | 'case', string>;
  let sdrUsername: string;

  beforeAll(async () => {
    demo = await startDemoOrg({ leads: 200, seed: 'preview-server' });
    const admin = await demo.login('admin@asl.local');
    const [sdr, busySdr] = await queryAll<{ Id: string; Username: string }>(
      admin,
      `SELECT Id, Username FROM User WHERE Title = 'Sales Development Representative' AND Username != '${demo.summary.logins.sdr}' ORDER BY Username LIMIT 2`
    );
    const [manager] = await queryAll<{ Id: string }>(
      admin,
      `SELECT Id FROM User WHERE Username = '${demo.summary.logins.manager}'`
    );
    const [account] = await queryAll<{ Id: string }>(admin, 'SELECT Id FROM Account LIMIT 1');
    const [caseRow] = await queryAll<{ Id: string }>(admin, 'SELECT Id FROM Case LIMIT 1');
    sdrUsername = (sdr as { Username: string }).Username;
    ids = {
      sdr: (sdr as { Id: string }).Id,
      busySdr: (busySdr as { Id: string }).Id,
      manager: (manager as { Id: string }).Id,
      account: (account as { Id: string }).Id,
      case: (caseRow as { Id: string }).Id
    };
    // The busiest SDR (most open queue entries) is whom the Work Queue opens as.
    const entries = [1, 2, 3].map((rank) => ({
      Entry_Key__c: `preview-test:${rank}`,
      SDR__c: ids.busySdr,
      Rank__c: rank,
      Status__c: 'Open'
    }));
    await admin
      .sobject('Queue_Entry__c')
      .create([
        ...entries,
        { Entry_Key__c: 'preview-test:other', SDR__c: ids.sdr, Rank__c: 1, Status__c: 'Open' }
      ]);
    preview = createPreviewApp(
      {
        orgUrl: demo.url,
        users: { sdr: demo.summary.logins.sdr, manager: demo.summary.logins.manager }
      },
      BUILD
    );
  }, 60_000);

  afterAll(async () => {
    preview?.close();
    await demo?.close();
  });

  it('opens the Work Queue as the SDR with the most open entries, signed in through the org', async () => {
    const page = await request(preview.app)
      .get('/preview/work-queue')
      .expect(200)
      .expect('content-type', /html/);
    const boot = bootOf(page.text);
    expect(boot.component).toBe('workQueue');
    expect(boot.session.userId).toBe(ids.busySdr);
    expect(page.text).toContain('<script type="module" src="/preview/build/test-build/main.js">');
    // The embedded session is a real one: the org answers it through the preview's origin.
    const user = await request(preview.app)
      .get(`/services/data/v${boot.session.apiVersion}/sobjects/User/${ids.busySdr}`)
      .set('authorization', `Bearer ${boot.session.accessToken}`)
      .expect(200);
    expect(user.body.Id).toBe(ids.busySdr);
  });

  it('opens manager consoles as the configured manager, and any console as ?user=', async () => {
    expect(
      bootOf((await request(preview.app).get('/preview/forecast').expect(200)).text).session.userId
    ).toBe(ids.manager);
    const asSdr = bootOf(
      (
        await request(preview.app)
          .get(`/preview/line-monitor?user=${encodeURIComponent(sdrUsername)}`)
          .expect(200)
      ).text
    );
    expect(asSdr.session).toMatchObject({ userId: ids.sdr, username: sdrUsername });
    const page = await request(preview.app)
      .get('/preview/forecast?user=nobody@nowhere.example')
      .expect(500);
    expect(page.text).toContain('the local org refused to sign in nobody@nowhere.example');
  });

  it('passes design attributes from the URL to the component and refuses invalid ones', async () => {
    expect(
      bootOf(
        (
          await request(preview.app)
            .get('/preview/forecast?periodType=Quarter&periodsShown=8')
            .expect(200)
        ).text
      ).props
    ).toEqual({
      periodType: 'Quarter',
      periodsShown: 8
    });
    const bad = await request(preview.app).get('/preview/forecast?periodsShown=0').expect(400);
    expect(bad.text).toContain(
      'design attribute periodsShown=&quot;0&quot; is invalid: expected a whole number from 1 to 60'
    );
  });

  it('puts the Stage Timer on a Lead, Account or Opportunity record page only', async () => {
    const onAccount = bootOf(
      (await request(preview.app).get(`/preview/stage-timer?recordId=${ids.account}`).expect(200))
        .text
    );
    expect(onAccount.props).toEqual({ recordId: ids.account, objectApiName: 'Account' });
    const defaulted = bootOf(
      (await request(preview.app).get('/preview/stage-timer').expect(200)).text
    );
    expect(defaulted.props.objectApiName).toBe('Lead');
    expect(
      (await request(preview.app).get(`/preview/stage-timer?recordId=${ids.case}`).expect(400)).text
    ).toContain('goes on Lead, Account, Opportunity record pages, not Case');
    await request(preview.app).get("/preview/stage-timer?recordId=x' OR Id != '").expect(400);
    await request(preview.app).get('/preview/stage-timer?recordId=001000000000000AAA').expect(404);
    await request(preview.app)
      .get(`/lightning/r/Account/${ids.account}/view`)
      .expect(302)
      .expect('location', `/preview/stage-timer?recordId=${ids.account}`);
  });

  it('renews a session for the page user', async () => {
    const boot = bootOf((await request(preview.app).get('/preview/bin-board').expect(200)).text);
    const renewed = await request(preview.app)
      .get(boot.session.renewUrl)
      .expect(200)
      .expect('cache-control', 'no-store');
    expect(renewed.body.userId).toBe(boot.session.userId);
    expect(renewed.body.accessToken).not.toBe(boot.session.accessToken);
  });

  it('does not forward the org login endpoints', async () => {
    await request(preview.app)
      .post('/services/oauth2/token')
      .type('form')
      .send({
        grant_type: 'password',
        username: demo.summary.logins.manager,
        password: 'local-org'
      })
      .expect(404);
  });

  it('serves static resources where @salesforce/resourceUrl points', async () => {
    const chartjs = readStaticResources(STATIC_RESOURCES_DIR).get('chartjs');
    if (chartjs === undefined) throw new Error('the package has no chartjs static resource');
    const served = await request(preview.app)
      .get(resourceUrl(chartjs))
      .expect(200)
      .expect('content-type', /javascript/);
    expect(served.text).toBe(readFileSync(chartjs.location, 'utf8'));
    await request(preview.app).get('/resource/x/nothing').expect(404);
  });

  it('answers loopback clients only, as the org takes local logins from loopback only', () => {
    const answer = (remoteAddress: string): number => {
      let status = 0;
      const res = {
        status: (code: number) => ((status = code), res),
        type: () => res,
        send: () => res
      } as unknown as Response;
      loopbackOnly({ socket: { remoteAddress } } as Request, res, () => (status = 200));
      return status;
    };
    expect(answer('127.0.0.1')).toBe(200);
    expect(answer('::1')).toBe(200);
    expect(answer('10.1.2.3')).toBe(403);
  });
});
