/**
 * What the shell pages need to know about the org: the users to switch between, which user a
 * console opens as, and a record for the Stage Timer when the URL names none. Read through the
 * org's REST API as the directory user (the org's admin by default).
 */
import { z } from 'zod';
import type { ConsoleRole } from './consoles';
import type { OrgClient } from './orgClient';

const userSchema = z.object({
  Id: z.string(),
  Username: z.string(),
  Name: z.string().nullable(),
  Title: z.string().nullable()
});
export type PreviewUser = z.infer<typeof userSchema>;

const sobjectsSchema = z.object({
  sobjects: z.array(z.object({ name: z.string(), keyPrefix: z.string().nullable() }))
});

export interface RecordRef {
  id: string;
  objectApiName: string;
  name: string;
}

export class Directory {
  private keyPrefixes: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly client: OrgClient,
    private readonly directoryUser: string,
    private readonly roleUsers: Partial<Record<ConsoleRole, string>>
  ) {}

  /** Active users, by title then name, for the user switcher. */
  async users(): Promise<PreviewUser[]> {
    const rows = await this.client.query(
      this.directoryUser,
      'SELECT Id, Username, Name, Title FROM User WHERE IsActive = true ORDER BY Title, Name'
    );
    return rows.map((row) => userSchema.parse(row));
  }

  /**
   * The username a console opens as. SDR consoles: the user with the most open queue entries
   * (the Work Queue has something to show), else the configured SDR. Manager, marketer and
   * RevOps consoles: the user configured for the role (npm start passes the demo floor's
   * manager, marketer and RevOps logins). Otherwise the directory user.
   */
  async defaultUser(role: ConsoleRole): Promise<string> {
    if (role === 'sdr') {
      const busiest = await this.client.query(
        this.directoryUser,
        "SELECT SDR__r.Username username, COUNT(Id) entries FROM Queue_Entry__c WHERE Status__c = 'Open' AND SDR__c != null GROUP BY SDR__r.Username ORDER BY COUNT(Id) DESC LIMIT 1"
      );
      const username = busiest[0]?.username;
      if (typeof username === 'string') return username;
    }
    // Coordinator consoles: the configured coordinator, else the demo floor's first one.
    if (role === 'coordinator' && this.roleUsers.coordinator === undefined) {
      const [coordinator] = await this.client.query(
        this.directoryUser,
        "SELECT Username FROM User WHERE IsActive = true AND Title = 'Sales Coordinator' ORDER BY Username LIMIT 1"
      );
      if (typeof coordinator?.Username === 'string') return coordinator.Username;
    }
    return this.roleUsers[role] ?? this.directoryUser;
  }

  /** The object of a record Id, by its key prefix (describe global). */
  async objectOf(recordId: string): Promise<string | undefined> {
    this.keyPrefixes ??= (async () => {
      const version = await this.client.apiVersion();
      const { sobjects } = sobjectsSchema.parse(
        await this.client.get(this.directoryUser, `/services/data/v${version}/sobjects`)
      );
      return new Map(
        sobjects.filter((o) => o.keyPrefix !== null).map((o) => [o.keyPrefix as string, o.name])
      );
    })().catch((error: unknown) => {
      this.keyPrefixes = undefined;
      throw error;
    });
    return (await this.keyPrefixes).get(recordId.slice(0, 3));
  }

  /** A record of an object with a Name field, or undefined when it does not exist. */
  async record(recordId: string, objectApiName: string): Promise<RecordRef | undefined> {
    const [row] = await this.client.query(
      this.directoryUser,
      `SELECT Id, Name FROM ${objectApiName} WHERE Id = '${recordId}'`
    );
    return row === undefined
      ? undefined
      : { id: String(row.Id), objectApiName, name: String(row.Name ?? row.Id) };
  }

  /** Records that sit at a station the longest, per object: sample record pages. */
  async sampleRecords(): Promise<RecordRef[]> {
    const samples: RecordRef[] = [];
    const filters: Record<string, string> = {
      Lead: 'IsConverted = false',
      Account: '',
      Opportunity: 'IsClosed = false'
    };
    for (const [objectApiName, extra] of Object.entries(filters)) {
      const where = ['Station__c != null', extra].filter((part) => part !== '').join(' AND ');
      const rows = await this.client.query(
        this.directoryUser,
        `SELECT Id, Name FROM ${objectApiName} WHERE ${where} ORDER BY Station_Entered_At__c ASC NULLS LAST LIMIT 2`
      );
      samples.push(
        ...rows.map((row) => ({
          id: String(row.Id),
          objectApiName,
          name: String(row.Name ?? row.Id)
        }))
      );
    }
    return samples;
  }
}
