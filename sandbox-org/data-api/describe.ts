import { notFound } from '../http/errors';
import { PreSerializedJson, type DataResponse } from '../http/reply';
import { dataUrl, type DataContext } from './data-context';

/** `GET /services/data/vXX.X/` (§2). */
export function resourcesByVersion(ctx: DataContext): DataResponse {
  const names = [
    'sobjects',
    'query',
    'queryAll',
    'search',
    'parameterizedSearch',
    'composite',
    'limits',
    'chatter',
  ];
  return { status: 200, body: Object.fromEntries(names.map((name) => [name, dataUrl(ctx, `/${name}`)])) };
}

/** `GET /sobjects` (§3.4). */
export function describeGlobal(ctx: DataContext): DataResponse {
  return {
    status: 200,
    body: {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: ctx.org.schema.types.map((type) => type.summary(ctx.version)),
    },
  };
}

/** `GET /sobjects/X`: basic information. */
export function describeBasic(ctx: DataContext, objectName: string): DataResponse {
  const type = ctx.org.schema.object(objectName);
  if (!type) throw notFound();
  return { status: 200, body: { objectDescribe: type.summary(ctx.version), recentItems: [] } };
}

/** `GET /sobjects/X/describe`: serialised once per version, reused until a field changes. */
export function describeObject(ctx: DataContext, objectName: string): DataResponse {
  const type = ctx.org.schema.object(objectName);
  if (!type) throw notFound();
  return { status: 200, body: new PreSerializedJson(type.describeJson(ctx.version)) };
}
