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
