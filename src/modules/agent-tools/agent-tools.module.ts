import { Module } from '@nestjs/common';
import { MappingModule } from '../mapping';
import { SalesforceModule } from '../salesforce/salesforce.module';
import { WritesModule } from '../writes/writes.module';
import { AgentToolsController } from './agent-tools.controller';
import { AgentToolsService } from './agent-tools.service';
import { McpController } from './mcp/mcp.controller';

/**
 * Tools voice agents call: the agent routes (lookup, intent, completion) described as JSON-Schema function
 * definitions generated from the tenant's maps, and served over MCP. It adds no behaviour of its own: every
 * call goes to the write path's services.
 */
@Module({
  imports: [MappingModule, WritesModule, SalesforceModule],
  controllers: [AgentToolsController, McpController],
  providers: [AgentToolsService],
})
export class AgentToolsModule {}
