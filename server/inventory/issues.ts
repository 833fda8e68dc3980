import type { z } from 'zod';

/**
 * Formats a path as users write it in their files: `devices[3].location.lat`.
 * Numbers become indexes, everything else a dotted key.
 */
export function formatPath(path: readonly PropertyKey[], root = ''): string {
  let out = root;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One line per zod issue, each naming the path: `devices[3].location.lat: Too big: ...`. */
export function formatIssues(error: z.ZodError, root = ''): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path, root);
    return `${where === '' ? '(root)' : where}: ${issue.message}`;
  });
}
