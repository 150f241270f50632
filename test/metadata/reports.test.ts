import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { loadProject, resolveField } from '../../scripts/metadata/project';
import { OUTCOMES, STAGE_EVENT_KINDS } from '../../services/engine/schema';
import { FORCE_APP } from './fixture';

// The management reports (issue 8, part 4) must name only fields that exist. A custom report
// type lists its columns per table; a report names them as `Table$Field` and may use only the
// columns of its report type ("Report Types", Metadata API Developer Guide: ReportType
// sections/columns; Report columns/groupings/filters use the report type's fields). A standard
// lookup is named by its relationship name (Owner for OwnerId).
const DEFAULT = join(FORCE_APP, 'main', 'default');
const parser = new XMLParser({ ignoreAttributes: true, isArray: (name) => ['columns', 'sections', 'groupingsDown', 'groupingsAcross', 'criteriaItems', 'dashboardGridComponents'].includes(name) });
const read = (path: string) => parser.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown>>;
const RELATIONSHIP_FIELDS: Record<string, string> = { Owner: 'OwnerId' };

interface Column { field: string; table: string }

function reportTypes(): Map<string, { base: string; columns: Set<string> }> {
  const out = new Map<string, { base: string; columns: Set<string> }>();
  for (const file of readdirSync(join(DEFAULT, 'reportTypes'))) {
    const type = read(join(DEFAULT, 'reportTypes', file)).ReportType as { baseObject: string; sections: { columns: Column[] }[] };
    const columns = new Set(type.sections.flatMap((s) => s.columns.map((c) => `${c.table}$${c.field}`)));
    out.set(`${file.replace('.reportType-meta.xml', '')}__c`, { base: type.baseObject, columns });
  }
  return out;
}

function reportFiles(): string[] {
  return readdirSync(join(DEFAULT, 'reports', 'ASL_Reports')).map((f) => join(DEFAULT, 'reports', 'ASL_Reports', f));
}

describe('ASL report types, reports and dashboard', () => {
  const project = loadProject(FORCE_APP);
  const types = reportTypes();

  it('has the four report types, each column a field of its table', () => {
    expect([...types.keys()].sort()).toEqual(['ASL_Assignments__c', 'ASL_Dispositions__c', 'ASL_Opportunities_Fit__c', 'ASL_Stage_Events__c']);
    const missing: string[] = [];
    for (const [name, type] of types) {
      for (const column of type.columns) {
        const [table, field] = column.split('$') as [string, string];
        if (!resolveField(project, table, RELATIONSHIP_FIELDS[field] ?? field)) missing.push(`${name}: ${column}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('builds every report on a package report type and only its columns', () => {
    const problems: string[] = [];
    for (const file of reportFiles()) {
      const report = read(file).Report as Record<string, unknown>;
      const type = types.get(String(report.reportType));
      if (!type) {
        problems.push(`${file}: unknown report type ${String(report.reportType)}`);
        continue;
      }
      const used = [
        ...((report.columns as { field: string }[]) ?? []).map((c) => c.field),
        ...((report.groupingsDown as { field: string }[]) ?? []).map((g) => g.field),
        ...((report.groupingsAcross as { field: string }[]) ?? []).map((g) => g.field),
        ...(((report.filter as { criteriaItems: { column: string }[] } | undefined)?.criteriaItems ?? []).map((c) => c.column)),
        (report.timeFrameFilter as { dateColumn: string }).dateColumn
      ];
      for (const field of used) if (!type.columns.has(field)) problems.push(`${file}: ${field} is not a column of ${String(report.reportType)}`);
    }
    expect(problems).toEqual([]);
    expect(reportFiles()).toHaveLength(11);
  });

  it('filters only on picklist values that exist', () => {
    const values: string[] = [];
    for (const file of reportFiles()) {
      const report = read(file).Report as { filter?: { criteriaItems: { column: string; value: string | number }[] } };
      for (const item of report.filter?.criteriaItems ?? []) values.push(`${item.column}=${String(item.value)}`);
    }
    for (const value of values) {
      if (value.startsWith('Disposition__c$Outcome__c=')) expect(OUTCOMES).toContain(value.split('=')[1]);
      else if (value.startsWith('Stage_Event__c$Kind__c=')) expect(STAGE_EVENT_KINDS).toContain(value.split('=')[1]);
      else expect(['Opportunity$IsClosed=1', 'Stage_Event__c$SLA_Breached__c=1']).toContain(value); // checkbox filters take 1 / 0
    }
  });

  it('puts only existing reports on the managers\u2019 dashboard', () => {
    const dashboard = read(join(DEFAULT, 'dashboards', 'ASL_Dashboards', 'ASL_Line_Management.dashboard-meta.xml')).Dashboard as { dashboardGridLayout: { dashboardGridComponents: { dashboardComponent: { report: string } }[] } };
    const reports = dashboard.dashboardGridLayout.dashboardGridComponents.map((c) => c.dashboardComponent.report);
    expect(reports.length).toBeGreaterThanOrEqual(4);
    const names = new Set(reportFiles().map((f) => `ASL_Reports/${f.split('/').pop()?.replace('.report-meta.xml', '')}`));
    expect(reports.filter((r) => !names.has(r))).toEqual([]);
  });
});
