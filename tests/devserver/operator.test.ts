// Conformance: OperatorService search attributes, typed values in describe/list/workflowInfo(), BuildIds and
// COUNT … GROUP BY ExecutionStatus, against the devserver or TEMPORAL_ADDRESS.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexedValueType } from '../../devserver/codes';
import { startDevServer } from '../../devserver/server';
import { startOperatorHarness, type OperatorHarness } from './operator-harness';
import { finishSignal, seenQuery, upsertSignal, type SeenAttributes } from './operator-workflows';

let h: OperatorHarness;
const operator = () => h.temporal.connection.operatorService;

const KEYS = {
  keyword: defineSearchAttributeKey('OpKeyword', SearchAttributeType.KEYWORD),
  text: defineSearchAttributeKey('OpText', SearchAttributeType.TEXT),
  int: defineSearchAttributeKey('OpInt', SearchAttributeType.INT),
  double: defineSearchAttributeKey('OpDouble', SearchAttributeType.DOUBLE),
  bool: defineSearchAttributeKey('OpBool', SearchAttributeType.BOOL),
  datetime: defineSearchAttributeKey('OpDatetime', SearchAttributeType.DATETIME),
  keywordList: defineSearchAttributeKey('OpKeywordList', SearchAttributeType.KEYWORD_LIST),
};
const REGISTERED = {
  OpKeyword: IndexedValueType.KEYWORD,
  OpText: IndexedValueType.TEXT,
  OpInt: IndexedValueType.INT,
  OpDouble: IndexedValueType.DOUBLE,
  OpBool: IndexedValueType.BOOL,
  OpDatetime: IndexedValueType.DATETIME,
  OpKeywordList: IndexedValueType.KEYWORD_LIST,
};

beforeAll(async () => {
  h = await startOperatorHarness();
  await operator().addSearchAttributes({ namespace: h.temporal.namespace, searchAttributes: REGISTERED });
});
afterAll(async () => {
  await h?.close();
});

type GrpcFailure = { code?: number; details?: string; message: string; cause?: GrpcFailure };

/** The gRPC code and message a call was refused with (the client wraps some in a ServiceError). */
async function refusal(call: Promise<unknown>): Promise<{ code: number; details: string }> {
  const thrown = (await call.then(
    () => new Error('expected the call to be refused'),
    (e: unknown) => e,
  )) as GrpcFailure;
  const err = thrown.code === undefined && thrown.cause ? thrown.cause : thrown;
  return { code: err.code ?? -1, details: err.details ?? err.message };
}

function invalid(details: string | RegExp) {
  return {
    code: GrpcStatus.INVALID_ARGUMENT,
    details: typeof details === 'string' ? details : expect.stringMatching(details),
  };
}

describe('devserver conformance: OperatorService search attributes', () => {
  it('lists the custom attributes with their types next to the system ones', async () => {
    const listed = await operator().listSearchAttributes({ namespace: h.temporal.namespace });
    expect(listed.customAttributes).toMatchObject(REGISTERED);
    expect(listed.systemAttributes).toMatchObject({
      WorkflowId: IndexedValueType.KEYWORD,
      ExecutionStatus: IndexedValueType.KEYWORD,
      StartTime: IndexedValueType.DATETIME,
      HistoryLength: IndexedValueType.INT,
      BuildIds: IndexedValueType.KEYWORD_LIST,
      TemporalChangeVersion: IndexedValueType.KEYWORD_LIST,
    });
    // Adding a name again, even with another type, leaves it as it was (the real server only logs a warning).
    await operator().addSearchAttributes({
      namespace: h.temporal.namespace,
      searchAttributes: { OpKeyword: IndexedValueType.INT },
    });
    const again = await operator().listSearchAttributes({ namespace: h.temporal.namespace });
    expect(again.customAttributes.OpKeyword).toBe(IndexedValueType.KEYWORD);
  });

  it('refuses reserved names, unknown types and removing system attributes, as the real server does', async () => {
    const namespace = h.temporal.namespace;
    const add = (searchAttributes: Record<string, number>) =>
      refusal(operator().addSearchAttributes({ namespace, searchAttributes }));
    expect(await add({ WorkflowId: IndexedValueType.KEYWORD })).toEqual(
      invalid('Search attribute WorkflowId is reserved by system.'),
    );
    expect(await add({ TemporalOwner: IndexedValueType.KEYWORD })).toEqual(invalid(/TemporalOwner is reserved/));
    expect(await add({})).toEqual(invalid('SearchAttributes are not set on request.'));
    expect(await add({ OpOdd: 99 })).toEqual(invalid('Unknown search attribute type: 99.'));
    expect(await refusal(operator().removeSearchAttributes({ namespace, searchAttributes: ['BuildIds'] }))).toEqual(
      invalid('Unable to remove non-custom search attributes: BuildIds.'),
    );
    // Removing a name nobody registered is not an error; removing a custom one takes it out of the list.
    await operator().addSearchAttributes({ namespace, searchAttributes: { OpShortLived: IndexedValueType.KEYWORD } });
    await operator().removeSearchAttributes({ namespace, searchAttributes: ['OpShortLived', 'NeverRegistered'] });
    const listed = await operator().listSearchAttributes({ namespace });
    expect(listed.customAttributes.OpShortLived).toBeUndefined();
  });

  it('allows as many custom attributes of a type as the real server has columns for', async () => {
    if (!h.temporal.devServer) return; // needs a fresh namespace, which a real cluster takes a while to propagate
    const namespace = h.id('op-slots');
    await h.temporal.connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) },
    });
    const bools = { OpB1: IndexedValueType.BOOL, OpB2: IndexedValueType.BOOL, OpB3: IndexedValueType.BOOL };
    await operator().addSearchAttributes({ namespace, searchAttributes: bools });
    expect(
      await refusal(operator().addSearchAttributes({ namespace, searchAttributes: { OpB4: IndexedValueType.BOOL } })),
    ).toEqual(invalid('Unable to create search attributes: cannot have more than 3 search attribute of type Bool.'));
    // The attributes belong to their namespace only.
    const other = await operator().listSearchAttributes({ namespace: h.temporal.namespace });
    expect(other.customAttributes.OpB1).toBeUndefined();
  });

  it('refuses a start or an upsert that names an unregistered attribute or a value of the wrong type', async () => {
    const start = (searchAttributes: Record<string, unknown[]>) =>
      h.temporal.client.workflow.start('searchAttributesWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: h.id('sa-refused'),
        searchAttributes: searchAttributes as never,
      });
    expect(await refusal(start({ NeverRegistered: ['x'] }))).toEqual(
      invalid(/has no mapping defined for search attribute NeverRegistered/),
    );
    expect(await refusal(start({ OpInt: ['seven'] }))).toEqual(
      invalid(/invalid value for search attribute OpInt of type Int/),
    );
    const handle = await h.temporal.client.workflow.start('searchAttributesWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('sa-bad-upsert'),
    });
    const unknown = defineSearchAttributeKey('NeverRegistered', SearchAttributeType.KEYWORD);
    await handle.signal(upsertSignal, [{ key: unknown, value: 'x' }]);
    const BAD_SEARCH_ATTRIBUTES = 23;
    await h.waitFor(async () => {
      const { events } = await handle.fetchHistory();
      return (events ?? []).some((e) => e.workflowTaskFailedEventAttributes?.cause === BAD_SEARCH_ATTRIBUTES);
    });
    await handle.terminate('done');
  });
});

describe('devserver conformance: typed search attribute values', () => {
  const date = new Date('2026-03-01T10:00:00.123Z');
  const marker = `typed-${Date.now()}`;
  const pairs: SearchAttributePair[] = [
    { key: KEYS.keyword, value: marker },
    { key: KEYS.text, value: 'durable builds' },
    { key: KEYS.int, value: 7 },
    { key: KEYS.double, value: 1.5 },
    { key: KEYS.bool, value: true },
    { key: KEYS.datetime, value: date },
    { key: KEYS.keywordList, value: ['a', 'b'] },
  ];

  it('decodes in describe and workflowInfo(), follows upserts, and lists BuildIds', async () => {
    const handle = await h.temporal.client.workflow.start('searchAttributesWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('sa-typed'),
      typedSearchAttributes: pairs,
    });
    const described = await handle.describe();
    for (const { key, value } of pairs) expect(described.typedSearchAttributes.get(key)).toEqual(value);
    expect(described.searchAttributes.OpDatetime).toEqual([date]);
    const seen: SeenAttributes = await handle.query(seenQuery);
    expect(seen.searchAttributes).toMatchObject({ OpInt: [7], OpDatetime: [date.toISOString()], OpBool: [true] });
    expect(seen.typed).toContainEqual({ key: { name: 'OpDatetime', type: 'DATETIME' }, value: date.toISOString() });

    await handle.signal(upsertSignal, [
      { key: KEYS.int, value: 8 },
      { key: KEYS.bool, value: null },
    ]);
    await h.waitFor(async () => (await handle.describe()).typedSearchAttributes.get(KEYS.int) === 8);
    const upserted = await handle.describe();
    expect(upserted.typedSearchAttributes.get(KEYS.bool)).toBeUndefined();
    expect(upserted.typedSearchAttributes.get(KEYS.datetime)).toEqual(date);
    const buildIds = upserted.searchAttributes.BuildIds as string[];
    expect(buildIds[0]).toBe('unversioned');
    expect(buildIds[1]).toMatch(/^unversioned:@temporalio\/worker@1\.24\.0\+[a-f0-9]{64}$/);
    await handle.signal(finishSignal);
    await handle.result();
  });

  it('decodes untyped values by their registered type', async () => {
    const handle = await h.temporal.client.workflow.start('searchAttributesWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('sa-untyped'),
      searchAttributes: { OpDatetime: [date], OpKeyword: ['legacy'], OpKeywordList: ['x', 'y'] },
    });
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(KEYS.datetime)).toEqual(date);
    expect(described.typedSearchAttributes.get(KEYS.keyword)).toBe('legacy');
    expect(described.typedSearchAttributes.get(KEYS.keywordList)).toEqual(['x', 'y']);
    await handle.terminate('done');
  });

  it('filters by typed values (Datetime as times) and refuses an unregistered attribute in a query', async () => {
    const handle = await h.temporal.client.workflow.start('searchAttributesWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('sa-query'),
      typedSearchAttributes: pairs,
    });
    const list = (query: string) => h.temporal.client.workflow.list({ query });
    expect(await refusal(list(`NeverRegistered = 'x'`)[Symbol.asyncIterator]().next())).toEqual(
      invalid("invalid query: invalid expression: column name 'NeverRegistered' is not a valid search attribute"),
    );
    const count = (query: string) =>
      h.temporal.client.workflow.count(`WorkflowId = '${handle.workflowId}' AND ${query}`);
    await h.waitFor(async () => (await count(`OpDatetime = '2026-03-01T11:00:00.123+01:00'`)).count === 1);
    expect((await count(`OpDatetime > '2026-03-01T10:00:00Z'`)).count).toBe(1);
    expect((await count(`OpDatetime < '2026-03-01T10:00:00Z'`)).count).toBe(0);
    expect((await count(`OpInt >= 7 AND OpKeywordList = 'b'`)).count).toBe(1);
    const listed = [];
    for await (const info of list(`WorkflowId = '${handle.workflowId}'`)) listed.push(info);
    expect(listed[0]?.typedSearchAttributes.get(KEYS.datetime)).toEqual(date);
    await handle.terminate('done');
  });

  it('counts by ExecutionStatus with GROUP BY, and refuses grouping by anything else', async () => {
    const group = h.id('grouped');
    const start = () =>
      h.temporal.client.workflow.start('searchAttributesWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: h.id('sa-group'),
        typedSearchAttributes: [{ key: KEYS.keyword, value: group }],
      });
    const [done] = await Promise.all([start(), start(), start()]);
    await done.signal(finishSignal);
    await done.result();
    const query = `OpKeyword = '${group}' GROUP BY ExecutionStatus`;
    const expected = {
      count: 3,
      groups: [
        { count: 2, groupValues: [['Running']] },
        { count: 1, groupValues: [['Completed']] },
      ],
    };
    await h.waitFor(
      async () => JSON.stringify(await h.temporal.client.workflow.count(query)) === JSON.stringify(expected),
    );
    expect(await h.temporal.client.workflow.count(`OpKeyword = '${group}'`)).toEqual({ count: 3, groups: [] });
    expect(await refusal(h.temporal.client.workflow.count(`OpKeyword = '${group}' GROUP BY WorkflowType`))).toEqual(
      invalid(/'GROUP BY' clause is not supported for search attribute WorkflowType/),
    );
  });
});

describe('devserver: registered search attributes persist', () => {
  it('keeps them across a restart on the same database file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-operator-'));
    const dbFilename = path.join(dir, 'state.db');
    try {
      const register = async () => {
        const server = await startDevServer({ port: 0, dbFilename });
        const connection = await Connection.connect({ address: server.address });
        return { server, connection };
      };
      const first = await register();
      await first.connection.operatorService.addSearchAttributes({
        namespace: 'default',
        searchAttributes: { KilnRestartProof: IndexedValueType.DATETIME },
      });
      await first.connection.close();
      await first.server.stop();
      const second = await register();
      const listed = await second.connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(listed.customAttributes.KilnRestartProof).toBe(IndexedValueType.DATETIME);
      const counted = await second.connection.workflowService.countWorkflowExecutions({
        namespace: 'default',
        query: `KilnRestartProof < '2030-01-01T00:00:00Z'`,
      });
      expect(Number(counted.count)).toBe(0);
      await second.connection.close();
      await second.server.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
