import { INTEGRATION_PERMISSION_SET } from './names';

/**
 * What the admin creates in Setup for the engine: a connected app (or external client app)
 * using the OAuth 2.0 JWT bearer flow (Salesforce Help: "Create a Connected App for the JWT
 * Bearer Flow"; "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration").
 */
export interface ConnectedAppInput {
  alias: string;
  loginUrl: string;
  username: string;
  certificatePath: string;
  consumerKey?: string;
}

export function connectedAppSettings(input: ConnectedAppInput): string {
  return [
    `# Connected app for the Sales Assembly Line engine (${input.alias})`,
    '',
    'Setup > App Manager > New Connected App (or Setup > External Client App Manager > New):',
    '- Connected App Name: Sales Assembly Line Engine; API Name: ASL_Engine',
    '- Contact Email: the admin responsible for the engine',
    '- Enable OAuth Settings: on',
    '  - Callback URL: http://localhost:1717/OauthRedirect (not used by the JWT flow, but required)',
    `  - Use digital signatures: on; upload ${input.certificatePath}`,
    '  - Selected OAuth Scopes: "Manage user data via APIs (api)" and',
    '    "Perform requests at any time (refresh_token, offline_access)"',
    '  - Require Secret for Web Server Flow / Refresh Token Flow: may stay on (JWT uses no secret)',
    '- Save, then Manage > Edit Policies:',
    '  - Permitted Users: "Admin approved users are pre-authorized"',
    '  - IP Relaxation: "Enforce IP restrictions" if the engine has fixed egress addresses listed',
    '    in the integration user\'s profile Login IP Ranges; otherwise "Relax IP restrictions"',
    '    (the JWT flow cannot answer an identity verification challenge)',
    `- Manage > Permission Sets > Manage Permission Set Assignments: add ${INTEGRATION_PERMISSION_SET}`,
    '  (pre-authorizes every user holding it; no profile needs the app)',
    '',
    'Integration user:',
    `- Username: ${input.username} (a dedicated user; the "Salesforce Integration" user license suits it)`,
    `- Permission set: ${INTEGRATION_PERMISSION_SET} only (\`sf org assign permset --name ${INTEGRATION_PERMISSION_SET} --on-behalf-of ${input.username}\`)`,
    '',
    'Then copy the Consumer Key (Manage Consumer Details) and run:',
    `  asl connect --alias ${input.alias} --login-url ${input.loginUrl} --username ${input.username} --consumer-key <Consumer Key>`,
    input.consumerKey ? `(consumer key in use: ${input.consumerKey})` : '(no consumer key yet)',
    ''
  ].join('\n');
}
