/**
 * Custom labels for `@salesforce/label/c.<Name>` imports, read from the package's
 * CustomLabels.labels-meta.xml at build time. On Salesforce an import of a label that does not
 * exist fails the deployment; here it fails the build, naming the label.
 */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

const labelSchema = z.object({
  fullName: z.string().min(1),
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String)
});
const fileSchema = z.object({
  CustomLabels: z.object({ labels: z.array(labelSchema).default([]) })
});

export class LabelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelError';
  }
}

/** Label name -> value (the default language's text). */
export function readLabels(file: string): Map<string, string> {
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => name === 'labels'
  });
  const parsed = fileSchema.safeParse(parser.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LabelError(
      `${file}: ${issue?.path.join('.') ?? '(file)'} ${issue?.message ?? 'is invalid'}; expected <CustomLabels><labels><fullName>..</fullName><value>..</value></labels></CustomLabels>`
    );
  }
  const labels = new Map<string, string>();
  for (const label of parsed.data.CustomLabels.labels) {
    if (labels.has(label.fullName)) {
      throw new LabelError(`${file}: label ${label.fullName} is defined twice; keep one`);
    }
    labels.set(label.fullName, label.value);
  }
  return labels;
}
