import pg from 'pg';

/** A node of PostgreSQL's plan (`explain (format json)`), as far as the plan tests read it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of the plan PostgreSQL makes for the statement, from the top down. */
export async function planNodes(
  run: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>,
  query: { sql: string; params: unknown[] },
): Promise<PlanNode[]> {
  const [row] = await run(`explain (format json) ${query.sql}`, query.params);
  return flatten(row);
}

/**
 * Every node of the generic plan: the one PostgreSQL keeps for a named prepared statement
 * once it finds it no dearer than planning each call (here forced, on a connection of its own).
 */
export async function genericPlanNodes(url: string, query: { sql: string; params: unknown[] }): Promise<PlanNode[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('set plan_cache_mode = force_generic_plan');
    await client.query(`prepare generic_probe as ${query.sql}`);
    // EXECUTE's arguments are expressions, not bind parameters: they go as literals.
    const args = query.params.map((value) => literal(client, value)).join(', ');
    const { rows } = await client.query(`explain (format json) execute generic_probe(${args})`);
    return flatten(rows[0]);
  } finally {
    await client.end();
  }
}

/** A value as a SQL literal of unknown type (EXECUTE casts it to the parameter's): arrays as array literals. */
function literal(client: pg.Client, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    const element = (item: unknown) => (item === null || item === undefined ? 'NULL' : `"${String(item).replace(/[\\"]/g, (c) => `\\${c}`)}"`);
    return client.escapeLiteral(`{${value.map(element).join(',')}}`);
  }
  return client.escapeLiteral(value instanceof Date ? value.toISOString() : String(value));
}

function flatten(row: Record<string, unknown> | undefined): PlanNode[] {
  const [top] = row?.['QUERY PLAN'] as { Plan: PlanNode }[];
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    node.Plans?.forEach(walk);
  };
  walk(top!.Plan);
  return nodes;
}

/** How the plan reaches `table`: its nodes on it, as "<node type>" or "<node type> <index>". */
export const accessesTo = (table: string, nodes: PlanNode[]): string[] =>
  nodes.filter((node) => node['Relation Name'] === table).map((node) => `${node['Node Type']} ${node['Index Name'] ?? ''}`.trim());
