import { z } from 'zod';
import type { OrgClient } from '../../org/connection';
import { ConfigError } from '../../errors';

const idRows = z.object({ records: z.array(z.object({ Id: z.string() })) });

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function isLocalOrg(client: OrgClient): boolean {
  return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/.test(client.config.org.loginUrl);
}

/**
 * Assigns a permission set to a user by creating a PermissionSetAssignment (Object Reference:
 * PermissionSetAssignment is createable through the API), as `sf org assign permset` does.
 * Only on the local org, which has no deployment, is a missing PermissionSet record created.
 */
export async function assignPermissionSet(client: OrgClient, name: string, username: string): Promise<{ assigned: boolean }> {
  const users = idRows.parse(await client.conn.query(`SELECT Id FROM User WHERE Username = ${quote(username)}`)).records;
  const userId = users[0]?.Id;
  if (userId === undefined) throw new ConfigError('--user', `no user ${username}`, 'pass the username of an existing user');
  let setId = idRows.parse(await client.conn.query(`SELECT Id FROM PermissionSet WHERE Name = ${quote(name)}`)).records[0]?.Id;
  if (setId === undefined) {
    if (!isLocalOrg(client)) throw new ConfigError('--name', `no permission set ${name} in the org`, 'deploy the package first (scripts/deploy.sh)');
    const created = (await client.conn.sobject('PermissionSet').create({ Name: name, Label: name.replace(/_/g, ' ') })) as { id?: string; success: boolean };
    if (!created.success || !created.id) throw new Error(`cannot create PermissionSet ${name}`);
    setId = created.id;
  }
  const existing = idRows.parse(await client.conn.query(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${quote(userId)} AND PermissionSetId = ${quote(setId)}`)).records;
  if (existing.length > 0) return { assigned: false };
  const result = (await client.conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: setId })) as { success: boolean };
  if (!result.success) throw new Error(`cannot assign ${name} to ${username}`);
  return { assigned: true };
}
