import { restError } from '../http/errors';
import type { DataResponse } from '../http/reply';
import { runSubrequests, validSubrequests } from './composite';
import { GRAPH_NODE_TARGETS, refuseUnsupportedTargets } from './composite-targets';
import { objectBody, type DataContext, type DataHandler, type DataRequest } from './data-context';

/** `POST /composite/graph` (§5.4): each graph is an atomic composite of `/sobjects` nodes. */

const MAX_GRAPHS = 75;
const MAX_NODES = 500;

interface GraphInput {
  graphId?: unknown;
  compositeRequest?: unknown;
}

export function postGraph(ctx: DataContext, request: DataRequest, dispatch: DataHandler): DataResponse {
  const graphs = objectBody(request).graphs;
  if (!Array.isArray(graphs) || graphs.length === 0) {
    throw restError(400, 'JSON_PARSER_ERROR', 'The graphs field is required and must be a non-empty array.');
  }
  if (graphs.length > MAX_GRAPHS)
    throw restError(400, 'LIMIT_EXCEEDED', `Limit of ${MAX_GRAPHS} reached for number of Graphs`);
  const nodes = (graphs as GraphInput[]).map((graph) => validSubrequests(graph.compositeRequest, MAX_NODES));
  if (nodes.flat().length > MAX_NODES) {
    throw restError(400, 'LIMIT_EXCEEDED', `Limit of ${MAX_NODES} reached for number of Nodes in the Graph`);
  }
  refuseUnsupportedTargets(
    nodes.flat().map((node) => node.url),
    GRAPH_NODE_TARGETS,
  );
  return {
    status: 200,
    body: {
      graphs: (graphs as GraphInput[]).map((graph, i) => {
        const { compositeResponse, succeeded } = runSubrequests(ctx, request, nodes[i], true, dispatch);
        return { graphId: graph.graphId, graphResponse: { compositeResponse }, isSuccessful: succeeded };
      }),
    },
  };
}
