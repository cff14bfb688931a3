import { notFound, restError } from '../http/errors';
import type { DataResponse } from '../http/reply';
import { normalizeId } from '../store/ids';
import { formatDateTime } from '../util/dates';
import { dataUrl, type DataContext, type DataRequest } from './data-context';

interface MessageSegmentInput {
  type?: string;
  text?: string;
  id?: string;
}

interface FeedElementInput {
  feedElementType?: string;
  subjectId?: string;
  body?: { messageSegments?: MessageSegmentInput[] };
}

/** The JSON body, or the query-string shortcut `?feedElementType=FeedItem&subjectId=…&text=…` (§8). */
function feedElementInput(request: DataRequest): FeedElementInput {
  const text = request.query.get('text');
  if (text !== null) {
    return {
      feedElementType: request.query.get('feedElementType') ?? undefined,
      subjectId: request.query.get('subjectId') ?? undefined,
      body: { messageSegments: [{ type: 'Text', text }] },
    };
  }
  return typeof request.body === 'object' && request.body !== null ? request.body : {};
}

const badInput = (message: string) => restError(400, 'INVALID_API_INPUT', message);

/** A short reference to a record or user, as Connect shows `parent` and `actor`. */
function recordSummary(ctx: DataContext, id: string) {
  const found = ctx.org.store.get(id);
  if (!found) throw notFound();
  const name = typeof found.record.Name === 'string' ? found.record.Name : id;
  return { id, name, type: found.objectName, url: dataUrl(ctx, `/chatter/records/${id}`) };
}

/** `POST /chatter/feed-elements` → 201 Feed Item (§8). Stored as a FeedItem record. */
export function postFeedElement(ctx: DataContext, request: DataRequest): DataResponse {
  const input = feedElementInput(request);
  if (input.feedElementType !== 'FeedItem')
    throw badInput('Missing required input: feedElementType (FeedItem).');
  const subject = input.subjectId === 'me' ? ctx.session.userId : normalizeId(input.subjectId ?? '');
  if (!subject) throw badInput('Missing required input: subjectId.');
  const parent = recordSummary(ctx, subject);
  const segments = (input.body?.messageSegments ?? []).map((segment) => {
    if (segment.type === 'Mention') {
      const mentioned = recordSummary(ctx, normalizeId(segment.id ?? '') ?? '');
      return { type: 'Mention', name: mentioned.name, text: `@${mentioned.name}`, record: mentioned };
    }
    return { type: 'Text', text: segment.text ?? '' };
  });
  const text = segments.map((s) => s.text).join('');
  if (text.trim() === '') throw badInput('Missing required input: body.');
  if (text.length > 10000) throw badInput('Feed item body exceeds the maximum length of 10000 characters.');

  const id = ctx.org.ids.next('0D5');
  const now = formatDateTime(Date.now());
  const actor = recordSummary(ctx, ctx.session.userId);
  ctx.org.store.insert('FeedItem', {
    Id: id,
    ParentId: subject,
    Body: text,
    Type: 'TextPost',
    IsDeleted: false,
    CreatedDate: now,
    CreatedById: actor.id,
    LastModifiedDate: now,
    LastModifiedById: actor.id,
    SystemModstamp: now,
  });
  const url = dataUrl(ctx, `/chatter/feed-elements/${id}`);
  return {
    status: 201,
    headers: { location: url },
    body: {
      actor: { ...actor, displayName: actor.name, type: 'User' },
      body: { isRichText: false, messageSegments: segments, text },
      capabilities: {
        comments: { page: { comments: [], total: 0 } },
        chatterLikes: { isLikedByCurrentUser: false },
      },
      createdDate: now,
      feedElementType: 'FeedItem',
      header: { text: `${actor.name} posted to ${parent.name}` },
      id,
      modifiedDate: now,
      parent,
      type: 'TextPost',
      url,
      visibility: 'InternalUsers',
    },
  };
}
