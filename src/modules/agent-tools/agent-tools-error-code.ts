/** Codes the agent tools answer with beyond those of the routes they stand for. */
export enum AgentToolsErrorCode {
  ToolUnknown = 'TOOL_UNKNOWN',
}
