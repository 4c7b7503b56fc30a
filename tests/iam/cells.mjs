// The cell layout for IAM evaluation: a platform stack and cell stacks are separate programs, and
// a cell reads the platform through a pulumi:pulumi:StackReference. To evaluate a tenant of one
// cell against a tenant of another, the platform and the chosen cells are merged into one program
// in the one synthetic account: each cell's declarations get the cell's name as a prefix (cells
// declare the same shared names), and every `${platform.outputs["x"]...}` is replaced by what the
// platform exports as `x`, so policies resolve to the platform's real resources.

import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadProgram, normalizeType, parseAccess, parseInterpolation } from './program.mjs';

const STACK_REFERENCE = 'pulumi:pulumi:StackReference';

/** Members of every cell, from a rendered folder's tapgen.lock. */
export function cellsOf(dir) {
  return JSON.parse(readFileSync(join(dir, 'tapgen.lock'), 'utf8')).cells;
}

function walkNode(node, path, expr) {
  let v = node;
  for (const [i, key] of path.entries()) {
    const whole = typeof v === 'string' ? parseInterpolation(v) : [];
    if (whole.length === 1 && whole[0].expr) {
      // An exported reference (`${availabilityZones}`) read further: the rest of the path on it.
      const rest = path.slice(i).map((k) => (typeof k === 'number' ? `[${k}]` : `["${k}"]`));
      return `\${${whole[0].expr}${rest.join('')}}`;
    }
    if (v === null || typeof v !== 'object' || !(key in v)) throw new Error(`cannot resolve \${${expr}} in the platform's outputs`);
    v = v[key];
  }
  return v;
}

/** `dir/platform` and `dir/cells/<cell>` for each of `cells`, as one program. */
export function mergeCells(dir, cells, name) {
  const platform = loadProgram(join(dir, 'platform'), 'platform');
  const merged = {
    name,
    main: { variables: { ...(platform.main.variables ?? {}) }, resources: { ...platform.main.resources } },
    project: { ...platform.project, config: { ...(platform.project.config ?? {}) } },
  };
  for (const cell of cells) {
    const program = loadProgram(join(dir, 'cells', cell), cell);
    const resources = program.main.resources ?? {};
    const references = new Set(Object.keys(resources).filter((k) => normalizeType(resources[k].type) === STACK_REFERENCE));
    const own = new Set([...Object.keys(resources), ...Object.keys(program.main.variables ?? {})].filter((k) => !references.has(k)));
    const prefix = `${basename(cell)}_`;
    const exported = (expr) => {
      const { root, path } = parseAccess(expr);
      if (path[0] !== 'outputs') throw new Error(`${cell}: \${${expr}} reads a stack reference other than its outputs`);
      return walkNode(platform.main.outputs ?? {}, path.slice(1), expr);
    };
    const rewrite = (node) => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rewrite(v)]));
      if (typeof node !== 'string') return node;
      const parts = parseInterpolation(node);
      if (parts.length === 1 && parts[0].expr && references.has(parseAccess(parts[0].expr).root)) return exported(parts[0].expr);
      return parts
        .map((p) => {
          if (p.text !== undefined) return p.text.replace(/\$/g, '$$$$');
          const { root } = parseAccess(p.expr);
          if (references.has(root)) {
            const value = exported(p.expr);
            if (typeof value !== 'string') throw new Error(`${cell}: \${${p.expr}} is not a string inside ${JSON.stringify(node)}`);
            return value;
          }
          return own.has(root) ? `\${${prefix}${p.expr}}` : `\${${p.expr}}`;
        })
        .join('');
    };
    for (const [key, resource] of Object.entries(resources)) {
      if (references.has(key)) continue;
      // Ordering after the platform stack (dependsOn its reference) has no meaning in one program.
      const dependsOn = resource.options?.dependsOn?.filter((d) => !references.has(parseAccess(d.slice(2, -1)).root));
      const options = resource.options && { ...resource.options, ...(dependsOn && { dependsOn }) };
      merged.main.resources[`${prefix}${key}`] = rewrite({ ...resource, ...(options && { options }) });
    }
    for (const [key, value] of Object.entries(program.main.variables ?? {})) merged.main.variables[`${prefix}${key}`] = rewrite(value);
    for (const [key, spec] of Object.entries(program.project.config ?? {})) merged.project.config[key] ??= spec;
  }
  return merged;
}

/**
 * The tenants evaluated across cells: the first, middle and last cell of the layout, and in each
 * its first, middle and last member (so the first and last tenant of the whole config too).
 */
export function sampleTenants(cells) {
  const pick = (list) => [...new Set([list[0], list[Math.floor(list.length / 2)], list[list.length - 1]])];
  const names = Object.keys(cells).sort();
  return pick(names).map((cell) => ({ cell, tenants: pick(cells[cell]) }));
}
