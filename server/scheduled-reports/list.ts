/** The generated reports, from the files in `<dataDir>/reports/`, newest first. */
import fs from 'node:fs';
import path from 'node:path';

export interface ReportListing {
  name: string;
  type: 'weekly-sla' | 'quarterly-desi';
  period: string;
  generatedAt: string | null;
  files: { format: 'csv' | 'json'; url: string; bytes: number }[];
}

const NAME = /^(weekly-sla|quarterly-desi)-(.+)\.json$/;
/** file names the download route serves: nothing with a slash or a leading dot */
export const REPORT_FILE = /^(weekly-sla|quarterly-desi)-[A-Za-z0-9-]+\.(csv|json)$/;

export function listReports(dir: string): ReportListing[] {
  if (!fs.existsSync(dir)) return [];
  const out: ReportListing[] = [];
  for (const file of fs.readdirSync(dir)) {
    const m = NAME.exec(file);
    if (!m) continue;
    const name = file.slice(0, -'.json'.length);
    let generatedAt: string | null = null;
    try {
      const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { generatedAt?: unknown };
      if (typeof json.generatedAt === 'string') generatedAt = json.generatedAt;
    } catch {
      continue; // not a report we wrote
    }
    const files: ReportListing['files'] = [];
    for (const format of ['csv', 'json'] as const) {
      const p = path.join(dir, `${name}.${format}`);
      if (fs.existsSync(p)) files.push({ format, url: `/api/reports/files/${name}.${format}`, bytes: fs.statSync(p).size });
    }
    out.push({ name, type: m[1] as ReportListing['type'], period: m[2]!, generatedAt, files });
  }
  return out.sort((a, b) => (b.generatedAt ?? '').localeCompare(a.generatedAt ?? '') || a.name.localeCompare(b.name));
}
