// Apollo keeps parsed and validated documents in a bounded store (src/graphql/apollo.ts): a
// document evicted and sent again is parsed and validated again, and answers the same.
import type { DocumentNode } from 'graphql';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import pino from 'pino';
import { createApolloServer } from '../../src/graphql/apollo';
import type { GraphQLContext } from '../../src/graphql/context';

it('keeps the documents its store holds, and answers a document again after it was evicted', async () => {
  const store = new InMemoryLRUCache<DocumentNode>({ max: 2 });
  const apollo = createApolloServer({ production: true, introspection: false, logger: pino({ level: 'silent' }), documentStore: store });
  await apollo.start();
  try {
    const ask = async (name: string) => {
      const res = await apollo.executeOperation(
        { query: `query ${name} { __typename t: __typename }` },
        { contextValue: { request: {} } as unknown as GraphQLContext },
      );
      return res.body.kind === 'single' ? res.body.singleResult : undefined;
    };
    for (const name of ['A', 'B', 'C']) expect(await ask(name)).toEqual({ data: { __typename: 'Query', t: 'Query' } });
    expect(store.keys()).toHaveLength(2); // A evicted
    expect(await ask('A')).toEqual({ data: { __typename: 'Query', t: 'Query' } });
    expect(store.keys()).toHaveLength(2);
  } finally {
    await apollo.stop();
  }
});
