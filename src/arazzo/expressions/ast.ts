/**
 * The syntax tree of an Arazzo runtime expression. One node per expression; `switch (node.type)`
 * covers every form of the Arazzo 1.0.1 ABNF.
 */

/** One step of the lenient `.name` / `[n]` navigation some documents write after an expression. */
export type NavigationStep = { kind: 'property'; name: string } | { kind: 'index'; index: number };

/** What may follow a value-bearing expression: a JSON Pointer (`#/a/0`) or navigation (`.a[0]`). */
export interface Selection {
  /** The JSON Pointer after `#`, without the `#`; absent when none was written. */
  pointer?: string;
  /** Lenient navigation steps; empty when none were written. */
  navigation: NavigationStep[];
}

/** `message`: Arazzo 1.1.0's AsyncAPI message (`$message.header.<name>`, `$message.payload#/…`). */
export type MessageSource = 'request' | 'response' | 'message';
export type ComponentKind = 'inputs' | 'parameters' | 'successActions' | 'failureActions';

interface NodeBase {
  /** The expression as written (without surrounding `{}` when embedded). */
  text: string;
}

export type ExpressionNode =
  | (NodeBase & { type: 'url' })
  | (NodeBase & { type: 'method' })
  | (NodeBase & { type: 'statusCode' })
  /** Arazzo 1.1.0: `$self`, the document's self-assigned URI. */
  | (NodeBase & { type: 'self' })
  | (NodeBase & { type: 'header'; source: MessageSource; name: string })
  | (NodeBase & { type: 'query'; name: string })
  | (NodeBase & { type: 'path'; name: string })
  | (NodeBase & Selection & { type: 'body'; source: MessageSource })
  | (NodeBase & Selection & { type: 'inputs'; name: string })
  | (NodeBase & Selection & { type: 'outputs'; name: string })
  | (NodeBase & Selection & { type: 'steps'; stepId: string; name: string })
  | (NodeBase &
      Selection & { type: 'workflows'; workflowId: string; field: 'inputs' | 'outputs'; name: string })
  | (NodeBase & { type: 'sourceDescriptions'; sourceName: string; reference: string })
  | (NodeBase & Selection & { type: 'components'; kind: ComponentKind; name: string });

export type ExpressionType = ExpressionNode['type'];
