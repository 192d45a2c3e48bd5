/**
 * The one way components reach the node: `tc-app` provides the running `TabNode` through this
 * context, and components consume it (usually through `NodeController`).
 */
import { createContext } from '@lit/context';
import type { TabNode } from '../node.js';

export const nodeContext = createContext<TabNode | undefined>(Symbol('tabcoin-node'));
