/**
 * `dependsOn`: every named workflow exists, and the dependency graph has no cycle (a cycle would
 * make every workflow on it wait for itself).
 */
import type { CheckContext } from './check-context.js';
import { workflowsOf } from './check-context.js';
import { resolveWorkflowReference } from '../workflow-reference.js';

/** Reports missing `dependsOn` targets and dependency cycles. */
export function checkDependsOn(ctx: CheckContext): void {
  const { doc, reporter } = ctx;
  const graph = new Map<string, string[]>();
  for (const { workflow, segments } of workflowsOf(doc)) {
    const local: string[] = [];
    (workflow.dependsOn ?? []).forEach((target, i) => {
      const at = { segments: [...segments, 'dependsOn', i], workflowId: workflow.workflowId };
      const resolved = resolveWorkflowReference(ctx.loaded, target);
      if (!resolved.ok) {
        if (!('unavailable' in resolved))
          reporter.error('arazzo/depends-on-missing', `dependsOn: ${resolved.message}`, at);
      } else if (resolved.local) local.push(target);
    });
    if (!graph.has(workflow.workflowId)) graph.set(workflow.workflowId, local);
  }
  reportCycles(ctx, graph);
}

/** Depth-first search with colours, iterative so a long chain cannot overflow the stack. */
function reportCycles({ doc, reporter }: CheckContext, graph: Map<string, string[]>): void {
  const state = new Map<string, 'active' | 'done'>();
  const reported = new Set<string>();
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, 'active');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const targets = graph.get(frame.id) ?? [];
      if (frame.next >= targets.length) {
        state.set(frame.id, 'done');
        stack.pop();
        continue;
      }
      const target = targets[frame.next++]!;
      if (state.get(target) === 'active') {
        const cycle = [...stack.slice(stack.findIndex((f) => f.id === target)).map((f) => f.id), target];
        const key = [...cycle].sort().join(' ');
        if (reported.has(key)) continue;
        reported.add(key);
        const index = doc.workflows.findIndex((w) => w.workflowId === frame.id);
        const position = (doc.workflows[index]?.dependsOn ?? []).indexOf(target);
        reporter.error('arazzo/depends-on-cycle', `dependsOn cycle: ${cycle.join(' -> ')}`, {
          segments: ['workflows', index, 'dependsOn', position],
          workflowId: frame.id,
        });
      } else if (!state.has(target)) {
        state.set(target, 'active');
        stack.push({ id: target, next: 0 });
      }
    }
  }
}
